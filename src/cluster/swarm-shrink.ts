// The swarm's counterexample is a random walk, usually much longer than it needs to
// be. The coordinator shrinks it (swarm-coordinator.ts):
// 1. a breadth-first search from the initial states, to the walk's length, for the
//    same property only (trace/shrink.ts's restriction: a state that breaks another
//    property is not expanded), within a budget of distinct states. BFS meets the
//    violation at its smallest depth, so a trace it finds is the shortest of all
//    (for these params and budgets), whatever walk found the bug.
// 2. If the budget runs out first: the walk with its loops cut out (a walk that
//    comes back to a state it was in skips the steps between), re-executed before it
//    is shown, so it is a behaviour of the spec.
// Both depend only on the walk and the budget (in states, not time): the same swarm
// seed gives the same trace on any number of workers.
import type { TraceStep } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import { bfs } from '../explore/bfs.js';
import { stateFingerprintInto } from '../explore/reconstruct.js';
import { Search } from '../explore/search.js';
import type { Violation } from '../explore/types.js';
import { ValueSpace } from '../explore/value-space.js';
import { withFaultBudget } from '../trace/shrink.js';
import { unreproducible } from '../trace/verify.js';

/** How the shown trace was made from the walk. */
export type ShrinkHow = 'shortest' | 'loops-cut' | 'as-walked';

export interface ShrunkWalk {
  readonly violation: Violation;
  readonly how: ShrinkHow;
  /** Distinct states of the breadth-first search (0 when it was not run). */
  readonly states: number;
  /** Why the breadth-first search gave no trace, when it did not. */
  readonly unproven?: string;
}

export interface ShrinkWalkOptions {
  /** Distinct states the breadth-first search may visit; 0: only cut loops. */
  readonly stateBudget: number;
  readonly maxMemoryBytes?: number;
  readonly shouldStop?: () => boolean;
}

/**
 * `system` is the spec compiled with the run's params and fault budgets, without
 * symmetry (the trace shown is of the spec's own states); `walkSystem` is the one the
 * walk ran on (the same, or with --symmetry).
 */
export function shrinkWalk<S>(system: TransitionSystem<S>, walkSystem: TransitionSystem<S>, walk: Violation, options: ShrinkWalkOptions): ShrunkWalk {
  const steps = walk.trace.length - 1;
  let states = 0;
  let unproven: string | undefined;
  if (options.stateBudget > 0 && steps > 0 && walk.kind !== 'liveness' && walk.kind !== 'sometimes') {
    const search = new Search(withFaultBudget(system, Infinity, walk), {
      // A deadlock is seen when its state is expanded: one level further.
      maxDepth: steps + (walk.kind === 'deadlock' ? 1 : 0),
      maxStates: options.stateBudget,
      maxMemoryBytes: options.maxMemoryBytes,
      deadlock: walk.kind === 'deadlock',
      recheckRate: 0,
      liveness: false,
      shouldStop: options.shouldStop,
    });
    bfs(search, ValueSpace.for(search));
    states = search.distinct;
    const found = search.found && !search.error ? search.violation() : undefined;
    if (found !== undefined && unreproducible(system, found) === undefined) return { violation: { ...walk, message: found.message, trace: found.trace }, how: 'shortest', states };
    unproven = search.error
      ? `the breadth-first search failed: ${search.error.message}`
      : search.stopped === 'maxStates'
        ? `the breadth-first search reached its budget of ${options.stateBudget.toLocaleString('en-US')} states`
        : search.stopped !== undefined
          ? `the breadth-first search stopped (${search.stopped})`
          : `the breadth-first search did not meet the violation within ${steps} steps`;
  } else if (options.stateBudget === 0) unproven = 'no breadth-first search (--shrink-states 0)';
  const cut = { ...walk, trace: withoutLoops(system, walk.trace) };
  if (cut.trace.length < walk.trace.length && unreproducible(walkSystem, cut) === undefined) return { violation: cut, how: 'loops-cut', states, unproven };
  return { violation: walk, how: 'as-walked', states, unproven };
}

/** The trace without the steps between two visits of the same state; its last step is kept as it is (it is the violation's). */
export function withoutLoops<S>(system: TransitionSystem<S>, trace: readonly TraceStep[]): TraceStep[] {
  if (trace.length <= 2) return [...trace];
  const fp = new Uint32Array(2);
  const keyOf = (state: unknown): string => {
    stateFingerprintInto(system, state as S, fp);
    return `${fp[0]}:${fp[1]}`;
  };
  const kept: TraceStep[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i < trace.length - 1; i++) {
    const step = trace[i]!;
    const key = keyOf(step.state);
    const j = at.get(key);
    if (j !== undefined) {
      // Back in the state kept at j: forget what came after it.
      for (const later of kept.splice(j + 1)) at.delete(keyOf(later.state));
      continue;
    }
    at.set(key, kept.length);
    kept.push(step);
  }
  kept.push(trace[trace.length - 1]!);
  return kept;
}
