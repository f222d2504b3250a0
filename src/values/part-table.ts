// Interning of state values: equal values (compared by value, not identity) get one
// number and one frozen object. The coded searches keep states as such numbers.
import { equalValues } from './compare.js';
import { fingerprintInto } from './fingerprint.js';
import { ShapeHasher } from './shape-hash.js';

const scratch = new Uint32Array(2);

/**
 * Interns the values of one part of a state. Lookup is by fingerprint, confirmed
 * by value equality, so two parts share an id only when they are equal values.
 *
 * The index is typed arrays: per id its two hash lanes and the next id of its
 * bucket, and per bucket its last id. (It was three JS arrays and a Map from 30
 * bits of lane A: lanes past 2^30 made the lane arrays doubles, and the Map added
 * about 30 bytes an entry; a Map.get per lookup, too.)
 */
export class PartTable {
  /** Memory per interned value, estimated (its table entries and a small object), for the reports. */
  static readonly BYTES_PER_PART = 96;

  readonly parts: unknown[] = [];
  /** Lanes A and B of part id at 2·id and 2·id + 1. */
  private lanes = new Int32Array(32);
  /** id → the previous id in its bucket (-1: none). */
  private chain = new Int32Array(16);
  /** Bucket (lane A's low bits) → its last id (-1: none); as many buckets as ids, at least. */
  private heads = new Int32Array(16).fill(-1);
  private mask = 15;
  private readonly fp = new Uint32Array(2);
  /** Compiled for the first record interned (undefined: not derived yet; null: generic hashing). */
  private hasher: ShapeHasher | null | undefined;
  private last: unknown = undefined;
  private lastId = -1;

  /**
   * `hashOf`: the table's own 64-bit hash of a part, in place of the structural fingerprint.
   * `seal`: makes a new part immutable, in place of memoising its fingerprint and freezing it deep.
   */
  constructor(
    private readonly hashOf?: (part: unknown, out: Uint32Array) => void,
    private readonly seal?: (part: unknown) => unknown,
  ) {}

  get size(): number {
    return this.parts.length;
  }

  /** The id of `part`, interned (and frozen) when it is the first of its value. */
  id(part: unknown): number {
    if (part === this.last) return this.lastId;
    this.hash(part);
    const a = this.fp[0]! | 0;
    const b = this.fp[1]! | 0;
    const lanes = this.lanes;
    const chain = this.chain;
    const bucket = a & this.mask;
    for (let id = this.heads[bucket]!; id >= 0; id = chain[id]!) {
      if (lanes[2 * id] === a && lanes[2 * id + 1] === b && equalValues(this.parts[id], part)) return this.remember(part, id);
    }
    let kept = part;
    if (this.seal !== undefined) kept = this.seal(part);
    else fingerprintInto(part, scratch, 0, true); // memoised and frozen, as a kept state's parts are
    const id = this.parts.length;
    this.parts.push(kept);
    if (id === this.chain.length) this.grow();
    this.lanes[2 * id] = a;
    this.lanes[2 * id + 1] = b;
    this.link(id, a);
    return this.remember(kept, id);
  }

  /** Lane A of part `id`'s hash: a function of its value alone, the same in every thread. */
  laneA(id: number): number {
    return this.lanes[2 * id]!;
  }

  laneB(id: number): number {
    return this.lanes[2 * id + 1]!;
  }

  /** Tells the table that `part` is its part `id` (as interned): the next id(part) is a comparison. */
  hint(part: unknown, id: number): void {
    this.remember(part, id);
  }

  private link(id: number, a: number): void {
    const bucket = a & this.mask;
    this.chain[id] = this.heads[bucket]!;
    this.heads[bucket] = id;
  }

  /** Doubles the id columns and the buckets (rebuilt from the lanes). */
  private grow(): void {
    const n = this.chain.length;
    const lanes = new Int32Array(4 * n);
    lanes.set(this.lanes);
    this.lanes = lanes;
    this.chain = new Int32Array(2 * n);
    this.heads = new Int32Array(2 * n).fill(-1);
    this.mask = 2 * n - 1;
    for (let id = 0; id < n; id++) this.link(id, lanes[2 * id]!);
  }

  private remember(part: unknown, id: number): number {
    this.last = part;
    this.lastId = id;
    return id;
  }

  private hash(part: unknown): void {
    if (this.hashOf !== undefined) return this.hashOf(part, this.fp);
    if (this.hasher === undefined) this.hasher = ShapeHasher.derive(part) ?? null;
    if (this.hasher !== null) {
      try {
        this.hasher.hashInto(part, this.fp);
        return;
      } catch {
        // Not a state value: the generic path below words the error.
      }
    }
    fingerprintInto(part, this.fp, 0, false);
  }
}
