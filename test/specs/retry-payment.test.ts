// specs/retry-payment.{buggy,fixed}.ts: a retry after a lost receipt charges
// twice (buggy); an idempotency key deduplicated at the server (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/retry-payment.buggy.js';
import fixed from '../../specs/retry-payment.fixed.js';
import { explore } from '../protocol/oracle.js';


describe('retry-payment.buggy', () => {
  const r = check(buggy);

  test('the receipt is lost, the client retries, the server charges again: chargedOnce, 5 actions, one drop', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('chargedOnce');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe('the customer was charged 2 times for one payment');
    expect(r.violation!.trace.length - 1).toBe(5);
    expect(faultsIn(labels(r))).toEqual(['drop Receipt{amount:100} server→client (by t=0)']);
    expect(labels(r)).toContain('fire client.retry');
    expect(r.expectation?.met).toBe(true);
  });

  test('a late receipt is as bad as a lost one', () => {
    const r1 = check(buggy, { faults: { drop: 0 } });
    expect(r1.violation!.trace.length - 1).toBe(5);
    expect(faultsIn(labels(r1))).toEqual(['delay Receipt{amount:100} server→client (by t=0)']);
  });
});

describe('retry-payment.fixed', () => {
  const r = check(fixed);
  const o = explore(fixed);

  test('holds on the complete space, 163 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    // With one drop and no delay the space is small enough to count by hand: 20.
    expect(check(fixed, { faults: { drop: 1, delay: 0 } }).stats.distinctStates).toBe(20);
    expect(r.stats.distinctStates).toBe(163);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle reaches the same states and no violation', () => {
    expect(o.distinct).toBe(163);
    expect(o.violations.size).toBe(0);
  });

  test('not vacuous: the client retries, pays, and a retry is answered from the ledger', () => {
    for (const name of ['paid', 'retried', 'receiptReplayed']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
    const r0 = check(fixed, { faults: { drop: 0, delay: 0 } });
    expect(r0.violation?.kind).toBe('sometimes');
    expect(r0.violation?.property).toBe('retried');
  });

  test('holds with crashes too: the key is in the durable ledger', () => {
    const r1 = check(fixed, { faults: { drop: 1, delay: 1, crash: 1 } });
    expect(r1.verdict).toBe('ok');
    expect(r1.complete).toBe(true);
  });
});
