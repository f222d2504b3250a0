// specs/two-phase-commit.{buggy,fixed}.ts: a participant that aborts on a timeout
// after voting yes breaks atomicity (buggy); one that waits in doubt (fixed) does not.
// (specs/two-phase.ts is the core-layer TLA+ TwoPhase model; see test/explore.)
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/two-phase-commit.buggy.js';
import fixed from '../../specs/two-phase-commit.fixed.js';
import { explore } from '../protocol/oracle.js';


const SHORTEST = [
  'deliver Prepare coordinator→participant1 (choose: yes)',
  'deliver Prepare coordinator→participant2 (choose: yes)',
  'deliver VoteYes participant1→coordinator',
  'deliver VoteYes participant2→coordinator',
  'deliver Commit coordinator→participant1',
  'fire participant2.inDoubt',
];

describe('two-phase-commit.buggy', () => {
  const r = check(buggy);

  test('participant2 times out and aborts while the Commit is on its way: atomicity, 6 actions, no fault', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('atomicity');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe('participant1 committed but participant2 aborted: the transaction is half done');
    expect(r.violation!.trace.length - 1).toBe(6);
    expect(labels(r)).toEqual(SHORTEST);
    // Asynchronous timers: the timeout fires while the coordinator is merely slow.
    expect(faultsIn(labels(r))).toEqual([]);
    expect(r.expectation?.met).toBe(true);
  });

  test('no fault is needed: with every budget at 0 the same trace breaks it', () => {
    const r0 = check(buggy, { faults: { drop: 0, duplicate: 0, crash: 0 } });
    expect(r0.violation?.property).toBe('atomicity');
    expect(labels(r0)).toEqual(SHORTEST);
  });

  test('the brute-force oracle finds the same shortest violation (maxInFlight 2)', () => {
    expect(explore(buggy, { params: { maxInFlight: 2 } }).violations.get('atomicity')?.trace.length).toBe(6);
  });
});

describe('two-phase-commit.fixed', () => {
  const r = check(fixed);

  test('holds on the complete (maxInFlight-constrained) space: 30,849 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.constraintInForce).toBe(true); // maxInFlight 4 bounds the repeated retries
    expect(r.stats.distinctStates).toBe(30_849);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle agrees on a smaller space (maxInFlight 2)', () => {
    const o = explore(fixed, { params: { maxInFlight: 2 } });
    const r2 = check(fixed, { params: { maxInFlight: 2 } });
    expect(r2.verdict).toBe('ok');
    expect(o.distinct).toBe(r2.stats.distinctStates);
    expect(o.generated).toBe(r2.stats.generatedStates);
    expect(o.violations.size).toBe(0);
    for (const name of ['allCommitted', 'allAborted']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
  });

  test('not vacuous: the transaction commits everywhere in some run and aborts everywhere in another', () => {
    // 'ok' on a complete search means every `sometimes` property was reached.
    expect(r.violation).toBeUndefined();
    expect(r.coverage.find((c) => c.action === 'deliver Commit@participant')!.count).toBeGreaterThan(0);
    expect(r.coverage.find((c) => c.action === 'fire inDoubt@participant')!.count).toBeGreaterThan(0);
  });
});
