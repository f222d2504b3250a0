// Random simulation: walks from a random initial state, taking a random enabled
// action at each step. Reproducible with a seed. Proves nothing when it finds
// nothing, so its verdict is "violation" or "none-found", never "ok".
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from './reconstruct.js';
import { progressingActions } from './bfs.js';
import { FingerprintSet } from './fingerprint-set.js';
import { asSpecError, type Search } from './search.js';

export interface WalkOptions {
  readonly walks: number;
  readonly depth: number;
  readonly seed: number;
}

/** mulberry32: a small, fast, seedable generator; the same seed gives the same walks. */
export function randomGenerator(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulateWalks<S>(search: Search<S>, walk: WalkOptions): TraceStep[] | undefined {
  const { system, fp, options } = search;
  // Walks keep no parent links (the walk itself is the trace): the set only counts distinct states.
  const seen = new FingerprintSet();
  search.links = {
    get size() {
      return seen.size;
    },
    get bytes() {
      return seen.bytes;
    },
    fingerprintA: () => NaN,
    fingerprintB: () => NaN,
    pathTo: () => [],
  };
  const visit = (state: S, label: string | (() => string) | null): void => {
    search.fingerprint(state, label);
    if (seen.add(fp[0]! | 0, fp[1]! | 0)) search.sealNew(state);
  };
  const random = randomGenerator(walk.seed);
  const progressing = progressingActions(system);
  let trace: TraceStep[] = [];
  try {
    const inits = system.initialStates();
    for (let w = 0; w < walk.walks; w++) {
      let state = inits[Math.floor(random() * inits.length)] as S;
      trace = [{ action: null, state }];
      visit(state, null);
      search.generated++;
      search.checkState(state, -1);
      if (search.found) return trace;
      for (let d = 0; d < walk.depth; d++) {
        if (!search.withinConstraint(state)) break;
        const options_: { next: S; action: number; label: string | (() => string) }[] = [];
        system.successors(state, (next, action, label) => options_.push({ next, action, label }));
        if (options.deadlock && d > 0 && !options_.some((o) => progressing[o.action])) {
          search.checkDeadlock(state, -1);
          if (search.found) return trace;
        }
        if (options_.length === 0) break;
        const pick = options_[Math.floor(random() * options_.length)]!;
        search.depth = Math.max(search.depth, d + 1);
        search.generated++;
        search.coverage[pick.action]!++;
        visit(pick.next, pick.label);
        search.checkTransition(state, pick.label, pick.next, -1);
        if (search.found) return trace; // violation() appends the step
        const label = resolveLabel(pick.label);
        trace.push({ action: label, state: pick.next });
        state = pick.next;
        search.checkState(state, -1);
        if (search.found) return trace;
      }
      if (search.outOfBudget()) return undefined;
    }
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err) && !err.trace) err.trace = trace;
  }
  return undefined;
}
