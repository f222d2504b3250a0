// Interning of state values: equal values (compared by value, not identity) get one
// number and one frozen object. The coded searches keep states as such numbers.
import { equalValues } from './compare.js';
import { fingerprintInto } from './fingerprint.js';
import { ShapeHasher } from './shape-hash.js';
import { HashIndex } from './hash-index.js';
import { freshBytes } from './fresh-bytes.js';

const scratch = new Uint32Array(2);

/**
 * Interns the values of one part of a state. Lookup is by hash (a HashIndex),
 * confirmed by value equality, so two parts share an id only when they are equal values.
 */
export class PartTable {
  readonly parts: unknown[] = [];
  private readonly index = new HashIndex();
  private readonly fp = new Uint32Array(2);
  /** The estimated bytes of the objects the kept parts brought (freshBytes). */
  private held = 0;
  /** Compiled for the first record interned (undefined: not derived yet; null: generic hashing). */
  private hasher: ShapeHasher | null | undefined;
  private last: unknown = undefined;
  private lastId = -1;

  /** `hashOf`: the table's own 64-bit hash of a part, in place of the structural one (tests force collisions with it). */
  constructor(private readonly hashOf?: (part: unknown, out: Uint32Array) => void) {}

  get size(): number {
    return this.parts.length;
  }

  /** Memory held for the kept parts: the index, the parts array's slots, and their objects (estimated as they are kept). */
  get bytes(): number {
    return this.index.bytes + 8 * this.parts.length + this.held;
  }

  /** The id of `part`, interned (and frozen) when it is the first of its value. */
  id(part: unknown): number {
    if (part === this.last) return this.lastId;
    this.hash(part);
    const a = this.fp[0]! | 0;
    const b = this.fp[1]! | 0;
    const index = this.index;
    for (let id = index.first(a); id >= 0; id = index.next(id)) {
      if (index.is(id, a, b) && equalValues(this.parts[id], part)) return this.remember(part, id);
    }
    this.held += freshBytes(part);
    fingerprintInto(part, scratch, 0, true); // memoised and frozen, as a kept state's parts are
    const id = this.parts.length;
    this.parts.push(part);
    index.add(id, a, b);
    return this.remember(part, id);
  }

  /** Lane A of part `id`'s hash: a function of its value alone, the same in every thread. */
  laneA(id: number): number {
    return this.index.laneA(id);
  }

  laneB(id: number): number {
    return this.index.laneB(id);
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
