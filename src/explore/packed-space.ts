// The packed search's representation: same order, counts and traces as the value
// space (value-space.ts), which the same spec also runs through its plain view.
import { hashWords } from '../packed/hash.js';
import type { PackedSystem } from '../packed/spec.js';
import { PackedState } from '../packed/state.js';
import { DeterminismCheck } from './determinism.js';
import { ConstraintMarks, UNKNOWN, WITHIN } from './constraint-marks.js';
import type { StateSpace } from './bfs.js';
import type { Route } from './value-space.js';
import type { Search } from './search.js';
import { ActionLinks } from './action-links.js';
import { FingerprintSet } from './fingerprint-set.js';
import { Records } from './records.js';
import { SuccessorBatch } from './successor-batch.js';
import { NO_PARENT, type LinkColumnsData } from './link-columns.js';
import { restoreVisited, saveVisited, saveVisitedEntries } from './checkpoint/visited.js';
import type { CheckpointData } from './checkpoint/file.js';

/**
 * The BFS's space for packed specs (packed()): the levels are flat runs of words, a
 * successor is written into one reused draft, hashed from its words and copied out
 * only when it is new. The successors of one state are collected into a batch, whose
 * table lines are warmed together, then admitted in order. The parallel search
 * (parallel/coordinator.ts) steps it alone until its worker threads are up, then
 * carries on from its visited set, links and level.
 */
export class PackedSpace implements StateSpace {
  seen = new FingerprintSet();
  readonly links: ActionLinks;
  /** The level being expanded (after `advance`), a state's words per record. */
  level: Records;
  /** The id of the level's first state: ids are dense in BFS order. */
  levelBase = 0;
  private next: Records;
  private readonly n: number;
  private readonly info: Int32Array;
  private readonly determinism: DeterminismCheck<Int32Array>;
  private readonly parent: PackedState; // the state being expanded
  private readonly fresh: PackedState; // a new state, for its invariants
  private readonly draft: PackedState;
  private readonly batch: SuccessorBatch;
  /** The constraint's verdict on each queued state, when the spec has a constraint. */
  private readonly marks: ConstraintMarks | undefined;
  private parentId = NO_PARENT;
  private depth = 0;
  private record: number[] | undefined;
  /** Set in a parallel search's shard: successors go there (value-space.ts's Route). */
  route: Route | undefined;
  /** Routing only, to learn whether the depth bound cut something off: nothing counted or checked. */
  probing = false;
  /** A shard's level is not dense in ids: the coordinator numbers it. */
  levelIds: Int32Array | undefined;
  readonly foundOrdinal = -1;
  readonly codec = undefined;
  readonly layout = 'packed';

  constructor(
    private readonly search: Search<unknown>,
    private readonly ps: PackedSystem,
  ) {
    this.links = new ActionLinks(ps);
    search.storeIn({ links: this.links, bytesElsewhere: () => this.seen.bytes, exactFingerprints: ps.layout.bits <= 64 });
    this.determinism = packedDeterminism(search, ps);
    this.n = ps.instances.length;
    this.info = Int32Array.from(ps.instances, (i) => i.info);
    const W = ps.layout.words;
    this.level = new Records(W);
    this.next = new Records(W);
    this.parent = new PackedState(new Int32Array(W), false);
    this.fresh = new PackedState(new Int32Array(W), false);
    this.draft = new PackedState(new Int32Array(W), true);
    this.batch = new SuccessorBatch(this.n, W);
    this.marks = ps.constraint === undefined ? undefined : new ConstraintMarks();
  }

  get queued(): number {
    return this.next.count;
  }

  start(): void {
    const { search, ps, W, seen, links, next } = this;
    const fp = search.hasher.fp;
    const init = ps.initial;
    for (let i = 0; i * W < init.length; i++) {
      hashWords(init, i * W, W, fp);
      search.counts.generated++;
      if (!seen.add(fp[0]! | 0, fp[1]! | 0)) continue;
      search.counts.initialCount++;
      this.check(links.push(NO_PARENT, i), next.copy(init, i * W));
      if (search.found) return;
    }
  }

  advance(): number {
    this.levelBase += this.level.count;
    [this.level, this.next] = [this.next, this.level];
    this.next.count = 0;
    this.marks?.advance();
    return this.level.count;
  }

  id(i: number): number {
    return this.levelIds !== undefined ? this.levelIds[i]! : this.levelBase + i;
  }

  get W(): number {
    return this.ps.layout.words;
  }

  get visited(): FingerprintSet {
    return this.seen;
  }

  useVisited(set: FingerprintSet): void {
    this.seen = set;
  }

  levelWords(i: number): Int32Array {
    return this.level.view(i);
  }

  queuedWords(i: number): Int32Array {
    return this.next.view(i);
  }

  queueWords(words: Int32Array): void {
    this.next.copy(words, 0);
  }

  /** A shard's new state (see ValueSpace.admitNew). */
  admitNew(words: Int32Array, at: number, depth: number, id: number): void {
    this.search.counts.depth = depth + 1;
    this.check(id, this.next.copy(words, at));
  }

  reorderQueued(order: Int32Array): void {
    this.next.permute(order);
    this.marks?.reorderQueued(order);
  }

