// Interning of state values: equal values (compared by value, not identity) get one
// number and one frozen object. The coded searches keep states as such numbers.
import { equalValues } from './compare.js';
import { fingerprintInto } from './fingerprint.js';
import { ShapeHasher } from './shape-hash.js';

const scratch = new Uint32Array(2);

/**
 * Interns the values of one part of a state. Lookup is by fingerprint, confirmed
 * by value equality, so two parts share an id only when they are equal values.
 */
export class PartTable {
  /** Memory per interned value, estimated (its table entries and a small object), for the reports. */
  static readonly BYTES_PER_PART = 96;

  readonly parts: unknown[] = [];
  private readonly lanesA: number[] = [];
  private readonly lanesB: number[] = [];
  /** id → the next id whose lane A has the same key (-1: none). */
  private readonly chain: number[] = [];
  /** 30 bits of lane A (a small integer key) → the last id with them. */
  private readonly heads = new Map<number, number>();
  private readonly fp = new Uint32Array(2);
  /** Compiled for the first record interned (undefined: not derived yet; null: generic hashing). */
  private hasher: ShapeHasher | null | undefined;
  private last: unknown = undefined;
  private lastId = -1;

  /** `hashOf`: the table's own 64-bit hash of a part, in place of the structural fingerprint. */
  constructor(private readonly hashOf?: (part: unknown, out: Uint32Array) => void) {}

  get size(): number {
    return this.parts.length;
  }

  /** The id of `part`, interned (and frozen) when it is the first of its value. */
  id(part: unknown): number {
    if (part === this.last) return this.lastId;
    this.hash(part);
    const a = this.fp[0]!;
    const b = this.fp[1]!;
    const key = a & 0x3fffffff;
    const head = this.heads.get(key) ?? -1;
    for (let id = head; id >= 0; id = this.chain[id]!) {
      if (this.lanesA[id] === a && this.lanesB[id] === b && equalValues(this.parts[id], part)) return this.remember(part, id);
    }
    fingerprintInto(part, scratch, 0, true); // memoised and frozen, as a kept state's parts are
    const id = this.parts.length;
    this.parts.push(part);
    this.lanesA.push(a);
    this.lanesB.push(b);
    this.chain.push(head);
    this.heads.set(key, id);
    return this.remember(part, id);
  }

  /** Lane A of part `id`'s hash: a function of its value alone, the same in every thread. */
  laneA(id: number): number {
    return this.lanesA[id]!;
  }

  laneB(id: number): number {
    return this.lanesB[id]!;
  }

  /** Tells the table that `part` is its part `id` (as interned): the next id(part) is a comparison. */
  hint(part: unknown, id: number): void {
    this.remember(part, id);
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
