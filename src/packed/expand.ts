// Expanding one packed state: every action instance runs on a draft reset to the
// state, and each one that fires is handed to `emit` with its successor in the
// draft's words. The hot loop of the packed search, shared by the single-threaded
// search, the parallel workers and the plain view.
//
// The loop is generated per spec (new Function), one call site per action, so
// each site sees a single function and V8 can inline the user's action into it;
// a shared loop calling every action from one site stays megamorphic.
import { SpecError } from '../core/errors.js';
import { userCodeError, type ActionInstance as PackedInstance } from '../core/spec.js';
import type { PackedState } from './state.js';

/**
 * Runs the actions on the state at `words[base..]`; `emit(j)` gets each instance j
 * that fired, its successor in `draft.words` (return false to stop). Returns how
 * many fired. User errors come out as SpecErrors naming the action.
 */
export type Expander = (words: Int32Array, base: number, draft: PackedState, emit: (j: number) => boolean) => number;

export function compileExpander(instances: readonly PackedInstance[], params: unknown, W: number): Expander {
  // Consecutive instances of one action (a forEach) share its function: one loop each.
  const groups: { fn: PackedInstance['fn']; args: unknown[]; start: number }[] = [];
  instances.forEach((inst, j) => {
    const last = groups.at(-1);
    if (last !== undefined && last.fn === inst.fn) last.args.push(inst.arg);
    else groups.push({ fn: inst.fn, args: [inst.arg], start: j });
  });
  const loops = groups
    .map(
      (g, i) => `
    for (let k = 0; k < ${g.args.length}; k++) {
      j = ${g.start} + k;
      if (draft.dirty) draft.reset(words, base, ${W});
      inAction = true;
      const r = f${i}(draft, a${i}[k], params);
      if (r === false || r === null) continue;
      if (r === undefined) {
        if (draft.dirty) throw returnedNothing();
        continue;
      }
      inAction = false;
      fired++;
      if (!emit(j)) return fired;
    }`,
    )
    .join('');
  const source = `
  ${groups.map((_, i) => `const f${i} = fns[${i}], a${i} = args[${i}];`).join('\n  ')}
  return function expand(words, base, draft, emit) {
    let fired = 0, j = 0, inAction = false;
    draft.reset(words, base, ${W});
    try {${loops}
    } catch (e) {
      if (!inAction) throw e; // from emit: the caller's own
      throw actionError(e, j);
    }
    return fired;
  };`;
  const returnedNothing = () => new SpecError('changed the state but returned undefined: return the state (s) to fire the action, or false when it is not enabled');
  const actionError = (e: unknown, j: number): SpecError => {
    const label = instances[j]!.label;
    const err =
      e instanceof SpecError && e.handler === undefined
        ? new SpecError(`action ${label} ${e.message}`, { handler: label }) // from set() or the check above
        : userCodeError(e, `action ${label}`, { handler: label });
    err.action = label;
    return err;
  };
  const make = new Function('fns', 'args', 'params', 'returnedNothing', 'actionError', source) as (...a: unknown[]) => Expander;
  return make(
    groups.map((g) => g.fn),
    groups.map((g) => g.args),
    params,
    returnedNothing,
    actionError,
  );
}
