// specs/split-vote.{buggy,fixed}.ts: two candidates with identical timeouts split
// the vote in every term, a livelock with no fault (buggy); ranked candidates, the
// lower one deferring (fixed), elect a leader in every fair behaviour.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/index.js';
import { lassoOf } from './lasso.js';
import { labels } from './trace-labels.js';
import buggy from '../../specs/split-vote.buggy.js';
import fixed from '../../specs/split-vote.fixed.js';
import { termsWithinOne } from '../../specs/lib/split-vote.js';
import { explore } from '../protocol/oracle.js';

const leader = (w: { nodes: Record<string, { state: { role: string } }> }) => Object.values(w.nodes).some((n) => n.state.role === 'leader');

describe('split-vote.buggy', () => {
  const r = check(buggy);

  test('both stand, refuse each other and stand again, through three terms forever: leaderElected, a lasso of 2 + 18 actions', () => {
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('leaderElected');
    expect(r.violation!.kind).toBe('liveness');
    expect(r.violation!.liveness?.form).toBe('eventually');
    expect(r.violation!.message).toBe('leaderElected never holds: a fair behaviour loops forever over steps 2–20 (step 20 is step 2 again)');
    const l = lassoOf(r);
    expect(r.violation!.loop).toBe(2);
    expect(l.stem).toBe(2);
    expect(l.loop).toBe(18);
    expect(r.expectation?.met).toBe(true);
  });

  test('the story: one round per term, terms 1, 2, 0 (modulo 3), no fault, no leader anywhere on the lasso', () => {
    const ls = labels(r);
    expect(ls.slice(0, 2)).toEqual(['fire node1.election', 'fire node2.election']);
    const round = (t: number) => [
      `deliver RequestVote{term:${t}} node1→node2`,
      `deliver RequestVote{term:${t}} node2→node1`,
      `deliver Vote{term:${t},votedFor:"node1"} node1→node2`,
      `deliver Vote{term:${t},votedFor:"node2"} node2→node1`,
      'fire node1.election',
      'fire node2.election',
    ];
    expect(ls.slice(2)).toEqual([...round(1), ...round(2), ...round(0)]);
    const l = lassoOf(r);
    expect(l.states.some(leader)).toBe(false);
    // A genuine livelock: every node is busy on the loop, nothing waits on a fault.
    expect(l.loopStates.every((w) => w.inFlight.length > 0 || Object.values(w.nodes).some((n) => n.timers && 'election' in n.timers))).toBe(true);
  });

  test('counting terms modulo 3 is exact: unwrapped, every term in the world stays within one of the others', () => {
    // The infinite model (terms: 0), its first 5,000 states in BFS order, over a thousand actions deep.
    const r0 = check(buggy, { params: { terms: 0 }, maxStates: 5000, ignoreExpect: true });
    expect(r0.violation).toBeUndefined();
    expect(r0.incomplete?.reason).toBe('maxStates');
    expect(r0.stats.depth).toBeGreaterThan(1000);
    // The invariant can fail: terms two apart, or three terms at once.
    expect(termsWithinOne([3, 5], 0)).toBe('terms 3, 5 are in use at once');
    expect(termsWithinOne([0, 1, 2], 3)).toBe('terms 0, 1, 2 are in use at once');
    expect(termsWithinOne([4, 5, 5], 0)).toBe(true);
  });
});

describe('split-vote.fixed', () => {
  const r = check(fixed);

  test('a leader is elected along every fair behaviour: holds, 25 distinct states', () => {
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.stats.distinctStates).toBe(25);
    expect(r.expectation?.met).toBe(true);
  });

  test('not vacuous: the vote still splits, and every terminal state has a leader', () => {
    const o = explore(fixed);
    expect(o.distinct).toBe(25);
    const split = o.system.sometimes.find((p) => p.name === 'splitVote')!;
    expect(o.states.some((s) => split.check(s) === true)).toBe(true);
    const terminal = o.states.filter((s) => {
      let any = false;
      o.system.successors(s, () => (any = true));
      return !any;
    });
    expect(terminal.length).toBeGreaterThan(0);
    expect(terminal.every((s) => leader(s as never))).toBe(true);
  });

  test('the fix does not depend on how terms wrap: unwrapped, the same 25 states', () => {
    // A state budget: without the fix the unwrapped model is infinite (then 'incomplete', not a hang).
    const r0 = check(fixed, { params: { terms: 0 }, maxStates: 1000 });
    expect(r0.verdict).toBe('ok');
    expect(r0.stats.distinctStates).toBe(25);
  });
});
