// The visited set: 64-bit fingerprints in an open-addressing table over typed
// arrays, with a parent link per state so traces can be rebuilt by re-execution
// (as TLC does). No JS object per state.
//
// Layout: states get dense ids in discovery order. Per id: fingerprint lanes A and
// B and the parent id, in fixed-size chunks (growth never copies them). The hash
// index maps a slot to id+1 (0 = empty), linear probing, resized at 3/4 load.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const MAX_LOAD = 0.75;

export const NO_PARENT = -1;

export class VisitedSet {
  private index: Uint32Array;
  private mask: number;
  private readonly fpA: Uint32Array[] = [];
  private readonly fpB: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private count = 0;
  /** Set by `add`: whether the last fingerprint was new. */
  isNew = false;

  constructor(initialCapacity = 1 << 10) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.index = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a fingerprint; returns its id (new or existing) and sets `isNew`. */
  add(a: number, b: number, parent: number): number {
    const index = this.index;
    const mask = this.mask;
    let slot = a & mask;
    for (;;) {
      const entry = index[slot]!;
      if (entry === 0) break;
      const id = entry - 1;
      const c = id >>> CHUNK_BITS;
      const o = id & CHUNK_MASK;
      if (this.fpA[c]![o] === a && this.fpB[c]![o] === b) {
        this.isNew = false;
        return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.fpA.length) {
      this.fpA.push(new Uint32Array(CHUNK));
      this.fpB.push(new Uint32Array(CHUNK));
      this.parents.push(new Int32Array(CHUNK));
    }
    const o = id & CHUNK_MASK;
    this.fpA[c]![o] = a;
    this.fpB[c]![o] = b;
    this.parents[c]![o] = parent;
    index[slot] = id + 1;
    if (this.count > index.length * MAX_LOAD) this.grow();
    this.isNew = true;
    return id;
  }

  /** Whether a fingerprint is present (without adding it). */
  has(a: number, b: number): boolean {
    let slot = a & this.mask;
    for (;;) {
      const entry = this.index[slot]!;
      if (entry === 0) return false;
      const id = entry - 1;
      if (this.fpA[id >>> CHUNK_BITS]![id & CHUNK_MASK] === a && this.fpB[id >>> CHUNK_BITS]![id & CHUNK_MASK] === b) {
        return true;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  fingerprintA(id: number): number {
    return this.fpA[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  fingerprintB(id: number): number {
    return this.fpB[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  /** Re-links a state to a new parent (DFS found a shorter path to it). */
  setParent(id: number, parent: number): void {
    this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK] = parent;
  }

  /** The ids from an initial state to `id`, initial first. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== NO_PARENT; cur = this.parent(cur)) path.push(cur);
    return path.reverse();
  }

  /** Bytes held by the index, fingerprints and parent links. */
  get bytes(): number {
    return this.index.byteLength + this.fpA.length * CHUNK * 12;
  }

  private grow(): void {
    const cap = this.index.length * 2;
    const index = new Uint32Array(cap);
    const mask = cap - 1;
    for (let id = 0; id < this.count; id++) {
      const a = this.fingerprintA(id);
      const b = this.fingerprintB(id);
      let slot = a & mask;
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = id + 1;
    }
    this.index = index;
    this.mask = mask;
  }
}
