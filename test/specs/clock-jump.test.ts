// specs/clock-jump.{buggy,fixed}.ts: a lease timed with the time-of-day clock
// outlives itself when the clock is stepped back (buggy); timed with the
// monotonic clock (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/clock-jump.buggy.js';
import fixed from '../../specs/clock-jump.fixed.js';
import { explore } from '../protocol/oracle.js';


describe('clock-jump.buggy', () => {
  const r = check(buggy);

  test('a clock stepped back keeps client1 holding the lease after it moved on: singleHolder, 9 actions, one jump', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('singleHolder');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe(
      "client1 and client2 both hold the lease at t=3: client1's clock reads 1 (lease until 2), client2's clock reads 3 (lease until 5)",
    );
    expect(r.violation!.trace.length - 1).toBe(9);
    expect(faultsIn(labels(r))).toEqual(['clockJump client1 offset=-2']);
    expect(labels(r).slice(-2)).toEqual(['fire lock.expire', 'deliver Granted{ttl:2} lock→client2 (by t=3)']);
    expect(r.expectation?.met).toBe(true);
  });

  test('skewed clocks without a jump are harmless: a constant offset cancels out of a duration', () => {
    const r0 = check(buggy, { faults: { clockJump: 0 }, params: { maxSkew: 2 } });
    expect(r0.verdict).toBe('ok');
    expect(r0.complete).toBe(true);
  });
});

describe('clock-jump.fixed', () => {
  const r = check(fixed);
  const o = explore(fixed);

  test('holds on the complete space, 207 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    // 23 states without a jump (counted by hand); a jump of either client to any of
    // the 4 other offsets can happen in each of them and changes nothing else: 23 + 23 × 8.
    expect(check(fixed, { faults: { clockJump: 0 }, params: {} }).stats.distinctStates).toBe(23);
    expect(r.stats.distinctStates).toBe(207);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle reaches the same states and no violation', () => {
    expect(o.distinct).toBe(207);
    expect(o.violations.size).toBe(0);
  });

  test('not vacuous: the lease changes hands, and a holder has its clock stepped back', () => {
    for (const name of ['leaseChangesHands', 'holderClockSteppedBack']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
    const r0 = check(fixed, { faults: { clockJump: 0 } });
    expect(r0.violation?.kind).toBe('sometimes');
    expect(r0.violation?.property).toBe('holderClockSteppedBack');
  });
});
