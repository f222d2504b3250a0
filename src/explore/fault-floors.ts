// How few faults a violation still to be met in a level can have: the search of a
// spec with faults (PropertyChecker.ranksFaults, bfs.ts) reports a level's fewest-faults
// violation, and stops as soon as nothing still to come could have fewer. A state's
// faults never decrease along a path (a fault adds one, nothing takes one back), so a
// violation met expanding state i has at least state i's faults: the floor of state i
// is the fewest faults of it and the states after it (a violation met expanding it
// with no more ends the search at once), the floor after it that of the states after
// it. One byte a state of the level (saturated: a floor too low only stops later).

/** No state is left: any violation met so far stands. */
const NONE = Infinity;
const MAX = 255;

/** The faults of the states admitted (checked) since the last take, in order. */
export class FaultTally {
  private values = new Uint8Array(1024);
  private count = 0;

  push(faults: number): void {
    if (this.count === this.values.length) {
      const grown = new Uint8Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = Math.min(faults, MAX);
  }

  /** The values pushed so far (a checkpoint keeps them). */
  peek(): Uint8Array {
    return this.values.subarray(0, this.count);
  }

  /** The values pushed, in the order given (indices into them; default: as pushed); empties the tally. */
  take(order?: Int32Array): Uint8Array {
    // A loop, not Uint8Array.from(order, mapFn): that took 1.2-1.5% of a shard's samples on
    // protocol-bench with 2 workers (a call per state through the iterator protocol).
    let out: Uint8Array;
    if (order === undefined) out = this.values.slice(0, this.count);
    else {
      const values = this.values;
      out = new Uint8Array(order.length);
      for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
    }
    this.count = 0;
    return out;
  }
}

/** The floors of a level whose states, in order, have these faults: of each state and the later ones (the array is overwritten). */
export function floorsOf(faults: Uint8Array): Uint8Array {
  for (let i = faults.length - 2; i >= 0; i--) if (faults[i + 1]! < faults[i]!) faults[i] = faults[i + 1]!;
  return faults;
}

/** The fewest faults of the states after the i-th (Infinity after the last). */
export function floorAfter(floors: Uint8Array, i: number): number {
  return i + 1 < floors.length ? floors[i + 1]! : NONE;
}
