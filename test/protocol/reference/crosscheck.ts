// Compares faultline's check() with the reference on one protocol and lists every
// disagreement as a sentence (an empty list: they agree).
//  - the whole reachable space (the spec without properties): distinct and generated
//    counts, and successors per action (coverage);
//  - the verdict and the property; for a check that holds, its counts too;
//  - a violation's trace: replayed step by step in the reference (each label an
//    enabled reference action reaching the same documented state), its length equal
//    to the reference's shortest, its fault count within the fewest..most faults of
//    the reference's shortest traces to a violating state.
// Counts at a violation are not compared: a search that stops at its first violating
// state has counts that depend on its expansion order, not on the semantics.
import { check, protocol, type Spec } from '../../../src/index.js';
import { referenceCheck } from './explore.js';
import { replayInReference } from './explore.js';
import type { Definition } from './setup.js';

export interface CrossCheckOptions {
  params?: Record<string, number | boolean | string>;
  faults?: Record<string, number>;
}

export interface CrossCheck {
  problems: string[];
  verdict: string;
  distinct: number;
  faults?: number;
  length?: number;
}

export function crossCheck(spec: Spec<any>, opts: CrossCheckOptions = {}): CrossCheck {
  const def = (spec as unknown as { definition: Definition }).definition;
  const problems: string[] = [];
  const ref = referenceCheck(def, { ...opts, full: true });
  const bare = protocol({
    ...(def as object),
    invariants: undefined,
    actionProperties: undefined,
    sometimes: undefined,
    eventually: undefined,
    leadsTo: undefined,
    alwaysEventually: undefined,
    eventuallyAlways: undefined,
    expect: undefined,
  } as never);
  const whole = check(bare as Spec<any>, opts);
  if (whole.verdict !== 'ok') problems.push(`the spec without properties: faultline says ${whole.verdict} ${whole.error?.message ?? ''}`);
  if (whole.stats.distinctStates !== ref.distinct || whole.stats.generatedStates !== ref.generated) {
    problems.push(
      `whole space: faultline ${whole.stats.distinctStates} distinct / ${whole.stats.generatedStates} generated, reference ${ref.distinct} / ${ref.generated}`,
    );
  }
  const fc = new Map(whole.coverage.filter((c) => c.count > 0).map((c) => [c.action, c.count]));
  for (const action of new Set([...fc.keys(), ...ref.coverage.keys()])) {
    if ((fc.get(action) ?? 0) !== (ref.coverage.get(action) ?? 0)) {
      problems.push(`successors by ${action}: faultline ${fc.get(action) ?? 0}, reference ${ref.coverage.get(action) ?? 0}`);
    }
  }
  // Safety only: the reference decides no liveness property.
  const r = check(spec, { ...opts, ignoreExpect: true, liveness: false });
  if (r.verdict !== ref.verdict) {
    problems.push(`verdict: faultline ${r.verdict} ${r.violation?.property ?? r.error?.message ?? ''}, reference ${ref.verdict} ${ref.violations.map((v) => v.property).join(', ')}`);
  }
  const out: CrossCheck = { problems, verdict: ref.verdict, distinct: ref.distinct };
  if (r.verdict === 'ok' && (r.stats.distinctStates !== ref.distinct || r.stats.generatedStates !== ref.generated)) {
    problems.push(`holds: faultline ${r.stats.distinctStates} / ${r.stats.generatedStates}, reference ${ref.distinct} / ${ref.generated}`);
  }
  if (r.violation) {
    const v = ref.violations.find((x) => x.property === r.violation!.property);
    if (!v) {
      problems.push(`faultline reports ${r.violation.property}; the reference's shortest violations: ${JSON.stringify(ref.violations)}`);
    } else if (v.kind !== r.violation.kind) {
      problems.push(`${v.property}: faultline says kind ${r.violation.kind}, reference ${v.kind}`);
    } else if (v.kind !== 'sometimes') {
      const replay = replayInReference(ref.setup, r.violation.trace);
      if (replay.problem) problems.push(`faultline's trace for ${v.property}: ${replay.problem}`);
      const length = r.violation.trace.length - 1;
      if (length !== v.length) problems.push(`${v.property}: faultline's trace has ${length} steps, the reference's shortest ${v.length}`);
      if (replay.faults < v.minFaults || replay.faults > v.maxFaults) {
        problems.push(`${v.property}: faultline's trace uses ${replay.faults} faults, the reference's shortest traces ${v.minFaults}..${v.maxFaults}`);
      }
      out.length = length;
      out.faults = replay.faults;
    }
  }
  return out;
}
