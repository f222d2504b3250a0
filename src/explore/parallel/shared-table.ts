// The parallel search's visited set: one open-addressing table of fingerprints in a
// SharedArrayBuffer that every worker inserts into at once, lock-free. A slot is
// three words: lanes A and B of the fingerprint and a stamp. The stamp word is what
// threads synchronise on:
//   EMPTY  the slot is free;
//   BUSY   a thread claimed it and is writing the fingerprint (readers spin: two stores);
//   s ≥ 2  the moment a single-threaded search would first generate the state: moments
//          grow level after level (the coordinator numbers them), so a state of an
//          earlier level has a smaller stamp than any successor of this one;
//   OLD    earlier than every moment (stamps are renumbered to it before they overflow).
// Several workers may generate the same new state in a level; each lowers the stamp
// to its own moment if that is earlier (compare-and-swap), so at the level's end the
// stamp names the successor that a single-threaded search would have met first: its
// parent and action are exactly the single thread's, whatever the timing.

export const EMPTY = 0;
export const BUSY = 1;
export const OLD = -1;
/** The first moment; moments stay below 2^31 so they compare as int32. */
export const FIRST_STAMP = 2;
export const MAX_STAMP = 0x7fffffff;

export class SharedTable {
  readonly words: Int32Array;
  readonly mask: number;
  /** Set by `insert`: whether the last call claimed an empty slot (a state new to the table). */
  fresh = false;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.mask = this.words.length / 3 - 1;
  }

  /** A table of `capacity` slots (a power of two). */
  static create(capacity: number): SharedTable {
    return new SharedTable(new SharedArrayBuffer(capacity * 12));
  }

  get capacity(): number {
    return this.mask + 1;
  }

  get bytes(): number {
    return this.words.byteLength;
  }

  /**
   * Inserts fingerprint (a, b) found at moment `stamp`. Returns its slot when this call
   * claimed it (a new state, `fresh`) or lowered its stamp (an earlier discoverer of a
   * state new in this level); -1 when the state is older or was found earlier.
   */
  insert(a: number, b: number, stamp: number): number {
    const w = this.words;
    const mask = this.mask;
    // Plain reads first: lanes are written once per slot and stamps only ever fall, so a
    // lane that is neither 0 nor ours is another state's for good, and our own state
    // stamped OLD or no later than `stamp` needs nothing. That is most lookups (92% find
    // a known state on two-phase), and it spares them the atomic reads (7% of a search).
    // Whatever else a plain read shows (a slot empty or mid-write, a lowering to make)
    // is settled by the atomic loop below, from that slot on.
    let slot = a & mask;
    for (;;) {
      const k = slot * 3;
      const x = w[k]!;
      if (x === 0) break;
      if (x === a) {
        const y = w[k + 1]!;
        if (y === b) {
          const s = w[k + 2]!;
          if (s === OLD || (s >= FIRST_STAMP && s <= stamp)) {
            this.fresh = false;
            return -1;
          }
          break;
        }
        if (y === 0) break;
      }
      slot = (slot + 1) & mask;
    }
    for (;;) {
      const k = slot * 3;
      let s = Atomics.load(w, k + 2);
      if (s === EMPTY) {
        s = Atomics.compareExchange(w, k + 2, EMPTY, BUSY);
        if (s === EMPTY) {
          w[k] = a;
          w[k + 1] = b;
          Atomics.store(w, k + 2, stamp);
          this.fresh = true;
          return slot;
        }
      }
      while (s === BUSY) s = Atomics.load(w, k + 2);
      if (w[k] === a && w[k + 1] === b) {
        this.fresh = false;
        // A state of an earlier level has an earlier stamp: it is never lowered.
        while (s > stamp) {
          const seen = Atomics.compareExchange(w, k + 2, s, stamp);
          if (seen === s) return slot;
          s = seen;
        }
        return -1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Whether (a, b) is in the table; only while nobody inserts (the depth-bound probe). */
  has(a: number, b: number): boolean {
    const w = this.words;
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slot * 3;
      if (w[k + 2] === EMPTY) return false;
      if (w[k] === a && w[k + 1] === b) return true;
    }
  }

  /** Reads the home slots of `count` fingerprints (lane A) together, so their cache misses overlap. */
  warm(as: Int32Array, count: number): void {
    const w = this.words;
    const mask = this.mask;
    let sink = 0;
    for (let i = 0; i < count; i++) sink ^= w[(as[i]! & mask) * 3 + 2]!;
    this.sink = sink;
  }

  /** Keeps the warming reads from being optimised away. */
  private sink = 0;

  /** Sets every stamp of slots [start, end) to OLD (before moments would pass MAX_STAMP). */
  renumber(start: number, end: number): void {
    const w = this.words;
    for (let k = start * 3 + 2; k < end * 3; k += 3) if (w[k]! >= FIRST_STAMP) w[k] = OLD;
  }

  /**
   * Copies the entries of `from`'s slots [start, end) stamped before `before` into this
   * table (growth, which leaves out what a level cut short had added; entries are distinct).
   */
  rehashFrom(from: SharedTable, start: number, end: number, before: number): void {
    const src = from.words;
    for (let slot = start; slot < end; slot++) {
      const k = slot * 3;
      const stamp = src[k + 2]!;
      if (stamp === EMPTY || stamp >= before) continue;
      const at = this.insert(src[k]!, src[k + 1]!, stamp);
      if (at < 0) throw new Error('faultline bug: a fingerprint twice in the parallel table');
    }
  }
}
