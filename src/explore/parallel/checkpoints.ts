// Checkpoints of a parallel search (--checkpoint with --workers), written at level
// boundaries: the shards send their visited fingerprints and their states of the
// level and their parent links (Shard.dump), and this thread saves them in its own space's format, the one
// the one-thread search over that space writes (checkpoint/). A resumed search, with
// any number of workers, starts from them as from its own.
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import type { LinkColumns, LinkColumnsData } from '../link-columns.js';
import type { Search, SearchCounters } from '../search.js';
import { Inbox } from './exchange.js';
import type { Dumped } from './messages.js';
import type { Owners } from './owners.js';
import type { ShardSpace } from './shard.js';

/** A level as the coordinator sends it, and the search at its start. */
export interface SharedLevel {
  readonly depth: number;
  /** The global ids of each shard's states of the level, in the order it holds them. */
  readonly ids: readonly Int32Array[];
  /** The level's first id (its ids are dense from there). */
  readonly base: number;
  readonly size: number;
  readonly counters: SearchCounters;
  readonly distinct: number;
  /** Parent links before the level's new states. */
  readonly links: number;
}

export class SharedCheckpoints {
  /** The last level sent to the shards: a stop in it or after it saves its start. */
  private sent: SharedLevel | undefined;
  private boundary: SharedLevel | undefined;

  constructor(
    private readonly search: Search<unknown>,
    private readonly space: ShardSpace,
    private readonly checkpointer: Checkpointer,
    /** Which shard keeps the link of each state numbered since the hand-over. */
    private readonly owners: Owners,
    /** Asks every shard for its part (Shard.dump). */
    private readonly dump: (queued: boolean) => Promise<Dumped[]>,
  ) {}

  /**
   * At the boundary before the level at `depth` (not yet sent): remembers the search
   * there, and writes a checkpoint when one is due. False when the write failed (the
   * search then has an error).
   */
  async atBoundary(depth: number, ids: readonly Int32Array[], base: number, floors: Uint8Array): Promise<boolean> {
    const { search } = this;
    search.checker.faultFloors = floors; // counters() saves the level's floors
    this.boundary = {
      depth,
      ids,
      base,
      size: ids.reduce((n, l) => n + l.length, 0),
      counters: search.counters(),
      distinct: search.distinct,
      links: search.links.size,
    };
    if (search.stopped !== undefined || !this.checkpointer.dueNow()) return true;
    return this.save(this.boundary, true);
  }

  /** The level at the boundary is sent to the shards. */
  sending(): void {
    this.sent = this.boundary;
  }

  /**
   * The search stopped short (a bound or a signal): saves the start of the level it
   * stopped in or after, which the shards still hold, or the boundary it stopped at.
   */
  async stopped(): Promise<void> {
    const at = this.sent ?? this.boundary;
    if (at === undefined) return;
    await this.save({ ...at, counters: { ...at.counters, elapsedMs: this.search.counters().elapsedMs } }, this.sent === undefined);
  }

  /** Writes the level `at` (`queued`: still queued in the shards, else their level). */
  private async save(at: SharedLevel, queued: boolean): Promise<boolean> {
    const { space } = this;
    const started = Date.now();
    const dumps = await this.dump(queued);
    const W = space.W;
    const level = new Int32Array(at.size * W);
    dumps.forEach((d, s) => {
      const ids = at.ids[s]!;
      let k = 0;
      // The states' parts are taken into this thread's codec: the words are in its numbering then.
      new Inbox(W, space.codec).receive(d.batch, (_a, _b, _i, _o, words) => {
        if (k >= ids.length) throw new Error(`internal: shard ${s} saved more states of the level than the ${ids.length} numbered`);
        level.set(words, (ids[k++]! - at.base) * W);
      });
      if (k !== ids.length) throw new Error(`internal: shard ${s} saved ${k} states of the level, numbered ${ids.length}`);
    });
    return this.checkpointer.write({ depth: at.depth, levelSize: at.size, from: 0 }, at.counters, at.distinct, (data) =>
      space.saveShared(
        data,
        dumps.map((d) => d.visited),
        this.links(dumps, at.links),
        at.base,
        level,
      ),
      started,
    );
  }

  /**
   * The first `count` links, in id order, as one thread's checkpoint has them: this
   * thread's own (the one-thread search's, before the hand-over), then each state's
   * from its owner's, which keeps them in id order.
   */
  private links(dumps: readonly Dumped[], count: number): LinkColumnsData {
    const own = (this.search.links as LinkColumns).columns();
    const stored = own.parents.length;
    if (count <= stored) return { parents: own.parents.subarray(0, count), actions: own.actions.subarray(0, count) };
    const parents = new Int32Array(count);
    const actions = new Int32Array(count);
    parents.set(own.parents);
    actions.set(own.actions);
    const taken = new Int32Array(dumps.length);
    for (let id = stored; id < count; id++) {
      const s = this.owners.ownerOf(id);
      const k = taken[s]!++;
      const kept = dumps[s]!.links;
      if (k >= kept.parents.length) throw new Error(`internal: shard ${s} saved ${kept.parents.length} links, fewer than the states it owns`);
      parents[id] = kept.parents[k]!;
      actions[id] = kept.actions[k]!;
    }
    return { parents, actions };
  }
}
