// The lookup index of an interning table: ids numbered in order of arrival, each with
// the two 32-bit lanes of its value's hash, chained per bucket. Typed arrays only, so
// its memory is exactly `bytes`. (It was three JS arrays and a Map from 30 bits of lane
// A: lanes past 2^30 made the lane arrays doubles, and the Map added about 30 bytes an
// entry; a Map.get per lookup, too.)

export class HashIndex {
  /** Lanes A and B of id at 2·id and 2·id + 1. */
  private lanes = new Int32Array(32);
  /** id → the previous id in its bucket (-1: none). */
  private chain = new Int32Array(16);
  /** Bucket (lane A's low bits) → its last id (-1: none); room for `perBucket` ids a bucket. */
  private heads: Int32Array;
  private mask: number;

  /** `perBucket` 2: half the buckets (4 bytes an id less), chains twice as long. */
  constructor(private readonly perBucket: 1 | 2 = 1) {
    this.heads = new Int32Array(16 / perBucket).fill(-1);
    this.mask = this.heads.length - 1;
  }

  /** The last id of lane A's bucket (-1: none); `next` walks the bucket. */
  first(a: number): number {
    return this.heads[a & this.mask]!;
  }

  next(id: number): number {
    return this.chain[id]!;
  }

  /** Whether id's lanes are a and b. */
  is(id: number, a: number, b: number): boolean {
    return this.lanes[2 * id] === a && this.lanes[2 * id + 1] === b;
  }

  /** Indexes `id` (the next one: ids come in order) under lanes a and b. */
  add(id: number, a: number, b: number): void {
    if (id === this.chain.length) this.grow();
    this.lanes[2 * id] = a;
    this.lanes[2 * id + 1] = b;
    this.link(id, a);
  }

  laneA(id: number): number {
    return this.lanes[2 * id]!;
  }

  laneB(id: number): number {
    return this.lanes[2 * id + 1]!;
  }

  get bytes(): number {
    return this.lanes.byteLength + this.chain.byteLength + this.heads.byteLength;
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
    this.heads = new Int32Array((2 * n) / this.perBucket).fill(-1);
    this.mask = this.heads.length - 1;
    for (let id = 0; id < n; id++) this.link(id, lanes[2 * id]!);
  }
}
