// Rebuilds a trace from parent links by re-executing the spec from an initial
// state, choosing at each step the successor with the recorded fingerprint (as
// TLC does): the visited set stores no states, only fingerprints and parents.
import { SpecError, type TraceStep } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import { fingerprintInto } from '../values/fingerprint.js';

/** Where a state's fingerprint and parent are kept (the explorer's visited set). */
export interface ParentLinks {
  fingerprintA(id: number): number;
  fingerprintB(id: number): number;
  pathTo(id: number): number[];
}

export function resolveLabel(label: string | (() => string)): string {
  return typeof label === 'function' ? label() : label;
}

const fp = new Uint32Array(2);

/**
 * The fingerprint the visited set keys a state by: of the state itself, or under
 * symmetry reduction of its representative. Pending parts are left unsealed.
 */
export function stateFingerprintInto<S>(system: TransitionSystem<S>, state: S, out: Uint32Array): void {
  if (system.canonical) fingerprintInto(system.canonical(state), out, 0, false);
  else if (system.fingerprintInto) system.fingerprintInto(state, out);
  else fingerprintInto(state, out, 0, false);
}

/** The trace from an initial state to state `id`, initial state first (action null). */
export function reconstructTrace<S>(system: TransitionSystem<S>, links: ParentLinks, id: number): TraceStep[] {
  const path = links.pathTo(id);
  const a0 = links.fingerprintA(path[0]!);
  const b0 = links.fingerprintB(path[0]!);
  const matches = (state: S, a: number, b: number): boolean => {
    stateFingerprintInto(system, state, fp);
    return fp[0] === a && fp[1] === b;
  };
  const init = system.initialStates().find((s) => matches(s, a0, b0));
  if (init === undefined) throw lost(system, 0);
  const trace: TraceStep[] = [{ action: null, state: init }];
  let current: S = init;
  for (let k = 1; k < path.length; k++) {
    const a = links.fingerprintA(path[k]!);
    const b = links.fingerprintB(path[k]!);
    const found: { state?: S; label?: string } = {};
    system.successors(current, (next, _action, label) => {
      if (found.label === undefined && matches(next, a, b)) {
        found.state = next;
        found.label = resolveLabel(label);
      }
    });
    if (found.label === undefined) throw lost(system, k);
    trace.push({ action: found.label, state: found.state });
    current = found.state as S;
  }
  return trace;
}

function lost<S>(system: TransitionSystem<S>, step: number): SpecError {
  return new SpecError(
    `spec "${system.name}" is nondeterministic: re-executing the trace could not reproduce step ${step}. ` +
      'Actions must be pure functions of the state (no Date.now(), Math.random() or outside state).',
  );
}
