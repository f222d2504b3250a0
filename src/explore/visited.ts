// The visited set: 64-bit fingerprints in an open-addressing table over typed
// arrays, with a parent link per state so traces can be rebuilt by re-execution
// (as TLC does). No JS object per state.
//
// Layout: states get dense ids in discovery order. Per id: fingerprint lanes A and
// B and the parent id, in fixed-size chunks (growth never copies them). The hash
// index maps a slot to id+1 (0 = empty), linear probing on lane A, doubled at 3/4
// load. An index entry also keeps the bits of lane A above the slot bits (ids are
// below the index length, so they fit in the slot bits): a probe that meets another
// fingerprint's entry almost always tells it apart there, without the cache miss of
// reading its fingerprint record.
//
// Growth is incremental, so no single `add` pauses the search for long: rebuilding
// the index in one go took 423 ms at 6.29M states, twice that at each doubling after.
// At the threshold the doubled index is allocated (fresh zero pages, so cheap) and
// becomes the live one, new ids go into it, and the previous index is kept,
// read-only, until every id it holds has been re-inserted into the new one. Ids
// are migrated in id order (so the fingerprint reads are sequential), MIGRATE_STEP
// per add that reaches the old index: every insert, and every hit that missed in
// the new index. A lookup probes the new index first and the old one only on a
// miss there, so a hit on a migrated or new entry costs what it did before; ids
// below `migrated` and at or above `migrateEnd` are in the new index, those in
// between only in the old one. Migrating ends after migrateEnd / MIGRATE_STEP
// inserts at the latest, long before the new index reaches its own threshold
// (another migrateEnd inserts), so the two indexes never coexist with a third.
// Memory is as with the one-shot rebuild: both indexes live only while migrating
// (`bytes` counts both then), and the old one is dropped when it is done.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const MAX_LOAD = 0.75;
/** Ids re-inserted into the new index per add while growing (~64 random writes). */
const MIGRATE_STEP = 64;
const NO_INDEX = new Int32Array(0);

export const NO_PARENT = -1;

export class VisitedSet {
  /** Per slot: 0, or lane A's bits above `mask` | (id + 1). */
  private index: Int32Array;
  private mask: number;
  /** While growing: the previous index, holding ids [migrated, migrateEnd) not yet re-inserted. */
  private old: Int32Array = NO_INDEX;
  private oldMask = 0;
  private migrated = 0;
  private migrateEnd = 0;
  /** Per id: lanes A and B side by side, so a hit reads one cache line for both. */
  private readonly fps: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  private count = 0;
  /** Set by `add`: whether the last fingerprint was new. */
  isNew = false;

  constructor(initialCapacity = 1 << 10) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.index = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a fingerprint; returns its id (new or existing) and sets `isNew`. */
  add(a: number, b: number, parent: number): number {
    const index = this.index;
    const mask = this.mask;
    const found = this.find(index, mask, a, b);
    if (found >= 0) {
      this.isNew = false;
      return found;
    }
    const slot = -found - 1;
    if (this.migrated < this.migrateEnd) {
      const known = this.findOld(a, b);
      if (known >= 0) {
        this.migrateSome();
        this.isNew = false;
        return known;
      }
    }
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.fps.length) {
      this.fps.push(new Uint32Array(CHUNK * 2));
      this.parents.push(new Int32Array(CHUNK));
    }
    const o = id & CHUNK_MASK;
    this.fps[c]![o << 1] = a;
    this.fps[c]![(o << 1) + 1] = b;
    this.parents[c]![o] = parent;
    index[slot] = (a & ~mask) | (id + 1);
    if (this.migrated < this.migrateEnd) this.migrateSome();
    if (this.count > index.length * MAX_LOAD) this.grow();
    this.isNew = true;
    return id;
  }

  /** Whether a fingerprint is present (without adding it). */
  has(a: number, b: number): boolean {
    return this.find(this.index, this.mask, a, b) >= 0 || (this.migrated < this.migrateEnd && this.findOld(a, b) >= 0);
  }

  /** The id of fingerprint (a, b) in `index`; when absent, -(the empty slot where it would go) - 1. */
  private find(index: Int32Array, mask: number, a: number, b: number): number {
    const high = ~mask;
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const entry = index[slot]!;
      if (entry === 0) return -slot - 1;
      if (((entry ^ a) & high) !== 0) continue;
      const id = (entry & mask) - 1;
      const f = this.fps[id >>> CHUNK_BITS]!;
      const o = (id & CHUNK_MASK) << 1;
      if (f[o] === a && f[o + 1] === b) return id;
    }
  }

  fingerprintA(id: number): number {
    return this.fps[id >>> CHUNK_BITS]![(id & CHUNK_MASK) << 1]!;
  }

  fingerprintB(id: number): number {
    return this.fps[id >>> CHUNK_BITS]![((id & CHUNK_MASK) << 1) + 1]!;
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

  /** Bytes held by the index (both while growing), fingerprints and parent links. */
  get bytes(): number {
    return this.index.byteLength + this.old.byteLength + this.parents.length * CHUNK * 12;
  }

  /** Starts doubling the index; the entries move over in later adds (`migrateSome`). */
  private grow(): void {
    // Unreachable with MIGRATE_STEP >= 2 (see the top of the file), kept for safety.
    while (this.migrated < this.migrateEnd) this.migrateSome();
    this.old = this.index;
    this.oldMask = this.mask;
    this.migrated = 0;
    this.migrateEnd = this.count;
    this.index = new Int32Array(this.index.length * 2);
    this.mask = this.index.length - 1;
    this.migrateSome();
  }

  /** Re-inserts the next MIGRATE_STEP ids of the old index into the new one. */
  private migrateSome(): void {
    const index = this.index;
    const mask = this.mask;
    const end = Math.min(this.migrated + MIGRATE_STEP, this.migrateEnd);
    let id = this.migrated;
    for (; id < end; id++) {
      const a = this.fps[id >>> CHUNK_BITS]![(id & CHUNK_MASK) << 1]!;
      let slot = a & mask;
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = (a & ~mask) | (id + 1);
    }
    if (id < this.migrateEnd) {
      this.migrated = id;
    } else {
      this.old = NO_INDEX;
      this.oldMask = 0;
      this.migrated = 0;
      this.migrateEnd = 0;
    }
  }

  /** The id of a fingerprint in the old index while growing, or a negative number. */
  private findOld(a: number, b: number): number {
    return this.find(this.old, this.oldMask, a, b);
  }
}