  expand(i: number, depth: number): number {
    const { search, ps, determinism, level } = this;
    const W = this.W;
    this.parentId = this.id(i);
    this.depth = depth;
    const words = level.chunk(i);
    const pbase = level.offset(i);
    this.parent.words = words;
    this.parent.base = pbase;
    if (!this.within(this.parent, i)) return -1;
    // A sampled expansion keeps a copy of its words, re-run at the level's end.
    if (determinism.tick()) determinism.start(words.slice(pbase, pbase + W), this.parentId);
    this.record = determinism.current;
    this.batch.count = 0;
    let emitted: number;
    try {
      emitted = ps.expand(words, pbase, this.draft, this.collect);
    } catch (e) {
      // What came before the failing action is admitted first, as if unbatched.
      this.admitBatch();
      throw e;
    }
    this.admitBatch();
    return emitted;
  }

  checkDeadlock(): void {
    this.search.checker.checkDeadlock(this.parent, this.parentId, this.ps.done);
  }

  anyUnvisited(count: number): boolean {
    const { search, ps, W, seen, level, draft } = this;
    const view = new PackedState(new Int32Array(W), false);
    let found = false;
    for (let i = 0; i < count && !found; i++) {
      view.words = level.chunk(i);
      view.base = level.offset(i);
      if (!this.within(view, i)) continue;
      ps.expand(view.words, view.base, draft, () => {
        hashWords(draft.words, 0, W, search.hasher.fp);
        found = !seen.has(search.hasher.fp[0]! | 0, search.hasher.fp[1]! | 0);
        return !found;
      });
    }
    return found;
  }

  verifyDeterminism() {
    return this.determinism.verify();
  }

  get fullChecksLeft(): number {
    return this.determinism.fullChecksLeft;
  }

  set fullChecksLeft(n: number) {
    this.determinism.fullChecksLeft = n;
  }

  save(into: CheckpointData, _from: number): void {
    saveVisited(into, this.seen, this.links);
    into.header.levelBase = this.levelBase;
    into.columns.set('level', this.level.words());
    into.columns.set('next', this.next.words());
  }

  saveShared(into: CheckpointData, visited: readonly Int32Array[], links: LinkColumnsData, levelBase: number, level: Int32Array): void {
    saveVisitedEntries(into, visited, links);
    into.header.levelBase = levelBase;
    into.columns.set('level', level);
    into.columns.set('next', new Int32Array(0));
  }

  restore(from: CheckpointData): number {
    restoreVisited(from, this.seen, this.links);
    this.levelBase = from.header.levelBase as number;
    this.level.load(from.int32('level'));
    this.next.load(from.int32('next'));
    this.marks?.clear();
    return this.level.count;
  }

  private readonly collect = (j: number): boolean => {
    this.batch.add(this.draft.words, j);
    return true;
  };

  /** Each successor: counted, kept and checked when new, until a violation. */
  private admitBatch(): void {
    const { search, W, seen, links, next, info, record } = this;
    const coverage = search.counts.coverage;
    const { a, b: lanesB, action, words, count } = this.batch;
    const route = this.route;
    if (route !== undefined) {
      seen.warm(a, count); // the lookups of the successors this shard owns
      for (let b = 0; b < count; b++) {
        const j = action[b]!;
        if (!this.probing) {
          search.counts.generated++;
          coverage[info[j]!]!++;
          record?.push(info[j]!, a[b]! >>> 0, lanesB[b]! >>> 0);
        }
        const shard = route.to(a[b]!, lanesB[b]!, this.parentId, j);
        // Its own new successors are admitted at once: the expansion is over (no codec to disturb).
        if (shard === route.self) route.admitWords(a[b]!, lanesB[b]!, this.parentId, j, words, b * W);
        else if (shard >= 0) route.send(shard, a[b]!, lanesB[b]!, this.parentId, j, words, b * W);
      }
      return;
    }
    seen.warm(a, count);
    for (let b = 0; b < count; b++) {
      const j = action[b]!;
      search.counts.generated++;
      coverage[info[j]!]!++;
      record?.push(info[j]!, a[b]! >>> 0, lanesB[b]! >>> 0);
      if (!seen.add(a[b]!, lanesB[b]!)) continue;
      search.counts.depth = this.depth + 1;
      this.check(links.push(this.parentId, j), next.copy(words, b * W));
      if (search.found) return;
    }
  }

  /** Invariants of the new state `id`, queued at record `at`; one failing the constraint is not counted (TLC). */
  private check(id: number, at: number): void {
    const { search, ps, fresh } = this;
    fresh.words = this.next.chunk(at);
    fresh.base = this.next.offset(at);
    search.checker.checkStateWith(ps, fresh, id);
    if (ps.constraint !== undefined) this.marks!.mark(at, search.checker.countConstraint(fresh, ps.constraint));
  }

  /** Whether the level's i-th state (`view` on it) may be expanded: the verdict taken when it was checked, else the constraint's. */
  private within(view: PackedState, i: number): boolean {
    const c = this.ps.constraint;
    if (c === undefined) return true;
    const mark = this.marks!.of(i);
    return mark === UNKNOWN ? this.search.checker.withinConstraint(view, c) : mark === WITHIN;
  }
}

/** The nondeterminism check on words: a sampled state keeps a copy of its words and is re-run on them. */
export function packedDeterminism(search: Search<unknown>, ps: PackedSystem): DeterminismCheck<Int32Array> {
  const W = ps.layout.words;
  const draft = new PackedState(new Int32Array(W), true);
  const fp = new Uint32Array(2);
  return new DeterminismCheck<Int32Array>(search.system as never, search.options.recheckRate, (words, visit) =>
    ps.expand(words, 0, draft, (j) => {
      hashWords(draft.words, 0, W, fp);
      visit(ps.instances[j]!.info, fp[0]!, fp[1]!, ps.instances[j]!.label);
      return true;
    }),
  );
}
