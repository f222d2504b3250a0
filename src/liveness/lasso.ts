// A violating lasso as a trace: the stem rebuilt from the BFS parent links, then the
// path to the loop and the loop itself by re-executing the spec along the recorded
// edges (matching each target's fingerprint and fairness instance). The result is
// checked again on the states themselves before it is reported: the loop's states
// fail the goal as the property's form requires, and the loop is fair.
import { SpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel, stateFingerprintInto, type ParentLinks } from '../trace/reconstruct.js';
import { reconstructTrace } from '../trace/reconstruct.js';
import type { LassoPath } from './analyse.js';
import { STRONG, UNFAIR, WEAK, type StateGraph } from './graph.js';

export interface Lasso {
  readonly trace: TraceStep[];
  /** Index of the state the last state returns to; the last index itself when the behaviour stutters there forever. */
  readonly loop: number;
  /** States of the stem, the trigger last (a leadsTo's P holds there). */
  readonly stemLength: number;
  /** Fair instances taken on the loop, and those disabled somewhere on it. */
  readonly taken: readonly string[];
  readonly disabled: readonly string[];
}

const fp = new Uint32Array(2);

export function materialise<S>(graph: StateGraph<S>, links: ParentLinks, index: number, path: LassoPath): Lasso {
  const system = graph.system;
  const trace = reconstructTrace(system, links, path.trigger);
  const stemLength = trace.length;
  let current = trace[stemLength - 1]!.state as S;
  let currentId = path.trigger;
  const loopInstances: number[] = [];
  const follow = (e: number, onLoop: boolean) => {
    const v = graph.edgeTarget(e);
    const inst = graph.edgeInstance(e);
    const a = links.fingerprintA(v);
    const b = links.fingerprintB(v);
    let found: { state: S; label: string } | undefined;
    system.successors(current, (next, action, label) => {
      if (found !== undefined) return;
      stateFingerprintInto(system, next, fp);
      if (fp[0] === a && fp[1] === b && graph.instanceOf(action, label) === inst) found = { state: next, label: resolveLabel(label) };
    });
    if (found === undefined) {
      throw new SpecError(
        `spec "${system.name}" is nondeterministic: re-executing the liveness counterexample could not reproduce the step from state ${currentId} to ${v}. ` +
          'Actions must be pure functions of the state.',
      );
    }
    trace.push({ action: found.label, state: found.state });
    current = found.state;
    currentId = v;
    if (onLoop) loopInstances.push(inst);
  };
  for (const e of path.toLoop) follow(e, false);
  const loop = trace.length - 1;
  for (const e of path.loop) follow(e, true);
  verify(graph, index, trace, loop, loopInstances);
  return {
    trace,
    loop,
    stemLength,
    taken: path.taken.map((i) => graph.instanceKeys[i]!),
    disabled: path.disabled.map((i) => graph.instanceKeys[i]!),
  };
}

/**
 * Re-checks the lasso on its states, apart from the graph search that found it: a
 * faultline bug here must not become a false violation.
 */
function verify<S>(graph: StateGraph<S>, index: number, trace: readonly TraceStep[], loop: number, loopInstances: readonly number[]): void {
  const prop = graph.properties[index]!;
  const system = graph.system;
  const holds = (f: (s: S) => unknown, s: unknown) => f(s as S) === true;
  const loopStates = trace.slice(loop, Math.max(loop + 1, trace.length - 1)).map((t) => t.state as S);
  const fail = (why: string): never => {
    throw new Error(`internal: the liveness counterexample for ${prop.name} does not check out: ${why}`);
  };
  if (prop.kind === 'eventuallyAlways') {
    if (!loopStates.some((s) => !holds(prop.to, s))) fail('no state on the loop fails the goal');
  } else if (loopStates.some((s) => holds(prop.to, s))) fail('a state on the loop meets the goal');
  // Fairness: each fair instance enabled on the loop is taken, or (weak) disabled somewhere on it.
  const enabledCount = new Map<number, number>();
  for (const s of loopStates) {
    stateFingerprintInto(system, s, fp);
    const self = [fp[0], fp[1]];
    const here = new Set<number>();
    system.successors(s, (next, action, label) => {
      const inst = graph.instanceOf(action, label);
      if (inst === UNFAIR) return;
      stateFingerprintInto(system, next, fp);
      if (fp[0] === self[0] && fp[1] === self[1]) return; // a stutter enables nothing
      here.add(inst);
    });
    for (const i of here) enabledCount.set(i, (enabledCount.get(i) ?? 0) + 1);
  }
  const taken = new Set(loopInstances);
  for (const [inst, count] of enabledCount) {
    if (taken.has(inst)) continue;
    const kind = graph.instanceKinds[inst];
    if (kind === WEAK && count === loopStates.length) fail(`${graph.instanceKeys[inst]} is weakly fair, enabled all along the loop and never taken`);
    if (kind === STRONG) fail(`${graph.instanceKeys[inst]} is strongly fair, enabled on the loop and never taken`);
  }
}
