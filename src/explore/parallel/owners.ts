// Where the parent links of a parallel search's shared levels are: with the shard
// that owns each state (Shard's `kept`, kept in the order it holds its states:
// level by level, ascending ids). The coordinator numbers the states and keeps only
// their owner, 1 byte a state (2 past 256 shards), instead of the 6 bytes of a link;
// a state's place in its owner's links is its rank among that owner's states, found
// from per-chunk counts and a scan of at most one chunk. The alternative, every shard
// keeping its states' ids (4 bytes a state more, spread over the shards) and the
// coordinator asking all of them, costs more memory in all and a round to every shard.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class Owners {
  private readonly chunks: (Uint8Array | Uint16Array)[] = [];
  /** Per chunk: how many states each shard owned before it. */
  private readonly before: Int32Array[] = [];
  private readonly counts: Int32Array;
  private n = 0;

  /** `base`: the first id numbered here (the ids before are the one-thread search's, linked in its own store). */
  constructor(
    readonly base: number,
    private readonly shards: number,
  ) {
    this.counts = new Int32Array(shards);
  }

  get size(): number {
    return this.n;
  }

  get bytes(): number {
    return this.chunks.length * (CHUNK * (this.shards <= 256 ? 1 : 2) + 4 * this.shards);
  }

  /** The next id (base + size) is owned by shard `owner`. */
  push(owner: number): void {
    const i = this.n++;
    const c = i >>> CHUNK_BITS;
    if (c === this.chunks.length) {
      this.chunks.push(this.shards <= 256 ? new Uint8Array(CHUNK) : new Uint16Array(CHUNK));
      this.before.push(Int32Array.from(this.counts));
    }
    this.chunks[c]![i & CHUNK_MASK] = owner;
    this.counts[owner]!++;
  }

  ownerOf(id: number): number {
    const i = id - this.base;
    return this.chunks[i >>> CHUNK_BITS]![i & CHUNK_MASK]!;
  }

  /** State `id`'s owner, and its place among that owner's states (where its link is in the owner's store). */
  locate(id: number): [owner: number, index: number] {
    const i = id - this.base;
    if (i < 0 || i >= this.n) throw new Error(`internal: state ${id} was not numbered by the shared search`);
    const c = i >>> CHUNK_BITS;
    const chunk = this.chunks[c]!;
    const s = chunk[i & CHUNK_MASK]!;
    let k = this.before[c]![s]!;
    for (let j = 0; j < (i & CHUNK_MASK); j++) if (chunk[j] === s) k++;
    return [s, k];
  }
}
