// A counterexample as an ITF document (the Informal Trace Format of Apalache and
// Quint: "#meta", "vars", "states"), with each state's action label in its
// "#meta".action, and enough trace-level "#meta" to replay it later: the spec file,
// the spec's name, params and fault budgets, and the violated property.
import type { TraceStep } from '../core/errors.js';
import type { CheckResult } from '../explore/types.js';
import { itfTrace } from '../values/itf.js';
import { kindOf } from '../values/kinds.js';

export interface CounterexampleMeta {
  /** The spec file, as given (written relative to the working directory by the CLI). */
  readonly source?: string;
  readonly spec: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly faults?: Readonly<Record<string, number>>;
  readonly property: string;
  readonly kind: string;
  readonly message: string;
  /** Which trace this is: the BFS one ("shortest"), the fault-minimal one, or a random walk. */
  readonly trace?: 'shortest' | 'fault-minimal' | 'random-walk' | 'dfs';
  /** Faults the trace uses, where the spec counts them. */
  readonly faultsUsed?: number;
  /** A liveness counterexample's loop index (ITF's top-level "loop"). */
  readonly loop?: number;
}

/** Throws an Error with a clear message when a state is not a record of variables. */
export function counterexampleItf(trace: readonly TraceStep[], meta: CounterexampleMeta): Record<string, unknown> {
  const bad = trace.findIndex((s) => kindOf(s.state) !== 'record');
  if (bad >= 0) {
    throw new Error(
      `cannot write the trace as ITF: state ${bad} is a ${kindOf(trace[bad]!.state)}, but ITF states are records of variables (make the spec's state an object)`,
    );
  }
  return itfTrace(
    trace.map((s) => s.state),
    {
      source: meta.source,
      description: `faultline: ${meta.spec} violates ${meta.property}`,
      spec: meta.spec,
      params: meta.params,
      faults: meta.faults && Object.keys(meta.faults).length ? meta.faults : undefined,
      property: meta.property,
      kind: meta.kind,
      message: meta.message,
      trace: meta.trace,
      faultsUsed: meta.faultsUsed,
    },
    trace.map((s) => s.action),
    meta.loop,
  );
}

/** The ITF document of a result's violation for the given trace (the shown one). */
export function resultItf(
  result: CheckResult | (Omit<CheckResult, 'verdict' | 'strategy' | 'complete'> & { strategy?: string }),
  trace: readonly TraceStep[],
  which: CounterexampleMeta['trace'],
  extra: { source?: string; faultsUsed?: number } = {},
): Record<string, unknown> {
  const v = result.violation!;
  const message = which === 'fault-minimal' && v.minimised ? v.minimised.message : v.message;
  return counterexampleItf(trace, {
    source: extra.source,
    spec: result.spec,
    params: result.params,
    faults: result.faults,
    property: v.property,
    kind: v.kind,
    message,
    trace: which,
    faultsUsed: extra.faultsUsed,
    loop: v.loop,
  });
}
