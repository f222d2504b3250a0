// specs/lww-skew.{buggy,fixed}.ts: last-write-wins ordered by skewed time-of-day
// timestamps loses a causally later write (buggy); Lamport timestamps (fixed) do not.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/lww-skew.buggy.js';
import fixed from '../../specs/lww-skew.fixed.js';
import { explore } from '../protocol/oracle.js';


describe('lww-skew.buggy', () => {
  const r = check(buggy);

  test('a write made after reading "a" gets an earlier timestamp and is discarded: causalWriteKept, 4 actions, no fault', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('causalWriteKept');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe(
      'replica2 kept "a" (ts [1,"replica1"]) and discarded "b" (ts [0,"replica2"]), although "b" was written after its writer saw "a": a lost update',
    );
    expect(r.violation!.trace.length - 1).toBe(4);
    expect(labels(r)).toEqual([
      'fire replica1.write',
      'deliver Replicate{ts:[1,"replica1"],value:"a"} replica1→replica2',
      'tick (t=1)',
      'fire replica2.write',
    ]);
    // No fault at all: skew is part of the system model (initial clock offsets).
    expect(faultsIn(labels(r))).toEqual([]);
    expect(r.expectation?.met).toBe(true);
  });

  test('the skew is what breaks it: replica1 runs a tick fast, replica2 a tick slow; with clocks in step it holds', () => {
    const init = r.violation!.trace[0]!.state as { nodes: Record<string, { clockOffset: number }> };
    expect([init.nodes.replica1!.clockOffset, init.nodes.replica2!.clockOffset]).toEqual([1, -1]);
    const r0 = check(buggy, { params: { maxSkew: 0 } });
    expect(r0.verdict).toBe('ok');
    expect(r0.complete).toBe(true);
  });

  test('the brute-force oracle finds the same shortest violation', () => {
    expect(explore(buggy).violations.get('causalWriteKept')?.trace.length).toBe(4);
  });
});

describe('lww-skew.fixed', () => {
  const r = check(fixed);
  const o = explore(fixed);

  test('holds on the complete space: 4,302 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.constraintInForce).toBe(false);
    expect(r.stats.distinctStates).toBe(4_302);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle reaches the same states and generated count, and no violation', () => {
    expect(o.distinct).toBe(4_302);
    expect(o.generated).toBe(r.stats.generatedStates);
    expect(o.violations.size).toBe(0);
  });

  test('not vacuous: B\'s later write wins at both replicas, and a concurrent write is discarded', () => {
    for (const name of ['laterWriteWins', 'concurrentWriteDiscarded']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
  });
});
