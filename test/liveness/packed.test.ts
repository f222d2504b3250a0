// Liveness in packed() specs: the properties go in what define returns (they read the
// state through the slots) and are checked as in spec(), on the decoded states. The
// packed toggle gives the lasso of the plain one, its predicates see the params,
// fairness may be declared in the definition or in what define returns (not both), and
// a liveness property at the top level, where no slots are and where it used to be
// silently ignored, is an error saying where it goes.
import { describe, expect, it } from 'vitest';
import { bool, check, int, packed } from '../../src/index.js';
import togglePacked from '../fixtures/liveness/toggle-packed.js';
import toggle from '../fixtures/liveness/toggle.js';
import type { PackedState } from '../../src/packed/state.js';

describe('packed liveness', () => {
  it('the packed toggle is violated by the same lasso as the plain one', () => {
    const p = check(togglePacked, { ignoreExpect: true });
    const c = check(toggle, { ignoreExpect: true });
    expect(p.verdict).toBe('violation');
    expect(p.violation).toMatchObject({ kind: 'liveness', property: 'finished', loop: 0 });
    expect(p.violation!.trace).toEqual(c.violation!.trace);
    expect(p.violation!.liveness).toEqual(c.violation!.liveness);
    expect(p.liveness).toMatchObject({ properties: ['finished'], edges: 4 });
    expect(togglePacked.describe().liveness).toEqual(['finished']);
  });

  it('with Finish weakly fair it holds; with liveness off the packed search counts the same states', () => {
    const fair = check(togglePacked, { params: { fairFinish: true }, ignoreExpect: true });
    expect(fair.verdict).toBe('ok');
    const off = check(togglePacked, { params: { fairFinish: true }, ignoreExpect: true, liveness: false });
    expect(off.liveness?.skipped).toBe(true);
    expect([off.stats.distinctStates, off.stats.generatedStates]).toEqual([fair.stats.distinctStates, fair.stats.generatedStates]);
  });

  const layout = { x: int(0, 2), done: bool() };
  const base = {
    name: 'count',
    layout,
    init: () => ({ x: 0, done: false }),
  };

  it('fairness in the definition works as in define; given in both it is an error', () => {
    const def = (fairness: 'weak' | undefined, inner: 'weak' | undefined) =>
      packed({
        ...base,
        ...(fairness ? { fairness } : {}),
        define: (v) => ({
          actions: { Inc: (s) => s.get(v.x) < 2 && s.set(v.x, s.get(v.x) + 1) },
          eventually: { two: (s) => s.get(v.x) === 2 },
          ...(inner ? { fairness: inner } : {}),
        }),
      });
    expect(check(def('weak', undefined)).verdict).toBe('ok');
    expect(check(def(undefined, 'weak')).verdict).toBe('ok');
    const none = check(def(undefined, undefined));
    expect(none.violation).toMatchObject({ kind: 'liveness', property: 'two', loop: 0 }); // stutters at x = 0
    const both = check(def('weak', 'weak'));
    expect(both.verdict).toBe('error');
    expect(both.error!.message).toBe('packed spec "count": fairness is given twice (in the definition and in what define returns); keep one');
  });

  it("a predicate gets the params, as spec()'s do", () => {
    const goal = packed({
      ...base,
      params: { goal: 2 },
      fairness: 'weak',
      define: (v) => ({
        actions: { Inc: (s) => s.get(v.x) < 2 && s.set(v.x, s.get(v.x) + 1) },
        eventually: { reached: (s, p) => s.get(v.x) === p.goal },
      }),
    });
    expect(check(goal).verdict).toBe('ok');
    expect(check(goal, { params: { goal: 3 } }).violation).toMatchObject({ kind: 'liveness', property: 'reached' });
  });

  it('a liveness property at the top level (where no slots are) is a spec error saying where it goes', () => {
    expect(() =>
      packed({ ...base, eventually: { two: () => true }, define: () => ({ actions: {} }) } as never),
    ).toThrow('packed spec "count": eventually belongs in what define returns (its predicates read the state through the slots v)');
  });

  it('bad liveness input is reported as for spec(): a fairness name that is no action, a predicate that is no function', () => {
    const bad = (extra: Record<string, unknown>) => packed({ ...base, define: (v) => ({ actions: { Inc: (s: PackedState) => s.get(v.x) < 2 && s.set(v.x, s.get(v.x) + 1) }, ...extra }) as never });
    expect(check(bad({ eventually: { two: () => true }, fairness: { Nope: 'weak' } })).error!.message).toContain('packed spec "count": fairness.Nope names no action (actions: Inc');
    expect(check(bad({ eventually: { two: 3 } })).error!.message).toBe('packed spec "count": eventually.two must be a function of the state');
  });
});
