// The depth bound's probe, for the searches over JS values (the BFS's value space,
// the DFS): a state the bound leaves unexpanded cut the search short only when one
// of its successors has not been visited. (The packed space probes its words in its
// own way; a parallel search routes the successors to their owners, probing.)
import type { FingerprintSet } from './fingerprint-set.js';
import type { TransitionSystem } from './system.js';

/** Whether a successor of `state` is not in `seen`; `key` fingerprints a successor into `fp`. */
export function hasUnvisitedSuccessor<S>(
  system: TransitionSystem<S>,
  state: S,
  key: (succ: S, label: string | (() => string)) => void,
  fp: Uint32Array,
  seen: FingerprintSet,
): boolean {
  let found = false;
  system.successors(state, (succ, _action, label) => {
    if (found) return;
    key(succ, label);
    found = !seen.has(fp[0]! | 0, fp[1]! | 0);
  });
  return found;
}
