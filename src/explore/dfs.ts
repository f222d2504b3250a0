// Depth-first search. With --max-depth, a state reached again by a shorter path
// is expanded again, so every state within the bound is explored (a plain visited
// check would prune states first met near the bound). Traces are not shortest.
// Visited set and links are the BFS's (a FingerprintSet with ids, ordinal links).
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from './reconstruct.js';
import { progressingActions } from './bfs.js';
import { DeterminismCheck } from './determinism.js';
import { FingerprintSet } from './fingerprint-set.js';
import { NO_PARENT } from './link-columns.js';
import { OrdinalLinks } from './ordinal-links.js';
import { asSpecError, type Search } from './search.js';
import { hasUnvisitedSuccessor } from './unvisited.js';
import { OUTSIDE, UNKNOWN, WITHIN } from './constraint-marks.js';

export function dfs<S>(search: Search<S>): void {
  const { system, options } = search;
  const { fp } = search.hasher;
  const seen = new FingerprintSet(1 << 12, true);
  const links = new OrdinalLinks(system);
  search.storeIn({ links, bytesElsewhere: () => seen.bytes });
  const determinism = new DeterminismCheck(system, options.recheckRate);
  const maxDepth = options.maxDepth ?? Infinity;
  const depthOf: number[] = [];
  const progressing = progressingActions(system);
  const fingerprint = (state: S, label: string | (() => string)) => search.hasher.fingerprint(state, label);
  let stateId = -1;
  let failedStep: TraceStep | undefined;
  // A state at the depth bound had unexplored successors: the search is incomplete.
  let cutOff = false;
  /** Looks `state` up (reached from `parent` by successor `ordinal`); its id, and whether it was new. */
  const visit = (state: S, label: string | (() => string) | null, parent: number, ordinal: number): { id: number; isNew: boolean } => {
    search.hasher.fingerprint(state, label);
    if (!seen.add(fp[0]! | 0, fp[1]! | 0, links.size)) return { id: seen.lastId, isNew: false };
    search.hasher.sealNew(state);
    return { id: links.push(parent, ordinal), isNew: true };
  };
  try {
    const stack: S[] = [];
    const stackIds: number[] = [];
    // The constraint's verdict on each stacked state, taken when it was checked as new
    // (UNKNOWN for a state stacked again on a shorter path: it is run again then).
    const stackMarks: number[] = [];
    const inits = system.initialStates();
    const firsts: { state: S; id: number; mark: number }[] = [];
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!;
      search.counts.generated++;
      const { id, isNew } = visit(s, null, NO_PARENT, i);
      if (!isNew) continue;
      search.counts.initialCount++;
      search.checker.checkState(s, id);
      if (search.found) return;
      firsts.push({ state: s, id, mark: search.checker.countConstraint(s) ? WITHIN : OUTSIDE });
      depthOf[id] = 0;
    }
    for (let i = firsts.length - 1; i >= 0; i--) {
      stack.push(firsts[i]!.state);
      stackIds.push(firsts[i]!.id);
      stackMarks.push(firsts[i]!.mark);
    }
    while (stack.length > 0) {
      const state = stack.pop()!;
      stateId = stackIds.pop()!;
      const mark = stackMarks.pop()!;
      const depth = depthOf[stateId]!;
      if (mark === UNKNOWN ? !search.checker.withinConstraint(state) : mark === OUTSIDE) continue;
      if (depth >= maxDepth) {
        if (!cutOff && hasUnvisitedSuccessor(system, state, fingerprint, fp, seen)) cutOff = true;
        continue;
      }
      const children: S[] = [];
      const childIds: number[] = [];
      const childMarks: number[] = [];
      let emitted = 0;
      let ordinal = 0;
      let failure: unknown;
      determinism.begin(state, stateId);
      system.successors(state, (succ, action, label) => {
        if (failure !== undefined || search.found !== undefined) return;
        const k = ordinal++;
        if (progressing[action]) emitted++;
        try {
          search.counts.generated++;
          search.counts.coverage[action]!++;
          const { id, isNew } = visit(succ, label, stateId, k);
          determinism.current?.push(action, fp[0]!, fp[1]!);
          search.checker.checkTransition(state, label, succ, stateId);
          if (search.found) return;
          let mark = UNKNOWN;
          if (isNew) {
            depthOf[id] = depth + 1;
            search.counts.depth = Math.max(search.counts.depth, depth + 1);
            search.checker.checkState(succ, id);
            mark = search.checker.countConstraint(succ) ? WITHIN : OUTSIDE;
          } else if (depth + 1 < depthOf[id]!) {
            depthOf[id] = depth + 1; // shorter path: explore again within the bound
            links.set(id, stateId, k);
          } else return;
          children.push(succ);
          childIds.push(id);
          childMarks.push(mark);
        } catch (e) {
          failure = e;
          failedStep = { action: resolveLabel(label), state: succ };
        }
      });
      if (failure !== undefined) throw failure;
      if (search.found) return;
      if (emitted === 0 && options.deadlock && depth > 0) {
        search.checker.checkDeadlock(state, stateId);
        if (search.found) return;
      }
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push(children[i]!);
        stackIds.push(childIds[i]!);
        stackMarks.push(childMarks[i]!);
      }
      search.counts.queueSize = stack.length;
      if (search.budget.exceeded()) return;
    }
    search.counts.queueSize = 0;
    if (cutOff) search.budget.stopped = 'maxDepth';
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
