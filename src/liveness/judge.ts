// Whether a lasso (states s0..sn, the last returning to s[loop]) is a fair behaviour
// that violates a liveness property, decided on the states alone by re-running the
// spec's successors on the loop. The checker verifies every lasso it reports with
// this (a faultline bug must not become a false violation), and `replay` uses it to
// tell whether a saved lasso still violates the property under a changed spec.
import type { TransitionSystem } from '../core/types.js';
import { resolveLabel, stateFingerprintInto } from '../explore/reconstruct.js';
import type { Fairness, FairnessKind, LivenessProperty } from '../core/liveness.js';

/** The fairness instance of a transition: its key and kind ('none' for faults and undeclared actions). */
export function fairnessInstance(fairness: Fairness, action: number, label: string | (() => string)): { key: string; kind: FairnessKind } {
  const k = fairness.actionKinds[action] ?? 'none';
  if (k === 'none') return { key: '', kind: 'none' };
  const text = resolveLabel(label);
  const key = fairness.instanceKey ? fairness.instanceKey(action, text) : text;
  return { key, kind: k === 'mixed' ? fairness.instanceKind!(action, key) : k };
}

const fp = new Uint32Array(2);

/**
 * undefined when the lasso is a fair behaviour violating `property`; otherwise why
 * it is not. `loopKeys` are the fairness keys of the loop's steps (s[loop] → … → sn).
 */
export function judgeLasso<S>(system: TransitionSystem<S>, fairness: Fairness, property: LivenessProperty<S>, states: readonly S[], loop: number, loopKeys: readonly string[]): string | undefined {
  const last = states.length - 1;
  if (loop < 0 || loop > last) return `the loop index ${loop} is outside the trace (0–${last})`;
  const goal = (s: S) => property.to(s) === true;
  // The loop's states: s[loop] .. s[last - 1] when the last state closes the loop, s[last] alone when it stutters.
  const cycle = loop === last ? [states[last]!] : states.slice(loop, last);
  switch (property.kind) {
    case 'eventually':
      if (states.some(goal)) return `${property.name} holds at step ${states.findIndex(goal)}`;
      break;
    case 'leadsTo': {
      // P at some step i, and Q at no step from i on (the loop repeats its states forever).
      let qLater = cycle.some(goal);
      let trigger = -1;
      for (let i = last; i >= 0 && !qLater; i--) {
        if (goal(states[i]!)) qLater = true;
        else if (property.from!(states[i]!) === true) trigger = i;
      }
      if (trigger < 0) return `${property.name}: no step where its trigger holds is followed by a behaviour that never meets the goal`;
      break;
    }
    case 'alwaysEventually':
      if (cycle.some(goal)) return `${property.name} holds on the loop, so it holds again and again`;
      break;
    case 'eventuallyAlways':
      if (cycle.every(goal)) return `${property.name} holds all along the loop, so it holds forever from there`;
      break;
  }
  // Fairness on the loop: each fair instance enabled on it is taken, or (weak) disabled at some state of it.
  const enabledAt = new Map<string, { kind: FairnessKind; count: number }>();
  for (const s of cycle) {
    stateFingerprintInto(system, s, fp);
    const a = fp[0];
    const b = fp[1];
    const here = new Map<string, FairnessKind>();
    system.successors(s, (next, action, label) => {
      const inst = fairnessInstance(fairness, action, label);
      if (inst.kind === 'none' || here.has(inst.key)) return;
      stateFingerprintInto(system, next, fp);
      if (fp[0] === a && fp[1] === b) return; // a stutter enables nothing
      here.set(inst.key, inst.kind);
    });
    for (const [key, kind] of here) enabledAt.set(key, { kind, count: (enabledAt.get(key)?.count ?? 0) + 1 });
  }
  const taken = new Set(loopKeys);
  for (const [key, { kind, count }] of enabledAt) {
    if (taken.has(key)) continue;
    if (kind === 'weak' && count === cycle.length) return `the loop is not fair: ${key} is weakly fair, enabled all along the loop, and never taken on it`;
    if (kind === 'strong') return `the loop is not fair: ${key} is strongly fair, enabled on the loop, and never taken on it`;
  }
  return undefined;
}
