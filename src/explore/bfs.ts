// Breadth-first search, level by level: the first violation found has a shortest
// trace, and successors are visited in the spec's fixed order, so counts and
// traces are the same on every run. This is the one BFS loop: how states are kept
// and expanded (objects, words of interned parts, packed words) is the business of
// a StateSpace (value-space.ts, packed-space.ts); the steps every search takes
// (the depth bound and its probe, deadlocks, budgets, the nondeterminism check, an
// error's trace, the choice among a level's violations) are taken here, once.
//
// Which violation: without faults, the first one met (the search stops there). In a
// spec with fault actions (PropertyChecker.ranksFaults), of the violations met expanding the
// level the first one is met in, the one reached with the fewest faults is reported
// (the first in this order among equals): a shortest trace still, with no more faults
// than the level requires. A state's faults are part of it (every path to it has as
// many), so this is the only choice there is to make within a level. The search goes
// on after the first violation only while a successor still to come could have fewer
// faults (fault-floors.ts): it stops at the violation when none can (usually the first
// one: the counts are then those without faults), else after the state whose
// expansion settles it, and the counts are those at that moment. An error, the time
// or memory bound or a signal met before that ends it too, and the best violation met
// before stands (one thread stopping at the first would not have met the error); the
// state bound does not, so the trace is the same whatever the state bound.
import { isSpecError, type SpecError, type TraceStep } from '../core/errors.js';
import type { ActionInfo } from '../core/types.js';
import { asSpecError, type Found, type Search } from './search.js';
import { NO_PARENT } from './link-columns.js';
import type { CheckpointData } from './checkpoint/file.js';
import type { Checkpointer, LevelPosition } from './checkpoint/checkpointer.js';
import { FaultTally, floorAfter, floorsOf } from './fault-floors.js';

/** How one representation of states keeps a BFS's levels and expands them. */
export interface StateSpace {
  /** Admits the initial states as the first level (visited, checked, queued); stops at a violation. */
  start(): void;
  /** Makes the states queued so far the level to expand; returns how many there are. */
  advance(): number;
  /** States queued for the next level. */
  readonly queued: number;
  /** The id of the level's i-th state (ids are dense in BFS order). */
  id(i: number): number;
  /**
   * Expands the level's i-th state at `depth`: each successor counted, looked up,
   * checked, and queued when new. Returns how many successors were progressing
   * actions (not faults or the passing of time), or -1 when the state fails the
   * constraint and is not expanded. A user error is thrown after what came before it
   * was admitted.
   */
  expand(i: number, depth: number): number;
  /** The deadlock check of the state expanded last. */
  checkDeadlock(): void;
  /** Whether some state of the level has a successor not yet visited (the depth bound cut it off). */
  anyUnvisited(count: number): boolean;
  /** Re-runs the sampled expansions of the level; the state whose re-run differed. */
  verifyDeterminism(): { id: number; error: SpecError } | undefined;
  /** The successor being admitted when a user error was thrown, for the error's trace. */
  readonly failedStep?: TraceStep;
  /** Saves the visited set, links and levels to a checkpoint; `from`: the level's first state not yet expanded. */
  save(into: CheckpointData, from: number): void;
  /** Restores what `save` wrote (into a fresh space); returns the level's size. */
  restore(from: CheckpointData): number;
  /**
   * How states are keyed and queued, which a checkpoint is resumed in: 'words' is the
   * parallel search's (every state as words, keyed alike in every thread), 'values'
   * one thread's otherwise.
   */
  readonly layout: 'packed' | 'values' | 'words';
}

/**
 * Which actions count against a deadlock: a state where only faults or the passing
 * of time are possible is stuck (the design's protocol deadlock).
 */
export function progressingActions(system: { actions: readonly ActionInfo[] }): boolean[] {
  return system.actions.map((a) => !a.fault && !a.idle);
}

/** The BFS over a space, a level at a time (the parallel search steps it until its workers are up). */
export class LevelLoop<S = unknown> {
  /** The depth of the level `level()` expands next. */
  depth = 0;
  private count = 0;
  /** The level's first state not yet expanded (0 but in a resumed search). */
  private from = 0;
  private stateId = NO_PARENT;
  /** The level's violation with the fewest faults so far, while the level is searched on (ranksFaults). */
  private best: Found | undefined;
  /** The index in the level of the state being expanded. */
  private at = 0;
  private readonly meet = (f: Found): void => {
    if (this.best === undefined || f.faults! < this.best.faults!) this.best = f;
    // Nothing met from here on (this state's other successors, later states') has fewer: stop now, as without faults.
    if (this.best.faults! <= this.floors[this.at]!) this.search.checker.found = this.best;
  };

