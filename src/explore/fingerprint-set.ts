// The visited set of every search: 64-bit fingerprints, open addressing over one
// Int32Array, both lanes inline in the slot, so a lookup (92% of them find a known
// state on two-phase) reads one cache line. Searches number states in the order
// they add them and keep their parents elsewhere (link-columns.ts); with `ids` a
// slot also holds the state's id, for the searches that must name a known state
// (the liveness graph's edges, DFS's shorter paths): 12 bytes a slot instead of 8.
//
// Growth is incremental: at 3/4 load a doubled table becomes the
// live one and every add moves MIGRATE_STEP slots of the old table into it; a miss
// in the new table looks in the old one until the move is done. Entries already
// moved stay in the old table (harmless: it is only read for fingerprints the new
// table lacks), so a move never deletes.
//
// Why doubling, although a model just past a doubling pays 16–21 bytes a fingerprint
// (two-phase rms=8: 25.3 bytes a state with its links): growing ×1.5 and ×4/3 instead
// (capacities 2^k and 3·2^(k-1), home slot floor(A · capacity / 2^32)) was measured at
// 20.5 bytes a state there, but at 10.7% more CPU for the whole packed search (min of 4
// interleaved runs, 3.94 s → 4.36 s): more moves, and longer probes at the higher load.

const MAX_LOAD = 0.75;
/** Old slots moved per add: the move ends after oldCapacity / 16 adds, long before the next doubling. */
const MIGRATE_STEP = 16;
const NONE = new Int32Array(0);

export class FingerprintSet {
  /** Words per slot: lanes A and B, and the id when kept. */
  private readonly stride: number;
  private table: Int32Array<ArrayBufferLike>;
  private mask: number;
  private old: Int32Array<ArrayBufferLike> = NONE;
  private oldMask = 0;
  /** The next old slot to move; the move is done when it reaches the old capacity. */
  private moved = 0;
  private count = 0;
  /** The fingerprint (0, 0) marks empty slots: it is kept aside (with its id). */
  private hasZero = false;
  private zeroId = -1;
  /** With ids: the id of the fingerprint the last `add` found (known) or added (new). */
  lastId = -1;
  /** Keeps warm()'s reads from being optimised away. */
  private sink = 0;

  constructor(initialCapacity = 1 << 12, ids = false) {
    this.stride = ids ? 3 : 2;
    let cap = 16;
    while (cap < initialCapacity) cap <<= 1;
    this.table = new Int32Array(cap * this.stride);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.table.byteLength + this.old.byteLength;
  }

  /** Adds fingerprint (a, b) (int32 lanes), numbered `id` when ids are kept; true when it was not in the set. */
  add(a: number, b: number, id = 0): boolean {
    if ((a | b) === 0) {
      if (this.hasZero) {
        this.lastId = this.zeroId;
        return false;
      }
      this.hasZero = true;
      this.zeroId = this.lastId = id;
      this.count++;
      return true;
    }
    const t = this.table;
    const S = this.stride;
    const mask = this.mask;
    let slot = a & mask;
    for (;;) {
      const k = slot * S;
      const x = t[k]!;
      const y = t[k + 1]!;
      if ((x | y) === 0) break;
      if (x === a && y === b) {
        if (S === 3) this.lastId = t[k + 2]!;
        return false;
      }
      slot = (slot + 1) & mask;
    }
    if (this.old !== NONE && this.inOld(a, b)) return false;
    const k = slot * S;
    t[k] = a;
    t[k + 1] = b;
    if (S === 3) t[k + 2] = this.lastId = id;
    this.count++;
    if (this.old !== NONE) this.moveSome();
    else if (this.count > (mask + 1) * MAX_LOAD) this.grow();
    return true;
  }

  /** With ids: the id of (a, b), or -1 when it is not in the set. */
  idOf(a: number, b: number): number {
    return this.has(a, b) ? this.lastId : -1;
  }

