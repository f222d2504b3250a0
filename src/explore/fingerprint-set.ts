// A set of 64-bit fingerprints: open addressing over one Int32Array, both lanes
// inline in the slot, so a lookup (92% of them find a known state on two-phase)
// reads one cache line, where VisitedSet reads its index and then the id's record.
// It maps a fingerprint to nothing: the packed search numbers states in the order it
// adds them and keeps their parents elsewhere (action-links.ts).
//
// Growth is incremental, as in VisitedSet: at 3/4 load a doubled table becomes the
// live one and every add moves MIGRATE_STEP slots of the old table into it; a miss
// in the new table looks in the old one until the move is done. Entries already
// moved stay in the old table (harmless: it is only read for fingerprints the new
// table lacks), so a move never deletes.

const MAX_LOAD = 0.75;
/** Old slots moved per add: the move ends after oldCapacity / 16 adds, long before the next doubling. */
const MIGRATE_STEP = 16;
const NONE = new Int32Array(0);

export class FingerprintSet {
  private table: Int32Array<ArrayBufferLike>;
  private mask: number;
  private old: Int32Array<ArrayBufferLike> = NONE;
  private oldMask = 0;
  /** The next old slot to move; the move is done when it reaches the old capacity. */
  private moved = 0;
  private count = 0;
  /** The fingerprint (0, 0) marks empty slots: it is kept aside. */
  private hasZero = false;
  /** Keeps warm()'s reads from being optimised away. */
  private sink = 0;

  constructor(initialCapacity = 1 << 12) {
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * 2);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.table.byteLength + this.old.byteLength;
  }

  /** Adds fingerprint (a, b) (int32 lanes); true when it was not in the set. */
  add(a: number, b: number): boolean {
    if ((a | b) === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      this.count++;
      return true;
    }
    const t = this.table;
    const mask = this.mask;
    let slot = a & mask;
    for (;;) {
      const x = t[slot * 2]!;
      const y = t[slot * 2 + 1]!;
      if ((x | y) === 0) break;
      if (x === a && y === b) return false;
      slot = (slot + 1) & mask;
    }
    if (this.old !== NONE && this.inOld(a, b)) return false;
    t[slot * 2] = a;
    t[slot * 2 + 1] = b;
    this.count++;
    if (this.old !== NONE) this.moveSome();
    else if (this.count > (mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  has(a: number, b: number): boolean {
    if ((a | b) === 0) return this.hasZero;
    const t = this.table;
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const x = t[slot * 2]!;
      const y = t[slot * 2 + 1]!;
      if ((x | y) === 0) return this.old !== NONE && this.inOld(a, b);
      if (x === a && y === b) return true;
    }
  }

  /** Calls `fn` with every fingerprint in the set, once each. */
  forEach(fn: (a: number, b: number) => void): void {
    if (this.hasZero) fn(0, 0);
    const each = (t: Int32Array<ArrayBufferLike>, from: number, to: number) => {
      for (let s = from; s < to; s++) if ((t[s * 2]! | t[s * 2 + 1]!) !== 0) fn(t[s * 2]!, t[s * 2 + 1]!);
    };
    each(this.table, 0, this.mask + 1);
    // Of the old table, only the slots not yet moved: the moved ones are in the new table too.
    if (this.old !== NONE) each(this.old, this.moved, this.oldMask + 1);
  }

  /** Reads the home slots of `n` fingerprints (lane A) together, so their cache misses overlap. */
  warm(as: Int32Array, n: number): void {
    const t = this.table;
    const mask = this.mask;
    let sink = 0;
    for (let i = 0; i < n; i++) sink ^= t[(as[i]! & mask) * 2]!;
    this.sink = sink;
  }

  private inOld(a: number, b: number): boolean {
    const t = this.old;
    for (let slot = a & this.oldMask; ; slot = (slot + 1) & this.oldMask) {
      const x = t[slot * 2]!;
      const y = t[slot * 2 + 1]!;
      if ((x | y) === 0) return false;
      if (x === a && y === b) return true;
    }
  }

  private grow(): void {
    this.old = this.table;
    this.oldMask = this.mask;
    this.moved = 0;
    this.mask = this.mask * 2 + 1;
    this.table = new Int32Array((this.mask + 1) * 2);
  }

  private moveSome(): void {
    const from = this.old;
    const end = Math.min(this.moved + MIGRATE_STEP, this.oldMask + 1);
    const t = this.table;
    const mask = this.mask;
    for (let s = this.moved; s < end; s++) {
      const a = from[s * 2]!;
      const b = from[s * 2 + 1]!;
      if ((a | b) === 0) continue;
      let slot = a & mask;
      // Every fingerprint is in one table only until moved: no duplicate check needed.
      while ((t[slot * 2]! | t[slot * 2 + 1]!) !== 0) slot = (slot + 1) & mask;
      t[slot * 2] = a;
      t[slot * 2 + 1] = b;
    }
    this.moved = end;
    if (end > this.oldMask) this.old = NONE;
  }
}