  constructor(
    private readonly search: Search<S>,
    readonly space: StateSpace,
    /** Writes checkpoints (--checkpoint) between expansions and where the search stops short. */
    private readonly checkpointer?: Checkpointer,
  ) {
    if (search.checker.ranksFaults) search.checker.tally ??= new FaultTally(); // a resumed search's was restored
  }

  /** Goes on from a checkpoint's position instead of starting. */
  resume(at: LevelPosition): boolean {
    this.depth = at.depth;
    this.count = at.levelSize;
    this.from = at.from;
    this.search.counts.queueSize = at.levelSize - at.from + this.space.queued;
    return at.levelSize > 0;
  }

  /** Admits the initial states; false when that ends the search. */
  start(): boolean {
    return this.guard(() => {
      this.space.start();
      if (this.search.found) return false;
      this.count = this.space.advance();
      this.takeFloors();
      return this.count > 0 && this.checkpoint(0);
    });
  }

  /** Expands one level; false when the search is over (done, a violation, an error or a bound). */
  level(): boolean {
    const { search } = this;
    if (search.checker.ranksFaults) search.checker.deferred = this.meet;
    let more: boolean;
    try {
      more = this.expandLevel();
    } finally {
      search.checker.deferred = undefined;
    }
    const best = this.best;
    if (best === undefined) return more;
    this.best = undefined;
    search.checker.found = best;
    search.error = undefined; // met after it: see the top of the file
    return false;
  }

  private expandLevel(): boolean {
    return this.guard(() => {
      const { search, space, count, depth } = this;
      const options = search.options;
      if (depth >= (options.maxDepth ?? Infinity)) {
        if (space.anyUnvisited(count)) {
          search.budget.stopped = 'maxDepth';
          this.checkpoint(0); // a larger --max-depth resumes from here
        }
        return false;
      }
      const checkpointer = this.checkpointer;
      for (let i = this.from; i < count; i++) {
        this.stateId = space.id(i);
        this.at = i;
        const emitted = space.expand(i, depth);
        if (search.found) return false;
        if (emitted === 0 && options.deadlock && depth > 0) {
          space.checkDeadlock();
          if (search.found) return false;
        }
        search.counts.queueSize = count - i - 1 + space.queued;
        if (this.best !== undefined && this.best.faults! <= floorAfter(search.checker.faultFloors, i)) return false; // no state left can do better
        // With a violation pending the search ends in this level, with it: the state bound
        // does not cut it short (the trace does not depend on it), and a checkpoint would
        // not hold it. Time, memory and a signal do: the best violation met stands.
        if (search.budget.exceeded(this.best === undefined)) {
          if (this.best === undefined) this.checkpoint(i + 1);
          return false;
        }
        if (this.best === undefined && checkpointer?.due() && !this.checkpoint(i + 1)) return false;
      }
      this.from = 0;
      const bad = space.verifyDeterminism();
      if (bad) {
        this.stateId = bad.id;
        throw bad.error;
      }
      this.depth++;
      this.count = space.advance();
      this.takeFloors();
      search.counts.queueSize = this.count;
      return this.count > 0;
    });
  }

  /** Writes a checkpoint with the level's states before `from` expanded; false when that failed (the search then has an error). */
  private checkpoint(from: number): boolean {
    return this.checkpointer === undefined || this.checkpointer.save({ depth: this.depth, levelSize: this.count, from });
  }

  /** Ranking faults: the floors of the level now queued, from the faults of its states as they were checked. */
  private takeFloors(): void {
    const tally = this.search.checker.tally;
    if (tally !== undefined) this.search.checker.faultFloors = floorsOf(tally.take());
  }

  /** Ranking faults: the floors of the level `level()` expands next (fault-floors.ts). */
  get floors(): Uint8Array {
    return this.search.checker.faultFloors;
  }

  /** Whether the level `level()` expands next was begun by a search this one resumes. */
  get midLevel(): boolean {
    return this.from > 0;
  }

  /** The size of the level `level()` expands next. */
  get levelSize(): number {
    return this.count;
  }

  /** Runs `step`; a user error ends the search with the trace to the state it was met in. */
  private guard(step: () => boolean): boolean {
    try {
      return step();
    } catch (e) {
      const err = asSpecError(e);
      this.search.error = err;
      if (isSpecError(err)) this.search.attachTrace(err, this.stateId, this.space.failedStep);
      return false;
    }
  }
}

export function bfs<S>(search: Search<S>, space: StateSpace, checkpointer?: Checkpointer): void {
  const loop = new LevelLoop(search, space, checkpointer);
  const position = checkpointer?.position;
  if (position !== undefined ? loop.resume(position) : loop.start()) while (loop.level());
  search.counts.queueSize = 0;
}
