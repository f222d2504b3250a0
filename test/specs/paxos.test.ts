// specs/paxos.{buggy,fixed}.ts: single-decree Paxos whose acceptors keep their
// promise only in memory chooses two values after one crash (buggy); with the
// promise on disk (fixed) it chooses at most one under loss, duplication,
// reordering and crash-recovery.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/paxos.buggy.js';
import fixed from '../../specs/paxos.fixed.js';
import { explore } from '../protocol/oracle.js';

const CRASH_ONLY = { drop: 0, duplicate: 0, crash: 1 };

describe('paxos.buggy', () => {
  const r = check(buggy);

  test('acceptor1 forgets its promise in a crash and helps choose both values: agreement, 14 actions, one crash', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('agreement');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.message).toBe('two values chosen: "a" in ballot 1 and "b" in ballot 2');
    expect(r.violation!.trace.length - 1).toBe(14);
    expect(faultsIn(labels(r))).toEqual(['crash acceptor1']);
    expect(labels(r).slice(-4)).toEqual([
      'crash acceptor1',
      'restart acceptor1',
      'deliver Accept{ballot:1,value:"a"} proposer1→acceptor1',
      'deliver Accept{ballot:2,value:"b"} proposer2→acceptor1',
    ]);
    expect(r.expectation?.met).toBe(true);
  });

  test('the crash is necessary: without it the buggy acceptor is safe', () => {
    const r0 = check(buggy, { faults: { crash: 0 } });
    expect(r0.verdict).toBe('ok');
    expect(r0.complete).toBe(true);
  });

  test('the brute-force oracle finds the same shortest violation (crash only)', () => {
    expect(explore(buggy, { faults: CRASH_ONLY }).violations.get('agreement')?.trace.length).toBe(14);
  });
});

describe('paxos.fixed', () => {
  const r = check(fixed);

  test('holds on the complete space under drop, duplicate and crash: 121,975 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.constraintInForce).toBe(false);
    expect(r.stats.distinctStates).toBe(121_975);
    expect(r.expectation?.met).toBe(true);
  });

  test('the brute-force oracle agrees on a smaller space (crash only), where a value is chosen', () => {
    const o = explore(fixed, { faults: CRASH_ONLY });
    const r1 = check(fixed, { faults: CRASH_ONLY });
    expect(r1.verdict).toBe('ok');
    expect(o.distinct).toBe(r1.stats.distinctStates);
    expect(o.generated).toBe(r1.stats.generatedStates);
    expect(o.violations.size).toBe(0);
    const p = o.system.sometimes.find((x) => x.name === 'valueChosen')!;
    expect(o.states.some((s) => p.check(s) === true)).toBe(true);
  });
});
