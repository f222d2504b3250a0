// specs/lock-holder-crash.{buggy,fixed}.ts: a lock only its holder can give back
// is never given back when the holder crashes (buggy); a lease that expires
// passes it on (fixed).
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { lassoOf } from './lasso.js';
import { faultsIn, labels } from './trace-labels.js';
import buggy from '../../specs/lock-holder-crash.buggy.js';
import fixed from '../../specs/lock-holder-crash.fixed.js';
import { explore } from '../protocol/oracle.js';

type W = { nodes: Record<string, { status: string; state: { phase?: string; holder?: string | null } | null }> };

describe('lock-holder-crash.buggy', () => {
  const r = check(buggy);

  test('client2 crashes holding the lock; client1 waits forever: client1GetsLock, halts after 7 actions', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('client1GetsLock');
    expect(r.violation!.kind).toBe('liveness');
    expect(r.violation!.liveness?.form).toBe('leadsTo');
    expect(r.violation!.message).toBe(
      'client1GetsLock: its trigger holds at step 7, and its goal never holds after it: a fair behaviour halts at step 7 and stays there forever; no fair action is enabled there',
    );
    expect(labels(r)).toEqual([
      'step client1.acquire',
      'step client2.acquire',
      'deliver Acquire client2→lock',
      'deliver Acquire client1→lock',
      'deliver Granted lock→client2',
      'crash client2',
      'restart client2',
    ]);
    expect(faultsIn(labels(r))).toEqual(['crash client2']);
    const l = lassoOf(r);
    expect(r.violation!.loop).toBe(7);
    expect(l.stem).toBe(7);
    expect(l.loop).toBe(0); // it halts
    const end = l.loopStates[0] as unknown as W;
    expect(end.nodes.lock!.state).toEqual({ holder: 'client2', queue: ['client1'] });
    expect(end.nodes.client1!.state).toEqual({ phase: 'waiting' });
    expect(end.nodes.client2!.state).toEqual({ phase: 'restarted' });
    expect(r.expectation?.met).toBe(true);
  });

  test('without a crash every waiter is served', () => {
    const r0 = check(buggy, { faults: { crash: 0 } });
    expect(r0.verdict).toBe('ok');
    expect(r0.stats.distinctStates).toBe(33);
    expect(r0.expectation?.met).toBe(false);
  });

  test('the dead holder is the only way to wait forever: in every dead end with a waiter, the holder has crashed', () => {
    const o = explore(buggy);
    const deadEnds = o.states.filter((s) => {
      const w = s as W;
      if (!['client1', 'client2'].some((c) => w.nodes[c]!.state?.phase === 'waiting')) return false;
      let next = 0;
      o.system.successors(s, () => next++);
      return next === 0;
    }) as W[];
    expect(deadEnds.length).toBeGreaterThan(0);
    for (const w of deadEnds) {
      const holder = w.nodes[w.nodes.lock!.state!.holder!]!;
      expect(holder.status === 'crashed' || holder.state!.phase === 'restarted').toBe(true);
    }
  });
});

describe('lock-holder-crash.fixed', () => {
  const r = check(fixed);

  test('every waiting client eventually holds the lock (or has crashed): holds, 695 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.stats.distinctStates).toBe(695);
    expect(r.expectation?.met).toBe(true);
  });

  test('not vacuous: a lease expires on a crashed holder and the waiter gets the lock', () => {
    const o = explore(fixed);
    expect(o.distinct).toBe(695);
    const p = o.system.sometimes.find((x) => x.name === 'servedAfterCrash')!;
    expect(o.states.some((s) => p.check(s) === true)).toBe(true);
  });

  test('a lease frees a lock, it does not retry: a lost Acquire still leaves its client waiting', () => {
    const r1 = check(fixed, { faults: { crash: 1, drop: 1 } });
    expect(r1.violation?.kind).toBe('liveness');
    expect(r1.violation?.property).toBe('client1GetsLock');
    expect(faultsIn(labels(r1))).toContain('drop Acquire client1→lock');
  });
});
