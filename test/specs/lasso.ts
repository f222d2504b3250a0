// Reading liveness counterexamples in tests, apart from the checker's own
// verification: the lasso's shape, and its states as protocol worlds.
import { fingerprint, type CheckResult } from '../../src/index.js';

/** A protocol world as traces carry it (the parts these tests read). */
export interface WorldState {
  readonly nodes: Readonly<Record<string, { readonly status: string; readonly state: any; readonly timers?: Readonly<Record<string, unknown>> }>>;
  readonly inFlight: readonly { readonly from: string; readonly to: string; readonly msg: { readonly type: string } }[];
}

export interface LassoShape {
  /** Actions from the initial state to the loop's first state. */
  readonly stem: number;
  /** Actions around the loop (0: the behaviour halts and stutters there forever). */
  readonly loop: number;
  /** The states of the loop (the halting state alone when it stutters). */
  readonly loopStates: readonly WorldState[];
  readonly states: readonly WorldState[];
}

/**
 * The lasso of a liveness violation. Checks that it closes: the last state is the
 * loop's first state again (same fingerprint), or the loop is the last state alone.
 */
export function lassoOf(r: CheckResult): LassoShape {
  const v = r.violation!;
  if (v.kind !== 'liveness' || v.loop === undefined) throw new Error(`not a liveness violation: ${v.kind}`);
  const states = v.trace.map((t) => t.state as WorldState);
  const last = states.length - 1;
  if (v.loop < last && fingerprint(states[last]) !== fingerprint(states[v.loop])) {
    throw new Error(`the lasso does not close: step ${last} is not step ${v.loop} again`);
  }
  return {
    stem: v.loop,
    loop: last - v.loop,
    loopStates: v.loop === last ? [states[last]!] : states.slice(v.loop, last),
    states,
  };
}
