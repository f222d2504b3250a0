// specs/failure-detector.{buggy,fixed}.ts: a worker declared dead by a timeout
// while only slow, its job run twice (buggy); an idempotent receiver (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/failure-detector.buggy.js';
import fixed from '../../specs/failure-detector.fixed.js';
import { explore } from '../protocol/oracle.js';


describe('failure-detector.buggy', () => {
  const r = check(buggy);

  test('a late report makes the coordinator reassign a job already done: emailSentOnce, 7 actions, one delay', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('emailSentOnce');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe('the welcome-email email was sent 2 times');
    expect(r.violation!.trace.length - 1).toBe(7);
    expect(faultsIn(labels(r))).toEqual(['delay Done{job:"welcome-email"} worker1→coordinator (by t=0)']);
    expect(labels(r)).toContain('fire coordinator.timeout');
    expect(r.expectation?.met).toBe(true);
  });

  test('with a pause instead of a delay: 8 actions, the coordinator itself paused', () => {
    const r1 = check(buggy, { faults: { delay: 0 } });
    expect(r1.violation?.property).toBe('emailSentOnce');
    expect(r1.violation!.trace.length - 1).toBe(8);
    expect(faultsIn(labels(r1))).toEqual(['pause coordinator']);
  });

  test('without faults the report always beats the timeout: nobody is ever suspected', () => {
    const r0 = check(buggy, { faults: { delay: 0, pause: 0 } });
    // emailSentOnce holds; what fails is the reachability of a suspicion.
    expect(r0.violation?.kind).toBe('sometimes');
    expect(r0.violation?.property).toBe('workerSuspected');
    expect(r0.stats.distinctStates).toBe(8); // counted by hand: 5 states at t=0 (the two messages of worker1 delivered in either order), then 3 ticks
  });
});

describe('failure-detector.fixed', () => {
  const r = check(fixed);
  const o = explore(fixed);

  test('holds on the complete space, 1,012 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.stats.distinctStates).toBe(1012);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle reaches the same states and no violation', () => {
    expect(o.distinct).toBe(1012);
    expect(o.violations.size).toBe(0);
  });

  test('not vacuous: the email is sent, a live worker is suspected, the mailer ignores the second request', () => {
    for (const name of ['emailSent', 'workerSuspected', 'duplicateIgnored']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
    const r0 = check(fixed, { faults: { delay: 0, pause: 0 } });
    expect(r0.violation?.kind).toBe('sometimes');
    expect(r0.violation?.property).toBe('workerSuspected');
  });
});
