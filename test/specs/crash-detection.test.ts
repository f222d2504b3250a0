// specs/crash-detection.{buggy,fixed}.ts: a monitor that learns of departures
// only from goodbyes never suspects a crashed worker (buggy); probes and a
// timeout make it complete (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { lassoOf } from './lasso.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/crash-detection.buggy.js';
import fixed from '../../specs/crash-detection.fixed.js';
import { explore } from '../protocol/oracle.js';

describe('crash-detection.buggy', () => {
  const r = check(buggy);

  test('the worker crashes and nothing can ever happen again: crashSuspected, halts after 1 action', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('crashSuspected');
    expect(r.violation!.kind).toBe('liveness');
    expect(r.violation!.liveness?.form).toBe('leadsTo');
    expect(r.violation!.message).toBe(
      'crashSuspected: its trigger holds at step 1, and its goal never holds after it: a fair behaviour halts at step 1 and stays there forever; no fair action is enabled there',
    );
    expect(labels(r)).toEqual(['crash worker']);
    expect(faultsIn(labels(r))).toEqual(['crash worker']);
    const l = lassoOf(r);
    expect(r.violation!.loop).toBe(1);
    expect(l.stem).toBe(1);
    expect(l.loop).toBe(0); // it halts: stutters in the last state
    const end = l.loopStates[0]!;
    expect(end.nodes.worker!.status).toBe('crashed');
    expect(end.nodes.monitor!.state.suspected).toBe(false);
    expect(end.inFlight).toEqual([]);
    expect(r.expectation?.met).toBe(true);
  });

  test('without the crash the trigger never holds, and it holds', () => {
    const r0 = check(buggy, { faults: { crash: 0 } });
    expect(r0.verdict).toBe('ok');
    expect(r0.expectation?.met).toBe(false);
  });
});

describe('crash-detection.fixed', () => {
  const r = check(fixed);

  test('a crashed worker is eventually suspected along every fair behaviour: holds, 42 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.stats.distinctStates).toBe(42);
    expect(r.expectation?.met).toBe(true);
  });

  test('not vacuous: a crash is detected; and a live worker can be suspected (async timeouts are not accurate)', () => {
    const o = explore(fixed);
    expect(o.distinct).toBe(42);
    for (const name of ['crashDetected', 'liveWorkerSuspected']) {
      const p = o.system.sometimes.find((x) => x.name === name)!;
      expect(o.states.some((s) => p.check(s) === true), name).toBe(true);
    }
  });

  test('the probe keeps the network bounded: never more than one Ping or Pong in flight', () => {
    const o = explore(fixed);
    const counts = o.states.map((s) => (s as { inFlight: { msg: { type: string } }[] }).inFlight.filter((e) => e.msg.type !== 'Goodbye').length);
    expect(Math.max(...counts)).toBe(1);
  });
});
