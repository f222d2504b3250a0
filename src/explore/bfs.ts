// Breadth-first search, level by level: the first violation found has a shortest
// trace, and successors are visited in the spec's fixed order, so counts and
// traces are the same on every run.
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from '../trace/reconstruct.js';
import type { ActionInfo, Emit } from '../core/types.js';
import { DeterminismCheck } from './determinism.js';
import { asSpecError, type Search } from './search.js';
import { NO_PARENT } from './visited.js';

/** Adds the initial states to the visited set; returns them with their ids. */
export function addInitialStates<S>(search: Search<S>): { states: S[]; ids: number[] } {
  const { system, visited, fp } = search;
  const states: S[] = [];
  const ids: number[] = [];
  const inits = system.initialStates();
  for (const s of inits) {
    search.fingerprint(s, null);
    search.generated++;
    const id = visited.add(fp[0]!, fp[1]!, NO_PARENT);
    if (!visited.isNew) continue;
    search.sealNew(s);
    states.push(s);
    ids.push(id);
    search.checkState(s, id);
    if (search.found) break;
  }
  return { states, ids };
}

/** Whether expanding `state` would find a new state (so a depth bound cut something off). */
export function hasUnvisitedSuccessor<S>(search: Search<S>, state: S): boolean {
  let found = false;
  search.system.successors(state, (succ, _action, label) => {
    if (found) return;
    search.fingerprint(succ, label);
    found = !search.visited.has(search.fp[0]!, search.fp[1]!);
  });
  return found;
}

/**
 * Which actions count against a deadlock: a state where only faults or the passing
 * of time are possible is stuck (the design's protocol deadlock).
 */
export function progressingActions(system: { actions: readonly ActionInfo[] }): boolean[] {
  return system.actions.map((a) => !a.fault && !a.idle);
}

export function bfs<S>(search: Search<S>): void {
  const { system, options } = search;
  const determinism = new DeterminismCheck(system, options.recheckRate);
  let stateId = NO_PARENT;
  // The successor being examined when an error was thrown, appended to its trace.
  let failedStep: TraceStep | undefined;
  try {
    const init = addInitialStates(search);
    if (search.found) return;
    let level = init.states;
    let levelIds = init.ids;
    let next: S[] = [];
    let nextIds: number[] = [];
    let depth = 0;
    let parent: S;
    let emitted = 0;
    let failure: unknown;
    const maxDepth = options.maxDepth ?? Infinity;
    const progressing = progressingActions(system);

    // Errors thrown here are kept, not thrown: user code may call emit inside its
    // own try/catch, and must not swallow or re-wrap faultline's findings.
    const emit: Emit<S> = (succ, action, label) => {
      if (failure !== undefined || search.found !== undefined) return;
      if (progressing[action]) emitted++;
      try {
        const id = search.admit(parent, stateId, succ, action, label, determinism.current);
        if (id >= 0 && search.admittedNew) {
          next.push(succ);
          nextIds.push(id);
          search.depth = depth + 1;
          search.checkState(succ, id);
        }
      } catch (e) {
        failure = e;
        failedStep = { action: resolveLabel(label), state: succ };
      }
    };

    while (level.length > 0) {
      if (depth >= maxDepth) {
        if (level.some((s) => search.withinConstraint(s) && hasUnvisitedSuccessor(search, s))) search.stopped = 'maxDepth';
        return;
      }
      for (let i = 0; i < level.length; i++) {
        parent = level[i]!;
        stateId = levelIds[i]!;
        (level as (S | undefined)[])[i] = undefined; // let expanded states be collected
        if (!search.withinConstraint(parent)) continue;
        emitted = 0;
        determinism.begin(parent, stateId);
        system.successors(parent, emit);
        if (failure !== undefined) throw failure;
        if (search.found) return;
        if (emitted === 0 && options.deadlock && depth > 0) {
          search.checkDeadlock(parent, stateId);
          if (search.found) return;
        }
        search.queueSize = level.length - i - 1 + next.length;
        if (search.outOfBudget()) return;
      }
      const bad = determinism.verify();
      if (bad) {
        stateId = bad.id;
        throw bad.error;
      }
      level = next;
      levelIds = nextIds;
      next = [];
      nextIds = [];
      depth++;
    }
    search.queueSize = 0;
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err)) search.attachTrace(err, stateId, failedStep);
  }
}
