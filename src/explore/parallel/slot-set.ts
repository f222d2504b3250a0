// A set of table slots (non-negative int32) for one level's filter: open addressing
// over an Int32Array, small enough to stay in cache where a JS Set would not.

export class SlotSet {
  private keys: Int32Array;
  private mask: number;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap <<= 1;
    this.keys = new Int32Array(cap); // slot + 1; 0 = empty
    this.mask = cap - 1;
  }

  add(slot: number): void {
    for (let i = Math.imul(slot, 0x9e3779b1) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === slot + 1) return;
      if (k === 0) {
        this.keys[i] = slot + 1;
        return;
      }
    }
  }

  has(slot: number): boolean {
    for (let i = Math.imul(slot, 0x9e3779b1) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === slot + 1) return true;
      if (k === 0) return false;
    }
  }
}
