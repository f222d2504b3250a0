// Breadth-first search over packed states (specs written with packed()): the
// frontier is a flat Int32Array of words, a successor is written into one reused
// draft, hashed from its words and only copied out when it is new. Same order,
// counts and traces as bfs.ts, which the same spec also runs through its plain view.
import { isSpecError } from '../core/errors.js';
import { hashWords } from '../packed/hash.js';
import type { PackedSystem } from '../packed/spec.js';
import { PackedState } from '../packed/state.js';
import { DeterminismCheck } from './determinism.js';
import { asSpecError, type Search } from './search.js';
import { ActionLinks } from './action-links.js';
import { FingerprintSet } from './fingerprint-set.js';
import { Records } from './records.js';
import { SuccessorBatch } from './successor-batch.js';
import { NO_PARENT } from './visited.js';

export function packedBfs(search: Search<unknown>, ps: PackedSystem): void {
  const levels = new PackedLevels(search, ps);
  if (levels.start()) while (levels.step());
  search.queueSize = 0;
}

/**
 * The packed BFS, a level at a time: the parallel search (parallel/coordinator.ts)
 * runs it alone until its worker threads are up, then carries on from its visited
 * set, links and frontier.
 */
export class PackedLevels {
  readonly seen = new FingerprintSet();
  readonly links: ActionLinks;
  /** The frontier: the level to expand next, a state's words per record. */
  next: Records;
  /** The id of the frontier's first state: ids are dense in BFS order. */
  levelBase = 0;
  /** The frontier's depth. */
  depth = 0;
  private level: Records;
  private readonly W: number;
  private readonly n: number;
  private readonly info: Int32Array;
  private readonly determinism: DeterminismCheck<Int32Array>;
  private readonly parent: PackedState; // the state being expanded
  private readonly fresh: PackedState; // a new state, for its invariants
  private readonly draft: PackedState;
  private readonly batch: SuccessorBatch;
  private parentId = NO_PARENT;
  private record: number[] | undefined;

  constructor(
    private readonly search: Search<unknown>,
    private readonly ps: PackedSystem,
  ) {
    this.links = new ActionLinks(ps);
    search.links = this.links;
    search.memoryElsewhere = () => this.seen.bytes;
    this.W = ps.layout.words;
    search.exactFingerprints = ps.layout.bits <= 64;
    this.determinism = packedDeterminism(search, ps);
    this.n = ps.instances.length;
    this.info = Int32Array.from(ps.instances, (i) => i.info);
    this.level = new Records(this.W);
    this.next = new Records(this.W);
    this.parent = new PackedState(this.level.data, false);
    this.fresh = new PackedState(this.next.data, false);
    this.draft = new PackedState(new Int32Array(this.W), true);
    // The successors of one state are collected, then their table lines are
    // warmed together, then admitted in order.
    this.batch = new SuccessorBatch(this.n, this.W);
  }

  /** Admits the initial states, the first frontier; false when that ends the search. */
  start(): boolean {
    const { search, ps, W, seen, links, next, fresh } = this;
    const fp = search.fp;
    try {
      const init = ps.initial;
      for (let i = 0; i * W < init.length; i++) {
        hashWords(init, i * W, W, fp);
        search.generated++;
        if (!seen.add(fp[0]! | 0, fp[1]! | 0)) continue;
        const id = links.push(NO_PARENT, i);
        const at = next.copy(init, i * W);
        fresh.words = next.data;
        fresh.base = at * W;
        search.checkStateWith(ps, fresh, id);
        if (search.found) return false;
      }
    } catch (e) {
      this.fail(e);
      return false;
    }
    return next.count > 0;
  }

  /** Expands the frontier into the next; false when the search is over (done, a violation, an error or a bound). */
  step(): boolean {
    const { search, ps, W, seen, determinism } = this;
    const options = search.options;
    [this.level, this.next] = [this.next, this.level];
    const level = this.level;
    const next = this.next;
    next.count = 0;
    this.parent.words = level.data;
    const levelCount = level.count;
    try {
      if (this.depth >= (options.maxDepth ?? Infinity)) {
        if (anyUnvisited(search, ps, seen, level, this.draft)) search.stopped = 'maxDepth';
        return false;
      }
      for (let i = 0; i < levelCount; i++) {
        this.parentId = this.levelBase + i;
        const pbase = i * W;
        this.parent.base = pbase;
        if (ps.constraint !== undefined && !search.withinConstraint(this.parent, ps.constraint)) continue;
        // A sampled expansion keeps a copy of its words, re-run at the level's end.
        if (determinism.tick()) determinism.start(level.data.slice(pbase, pbase + W), this.parentId);
        this.record = determinism.current;
        this.batch.count = 0;
        let emitted: number;
        try {
          emitted = ps.expand(level.data, pbase, this.draft, this.collect);
        } catch (e) {
          // What came before the failing action is admitted first, as if unbatched.
          if (!this.admitBatch()) return false;
          throw e;
        }
        if (!this.admitBatch()) return false;
        if (emitted === 0 && options.deadlock && this.depth > 0) {
          search.checkDeadlock(this.parent, this.parentId, ps.done);
          if (search.found) return false;
        }
        search.queueSize = levelCount - i - 1 + next.count;
        if (search.outOfBudget()) return false;
      }
      const bad = determinism.verify();
      if (bad) {
        this.parentId = bad.id;
        throw bad.error;
      }
    } catch (e) {
      this.fail(e);
      return false;
    }
    this.levelBase += levelCount;
    this.depth++;
    return next.count > 0;
  }

  private readonly collect = (j: number): boolean => {
    this.batch.add(this.draft.words, j);
    return true;
  };

  /** Each successor: counted, kept and checked when new. False when a violation stops the search. */
  private admitBatch(): boolean {
    const { search, ps, W, seen, links, next, fresh, info, record } = this;
    const coverage = search.coverage;
    const { a, b: lanesB, action, words, count } = this.batch;
    seen.warm(a, count);
    for (let b = 0; b < count; b++) {
      const j = action[b]!;
      search.generated++;
      coverage[info[j]!]!++;
      record?.push(info[j]!, a[b]! >>> 0, lanesB[b]! >>> 0);
      if (!seen.add(a[b]!, lanesB[b]!)) continue;
      const id = links.push(this.parentId, j);
      const at = next.copy(words, b * W);
      fresh.words = next.data;
      fresh.base = at * W;
      search.depth = this.depth + 1;
      search.checkStateWith(ps, fresh, id);
      if (search.found) return false;
    }
    return true;
  }

  private fail(e: unknown): void {
    const err = asSpecError(e);
    this.search.error = err;
    if (isSpecError(err)) this.search.attachTrace(err, this.parentId);
  }
}

/** Whether a state of the level has a successor not yet visited (so the depth bound cut something off). */
function anyUnvisited(search: Search<unknown>, ps: PackedSystem, seen: FingerprintSet, level: Records, draft: PackedState): boolean {
  const W = ps.layout.words;
  const view = new PackedState(level.data, false);
  let found = false;
  for (let i = 0; i < level.count && !found; i++) {
    view.base = i * W;
    if (ps.constraint !== undefined && !search.withinConstraint(view, ps.constraint)) continue;
    ps.expand(level.data, i * W, draft, () => {
      hashWords(draft.words, 0, W, search.fp);
      found = !seen.has(search.fp[0]! | 0, search.fp[1]! | 0);
      return !found;
    });
  }
  return found;
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
