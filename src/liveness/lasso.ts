// A violating lasso as a trace: the stem rebuilt from the BFS parent links, then the
// path to the loop and the loop itself by re-executing the spec along the recorded
// edges (matching each target's fingerprint and fairness instance). The result is
// checked again on the states themselves before it is reported: the loop's states
// fail the goal as the property's form requires, and the loop is fair.
import { SpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel, stateFingerprintInto, type ParentLinks } from '../explore/reconstruct.js';
import { reconstructTrace } from '../explore/reconstruct.js';
import type { LassoPath } from './analyse.js';
import type { StateGraph } from '../explore/state-graph.js';
import { fairnessInstance, judgeLasso } from './judge.js';

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
  const loopKeys: string[] = [];
  const follow = (e: number, onLoop: boolean) => {
    const v = graph.edgeTarget(e);
    const inst = graph.edgeInstance(e);
    const a = links.fingerprintA(v);
    const b = links.fingerprintB(v);
    let found: { state: S; label: string; key: string } | undefined;
    system.successors(current, (next, action, label) => {
      if (found !== undefined) return;
      stateFingerprintInto(system, next, fp);
      if (fp[0] === a && fp[1] === b && graph.instanceOf(action, label) === inst) {
        found = { state: next, label: resolveLabel(label), key: fairnessInstance(graph.fairness, action, label).key };
      }
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
    if (onLoop) loopKeys.push(found.key);
  };
  for (const e of path.toLoop) follow(e, false);
  const loop = trace.length - 1;
  for (const e of path.loop) follow(e, true);
  // Checked again on the states themselves: a faultline bug must not become a false violation.
  const why = judgeLasso(system, graph.fairness, graph.properties[index]!, trace.map((t) => t.state as S), loop, loopKeys);
  if (why !== undefined) throw new Error(`internal: the liveness counterexample for ${graph.properties[index]!.name} does not check out: ${why}`);
  return {
    trace,
    loop,
    stemLength,
    taken: path.taken.map((i) => graph.instanceKeys[i]!),
    disabled: path.disabled.map((i) => graph.instanceKeys[i]!),
  };
}
