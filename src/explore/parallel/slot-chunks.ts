// The table slots whose stamp some worker lowered in a level, each with the first
// chunk that lowered it: open addressing over Int32Arrays, small enough to stay in
// cache where a JS Map would not. A claim made in chunk c was taken over exactly when
// its slot was lowered in a chunk before c.

export class SlotChunks {
  private readonly keys: Int32Array;
  private readonly chunks: Int32Array;
  private readonly mask: number;
  readonly empty: boolean;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap <<= 1;
    this.keys = new Int32Array(cap); // slot + 1; 0 = empty
    this.chunks = new Int32Array(cap);
    this.mask = cap - 1;
    this.empty = expected === 0;
  }

  /** Records that `chunk` lowered `slot`. */
  add(slot: number, chunk: number): void {
    for (let i = Math.imul(slot, 0x9e3779b1) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === slot + 1) {
        if (chunk < this.chunks[i]!) this.chunks[i] = chunk;
        return;
      }
      if (k === 0) {
        this.keys[i] = slot + 1;
        this.chunks[i] = chunk;
        return;
      }
    }
  }

  /** Whether a chunk before `chunk` lowered `slot`. */
  before(slot: number, chunk: number): boolean {
    if (this.empty) return false;
    for (let i = Math.imul(slot, 0x9e3779b1) & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === slot + 1) return this.chunks[i]! < chunk;
      if (k === 0) return false;
    }
  }
}
