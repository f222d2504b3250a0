// A reported counterexample is always reproducible: before a check reports a
// violation, its trace is re-executed (replaySteps, as `faultline replay` does):
// every step's successor must exist again and the violation must happen at its end.
// When it does not, the spec is nondeterministic (Math.random, Date.now, a counter
// kept outside the state...), and the check says so, naming the step where the
// re-execution diverged, instead of printing a trace nobody can reproduce.
import { SpecError } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import type { Violation } from '../explore/types.js';
import { replaySteps } from './replay.js';

const PURE =
  'Actions, init and properties must be functions of the state and params (no Date.now(), Math.random() or state kept outside the spec\'s state)';

/** Undefined when `violation` reproduces on `system`; else the spec error that says where it did not. */
export function unreproducible<S>(system: TransitionSystem<S>, violation: Violation): SpecError | undefined {
  const steps = violation.trace;
  if (violation.kind === 'sometimes' || steps.length === 0) return undefined; // no trace: nothing to re-execute
  const last = steps.length - 1;
  const r = replaySteps(system, steps, {
    deadlock: violation.kind === 'deadlock',
    loop: violation.kind === 'liveness' ? violation.loop : undefined,
    property: violation.kind === 'liveness' ? violation.property : undefined,
  });
  const what = `${violation.kind === 'deadlock' ? 'the deadlock' : `the violation of ${violation.property}`}`;
  if (r.outcome === 'reproduced' && r.violation!.property === violation.property && r.violation!.step === last) return undefined;
  // A deadlock of the initial state: nothing to replay but the initial state, which did.
  if (r.outcome === 'passes' && violation.kind === 'deadlock' && last === 0) return undefined;
  let how: string;
  let action: string | undefined;
  if (r.outcome === 'diverged') {
    const d = r.divergence!;
    action = d.action ?? undefined;
    const step = d.action === null ? `step ${d.step}` : `step ${d.step} (${d.action})`;
    how =
      d.reason === 'initial-state'
        ? "its initial state is not one of the spec's initial states any more"
        : d.reason === 'not-enabled'
          ? `${step} is not enabled any more`
          : `${step} leads to a different state (${d.changes
              .slice(0, 3)
              .map((c) => c.path.replace(/^\./, '') || 'the state')
              .join(', ')}${d.changes.length > 3 ? ', …' : ''} ${d.changes.length === 1 ? 'differs' : 'differ'})`;
  } else if (r.outcome === 'reproduced') {
    const v = r.violation!;
    how = `${v.kind === 'deadlock' ? 'a deadlock' : v.property} fails at step ${v.step} instead`;
  } else if (r.outcome === 'passes') {
    how = `every step replays, but ${violation.kind === 'deadlock' ? 'the last state is not a deadlock' : `${violation.property} no longer fails`} at step ${last}`;
  } else {
    how = `the spec threw: ${r.error?.message ?? 'unknown error'}`;
    action = r.error?.action;
  }
  const error = new SpecError(
    `spec "${system.name}" is nondeterministic: ${what} found by the search does not happen when its trace (${last} step${last === 1 ? '' : 's'}) is re-executed: ${how}. ${PURE}.`,
    action === undefined ? {} : { handler: action },
  );
  if (action !== undefined) error.action = action;
  // The part that did replay (up to the step that diverged) is reproducible: it is the trace of the error.
  if (r.outcome === 'diverged' && r.trace.length > 0) error.trace = r.trace;
  return error;
}