  has(a: number, b: number): boolean {
    if ((a | b) === 0) {
      this.lastId = this.zeroId;
      return this.hasZero;
    }
    const t = this.table;
    const S = this.stride;
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slot * S;
      const x = t[k]!;
      const y = t[k + 1]!;
      if ((x | y) === 0) return this.old !== NONE && this.inOld(a, b);
      if (x === a && y === b) {
        if (S === 3) this.lastId = t[k + 2]!;
        return true;
      }
    }
  }

  /** Calls `fn` with every fingerprint in the set, once each. */
  forEach(fn: (a: number, b: number) => void): void {
    if (this.hasZero) fn(0, 0);
    const S = this.stride;
    const each = (t: Int32Array<ArrayBufferLike>, from: number, to: number) => {
      for (let s = from; s < to; s++) if ((t[s * S]! | t[s * S + 1]!) !== 0) fn(t[s * S]!, t[s * S + 1]!);
    };
    each(this.table, 0, this.mask + 1);
    // Of the old table, only the slots not yet moved: the moved ones are in the new table too.
    if (this.old !== NONE) each(this.old, this.moved, this.oldMask + 1);
  }

  /** Every entry as (a, b[, id]) words, for a checkpoint (checkpoint/): restored by `load`. */
  entries(): Int32Array {
    return this.written(this.stride, Infinity);
  }

  /**
   * The fingerprints as (a, b) words, without ids; with ids, only those of the entries
   * numbered below `before` (a shard's states of the levels before the one it saves
   * the start of). Restored by `loadFingerprints`.
   */
  fingerprints(before = Infinity): Int32Array {
    return this.written(2, before);
  }

  /** The entries (ids below `before`) as `words` words each: the fingerprint, then the id when 3. */
  private written(words: number, before: number): Int32Array {
    const S = this.stride;
    const out = new Int32Array(this.count * words);
    let n = 0;
    if (this.hasZero && (S === 2 || this.zeroId < before)) {
      if (words === 3) out[2] = this.zeroId;
      n = words;
    }
    const each = (t: Int32Array<ArrayBufferLike>, from: number, to: number) => {
      for (let s = from; s < to; s++) {
        const a = t[s * S]!;
        const b = t[s * S + 1]!;
        if ((a | b) === 0 || (S === 3 && t[s * S + 2]! >= before)) continue;
        out[n] = a;
        out[n + 1] = b;
        if (words === 3) out[n + 2] = t[s * S + 2]!;
        n += words;
      }
    };
    each(this.table, 0, this.mask + 1);
    if (this.old !== NONE) each(this.old, this.moved, this.oldMask + 1);
    return n === out.length ? out : out.slice(0, n);
  }

  /** Adds the entries `entries()` wrote (into an empty set that keeps ids the same way). */
  load(entries: Int32Array): void {
    this.loadWords(entries, this.stride, 0);
  }

  /** Adds the fingerprints `fingerprints()` wrote (into an empty set), each numbered `id` when ids are kept. */
  loadFingerprints(fps: Int32Array, id = 0): void {
    this.loadWords(fps, 2, id);
  }

  /** Adds entries of `S` words (the fingerprint, then the id when 3; else `id`) into an empty set. */
  private loadWords(entries: Int32Array, S: number, id: number): void {
    if (this.count !== 0) throw new Error('internal: fingerprints loaded into a set that is not empty');
    // Sized for them first: `entries()` lists them in slot order, and adding them so to
    // a table that grows on the way piles them into one run of slots (measured: 7.7 s
    // for 1.5M fingerprints, against 0.15-0.34 s into a table of the final size).
    let cap = this.mask + 1;
    while (entries.length / S > cap * MAX_LOAD) cap <<= 1;
    if (cap !== this.mask + 1) {
      this.table = new Int32Array(cap * this.stride);
      this.mask = cap - 1;
    }
    for (let i = 0; i < entries.length; i += S) this.add(entries[i]!, entries[i + 1]!, S === 3 ? entries[i + 2]! : id);
  }

  /** Reads the home slots of `n` fingerprints (lane A) together, so their cache misses overlap. */
  warm(as: Int32Array, n: number): void {
    const t = this.table;
    const mask = this.mask;
    let sink = 0;
    const S = this.stride;
    for (let i = 0; i < n; i++) sink ^= t[(as[i]! & mask) * S]!;
    this.sink = sink;
  }

  /** Looks (a, b) up in the table being moved out of (setting lastId when found). */
  private inOld(a: number, b: number): boolean {
    const t = this.old;
    const S = this.stride;
    for (let slot = a & this.oldMask; ; slot = (slot + 1) & this.oldMask) {
      const k = slot * S;
      const x = t[k]!;
      const y = t[k + 1]!;
      if ((x | y) === 0) return false;
      if (x === a && y === b) {
        if (S === 3) this.lastId = t[k + 2]!;
        return true;
      }
    }
  }

  private grow(): void {
    this.old = this.table;
    this.oldMask = this.mask;
    this.moved = 0;
    this.mask = this.mask * 2 + 1;
    this.table = new Int32Array((this.mask + 1) * this.stride);
  }

  private moveSome(): void {
    const from = this.old;
    const S = this.stride;
    const end = Math.min(this.moved + MIGRATE_STEP, this.oldMask + 1);
    const t = this.table;
    const mask = this.mask;
    for (let s = this.moved; s < end; s++) {
      const a = from[s * S]!;
      const b = from[s * S + 1]!;
      if ((a | b) === 0) continue;
      let slot = a & mask;
      // Every fingerprint is in one table only until moved: no duplicate check needed.
      while ((t[slot * S]! | t[slot * S + 1]!) !== 0) slot = (slot + 1) & mask;
      t[slot * S] = a;
      t[slot * S + 1] = b;
      if (S === 3) t[slot * S + 2] = from[s * S + 2]!;
    }
    this.moved = end;
    if (end > this.oldMask) this.old = NONE;
  }
}
