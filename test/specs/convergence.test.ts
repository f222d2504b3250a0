// specs/convergence.{buggy,fixed}.ts: replicas that adopt whatever value arrives
// last swap values forever and never converge, an `eventuallyAlways` violation
// (buggy); a versioned merge, last writer wins, converges (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { lassoOf } from './lasso.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/convergence.buggy.js';
import fixed from '../../specs/convergence.fixed.js';
import { explore } from '../protocol/oracle.js';

type W = { nodes: Record<string, { state: { data: string } }>; inFlight: unknown[] };
const agree = (s: unknown) => {
  const w = s as W;
  return w.nodes.replica1!.state.data === w.nodes.replica2!.state.data;
};

describe('convergence.buggy', () => {
  const r = check(buggy);

  test('both send, both adopt the other value, both send again, forever: converged, a lasso of 0 + 8 actions', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('converged');
    expect(r.violation!.kind).toBe('liveness');
    expect(r.violation!.liveness?.form).toBe('eventuallyAlways');
    expect(r.violation!.message).toBe('converged never holds for good: a fair behaviour loops forever over steps 0–8 (step 8 is step 0 again), failing it on the way round');
    expect(labels(r)).toEqual([
      'step replica1.gossip',
      'step replica2.gossip',
      'deliver Value{data:"blue"} replica2→replica1',
      'deliver Value{data:"red"} replica1→replica2',
      'step replica1.gossip',
      'step replica2.gossip',
      'deliver Value{data:"blue"} replica1→replica2',
      'deliver Value{data:"red"} replica2→replica1',
    ]);
    expect(faultsIn(labels(r))).toEqual([]);
    const l = lassoOf(r);
    expect(r.violation!.loop).toBe(0);
    expect(l.stem).toBe(0);
    expect(l.loop).toBe(8);
    expect(l.loopStates.some((s) => !agree(s))).toBe(true);
    expect(r.expectation?.met).toBe(true);
  });

  test('flapping: the replicas can agree and then be pulled apart by a value still in flight', () => {
    const o = explore(buggy);
    const flaps = o.states.filter((s) => {
      if (!agree(s)) return false;
      let apart = false;
      o.system.successors(s, (next) => (apart ||= !agree(next)));
      return apart;
    });
    expect(flaps.length).toBeGreaterThan(0);
  });
});

describe('convergence.fixed', () => {
  const r = check(fixed);

  test('the replicas agree for good along every fair behaviour: holds, 12 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.stats.distinctStates).toBe(12);
    expect(r.expectation?.met).toBe(true);
  });

  test('once agreed, they never come apart, and every behaviour ends agreeing on the winner, "blue"', () => {
    const o = explore(fixed);
    expect(o.distinct).toBe(12);
    for (const s of o.states) {
      if (!agree(s)) continue;
      o.system.successors(s, (next) => expect(agree(next)).toBe(true));
    }
    const terminal = o.states.filter((s) => {
      let any = false;
      o.system.successors(s, () => (any = true));
      return !any;
    });
    expect(terminal.length).toBeGreaterThan(0);
    for (const s of terminal) expect((s as W).nodes.replica1!.state.data).toBe('blue');
    for (const s of terminal) expect(agree(s)).toBe(true);
  });

  test('a duplicate changes nothing (the merge is idempotent); a lost update is never resent', () => {
    expect(check(fixed, { faults: { duplicate: 1 } }).verdict).toBe('ok');
    const r1 = check(fixed, { faults: { drop: 1 } });
    expect(r1.violation?.kind).toBe('liveness');
    expect(r1.violation?.property).toBe('converged');
    expect(faultsIn(labels(r1))).toHaveLength(1);
  });
});
