// Fault-minimal counterexamples: the shrinker searches with a total fault budget
// of 0, 1, 2, … and keeps the first trace that violates the same property.
import { describe, expect, it } from 'vitest';
import type { Spec, TransitionSystem } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { displayedTrace, shrinkFaults, withFaultBudget, withMinimised } from '../../src/trace/shrink.js';
import { minimisedSummary } from '../../src/trace/render/counterexample.js';
import lease from '../../specs/protocol-examples/lease.js';
import shortcut from './fixtures/shortcut.js';
import pingpong from './fixtures/pingpong.js';
import { counterexampleItf } from '../../src/trace/itf.js';
import { replayItf } from '../../src/trace/replay.js';

const sc = shortcut as unknown as Spec;

describe('shrinkFaults', () => {
  it('finds the fault-free trace when the shortest one uses an unnecessary fault', () => {
    const result = check(sc);
    expect(result.verdict).toBe('violation');
    const v = result.violation!;
    expect(v.trace.map((s) => s.action)).toEqual([null, 'crash b', 'restart b', 'deliver Go a→b']);
    const m = withMinimised(sc, result).violation!.minimised!;
    expect(m.trace.map((s) => s.action)).toEqual([null, 'step b.count', 'step b.count', 'step b.count', 'deliver Go a→b']);
    expect(m).toMatchObject({ steps: 4, faults: 0, shortest: { steps: 3, faults: 1 }, sameAsShortest: false, proven: true, message: 'b is done' });
    expect(minimisedSummary({ ...v, minimised: m })).toBe('shortest: 3 steps, 1 fault; fault-minimal: 4 steps, 0 faults');
    // The BFS trace stays the violation's trace; the display picks the minimised one unless told not to.
    expect(displayedTrace({ ...v, minimised: m }).minimised).toBe(true);
    expect(displayedTrace({ ...v, minimised: m }, false).trace).toBe(v.trace);
  });

  it('reports the BFS trace as fault-minimal when no trace with fewer faults violates', () => {
    const faults = { pause: 1 };
    const result = withMinimised(lease as unknown as Spec, check(lease as unknown as Spec, { faults }), { faults });
    const m = result.violation!.minimised!;
    expect(m).toMatchObject({ sameAsShortest: true, proven: true, faults: 1, steps: 8 });
    expect(m.trace).toBe(result.violation!.trace);
    expect(minimisedSummary(result.violation!)).toBe('shortest: 8 steps, 1 fault; it is also fault-minimal');
  });

  it('leaves results without faults (or without a violation) alone', () => {
    const ok = check(lease as unknown as Spec);
    expect(withMinimised(lease as unknown as Spec, ok)).toBe(ok);
  });

  it('says when a smaller budget could not be searched completely', () => {
    const result = check(sc);
    const system = sc.compile(result.params);
    const out = shrinkFaults(system, result.violation!, { maxStates: 2 });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.minimised.proven).toBe(false);
    expect(out.minimised.unproven).toMatch(/at most 0 fault/);
    expect(out.minimised.sameAsShortest).toBe(true);
  });

  it('withFaultBudget hides successors over the budget and other properties', () => {
    const system = sc.compile(sc.params) as TransitionSystem<unknown>;
    const k0 = withFaultBudget(system, 0, { property: 'notDone', kind: 'invariant' });
    const labels: string[] = [];
    k0.successors(k0.initialStates()[0], (_n, _a, l) => labels.push(typeof l === 'function' ? l() : l));
    expect(labels.some((l) => l.startsWith('crash'))).toBe(false);
    expect(labels).toContain('step b.count');
    expect(k0.sometimes).toEqual([]);
    expect(k0.invariants.map((p) => p.name)).toEqual(['notDone']);
  });

  it('shrinks a deadlock, and the saved deadlock trace replays as one', () => {
    const spec = pingpong as unknown as Spec;
    const r = withMinimised(spec, check(spec, { deadlock: true }), { deadlock: true });
    const v = r.violation!;
    expect(v.kind).toBe('deadlock');
    expect(v.trace.map((s) => s.action)).toEqual([null, 'drop Ping a→b']);
    expect(v.minimised!.trace.map((s) => s.action)).toEqual([null, 'deliver Ping a→b', 'deliver Pong b→a']);
    expect(v.minimised!.faults).toBe(0);
    const itf = counterexampleItf(v.minimised!.trace, { spec: r.spec, params: r.params, property: v.property, kind: v.kind, message: v.message });
    const replayed = replayItf(spec, JSON.stringify(itf));
    expect(replayed.outcome).toBe('reproduced');
    expect(replayed.violation).toMatchObject({ kind: 'deadlock', step: 2 });
  });
});
