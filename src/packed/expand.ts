// Expanding one packed state: every action instance runs on a draft reset to the
// state, and each one that fires is handed to `emit` with its successor in the
// draft's words. The hot loop of the packed search, shared by the single-threaded
// search, the parallel workers and the plain view.
import { SpecError } from '../core/errors.js';
import { userCodeError } from '../core/spec.js';
import type { PackedSystem } from './spec.js';
import type { PackedState } from './state.js';

/**
 * Runs the actions on the state at `words[base..]`; `emit(j)` gets each instance j
 * that fired (return false to stop). Returns how many fired. User errors come out
 * as SpecErrors naming the action.
 */
export function expandPacked(ps: PackedSystem, words: Int32Array, base: number, draft: PackedState, emit: (j: number) => boolean): number {
  const W = ps.layout.words;
  const instances = ps.instances;
  const params = ps.params;
  let fired = 0;
  let j = 0;
  let inAction = false;
  draft.reset(words, base, W);
  try {
    for (; j < instances.length; j++) {
      if (draft.dirty) draft.reset(words, base, W);
      const inst = instances[j]!;
      inAction = true;
      const r = inst.fn(draft, inst.arg, params);
      if (r === false || r === null) continue;
      if (r === undefined) {
        if (draft.dirty) throw new SpecError('changed the state but returned undefined: return the state (s) to fire the action, or false when it is not enabled');
        continue;
      }
      inAction = false;
      fired++;
      if (!emit(j)) break;
    }
  } catch (e) {
    if (!inAction) throw e; // from emit: the caller's own
    const label = instances[j]!.label;
    const err = e instanceof SpecError && e.handler === undefined ? new SpecError(`action ${label} ${e.message}`, { handler: label }) : userCodeError(e, `action ${label}`, { handler: label });
    err.action = label;
    throw err;
  }
  return fired;
}
