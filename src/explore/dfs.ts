// Depth-first search. With --max-depth, a state reached again by a shorter path
// is expanded again, so every state within the bound is explored (a plain visited
// check would prune states first met near the bound). Traces are not shortest.
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from './reconstruct.js';
import { addInitialStates, hasUnvisitedSuccessor, progressingActions } from './bfs.js';
import { DeterminismCheck } from './determinism.js';
import { asSpecError, type Search } from './search.js';

export function dfs<S>(search: Search<S>): void {
  const { system, visited, options } = search;
  const determinism = new DeterminismCheck(system, options.recheckRate);
  const maxDepth = options.maxDepth ?? Infinity;
  const depthOf: number[] = [];
  const progressing = progressingActions(system);
  let stateId = -1;
  let failedStep: TraceStep | undefined;
  // A state at the depth bound had unexplored successors: the search is incomplete.
  let cutOff = false;
  try {
    const init = addInitialStates(search);
    if (search.found) return;
    const stack: S[] = [];
    const stackIds: number[] = [];
    for (let i = init.states.length - 1; i >= 0; i--) {
      stack.push(init.states[i]!);
      stackIds.push(init.ids[i]!);
      depthOf[init.ids[i]!] = 0;
    }
    while (stack.length > 0) {
      const state = stack.pop()!;
      stateId = stackIds.pop()!;
      const depth = depthOf[stateId]!;
      if (!search.withinConstraint(state)) continue;
      if (depth >= maxDepth) {
        if (!cutOff && hasUnvisitedSuccessor(search, state)) cutOff = true;
        continue;
      }
      const children: S[] = [];
      const childIds: number[] = [];
      let emitted = 0;
      let failure: unknown;
      determinism.begin(state, stateId);
      system.successors(state, (succ, action, label) => {
        if (failure !== undefined || search.found !== undefined) return;
        if (progressing[action]) emitted++;
        try {
          const id = search.admit(state, stateId, succ, action, label, determinism.current);
          if (id < 0) return;
          if (search.admittedNew) {
            depthOf[id] = depth + 1;
            search.depth = Math.max(search.depth, depth + 1);
            search.checkState(succ, id);
          } else if (depth + 1 < depthOf[id]!) {
            depthOf[id] = depth + 1; // shorter path: explore again within the bound
            visited.setParent(id, stateId);
          } else return;
          children.push(succ);
          childIds.push(id);
        } catch (e) {
          failure = e;
          failedStep = { action: resolveLabel(label), state: succ };
        }
      });
      if (failure !== undefined) throw failure;
      if (search.found) return;
      if (emitted === 0 && options.deadlock && depth > 0) {
        search.checkDeadlock(state, stateId);
        if (search.found) return;
      }
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push(children[i]!);
        stackIds.push(childIds[i]!);
      }
      search.queueSize = stack.length;
      if (search.outOfBudget()) return;
    }
    search.queueSize = 0;
    if (cutOff) search.stopped = 'maxDepth';
    const bad = determinism.verify();
    if (bad) {
      stateId = bad.id;
      throw bad.error;
    }
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err)) search.attachTrace(err, stateId, failedStep);
  }
}
