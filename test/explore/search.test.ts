// Properties, bounds and strategies of the search, on tiny hand-countable models.
import { describe, expect, it } from 'vitest';
import { check, forEach, ids, simulate, spec } from '../../src/index.js';

/** Two counters a, b in 0..max, each incremented by its own action: (max+1)² states. */
const grid = (extra: Partial<Parameters<typeof spec<{ a: number; b: number }, { max: number }>>[0]> = {}) =>
  spec({
    name: 'grid',
    params: { max: 3 },
    init: () => ({ a: 0, b: 0 }),
    actions: {
      Inc: forEach(['a', 'b'] as const, (s: { a: number; b: number }, k, p: { max: number }) => (s[k] < p.max ? { ...s, [k]: s[k] + 1 } : undefined)),
    },
    ...extra,
  });

describe('search', () => {
  it('counts a grid exactly and labels parameterised actions', () => {
    const r = check(grid());
    expect(r.stats.distinctStates).toBe(16);
    // every state but the corners' missing moves: 2 per state minus the 8 blocked moves, plus the initial state
    expect(r.stats.generatedStates).toBe(16 * 2 - 8 + 1);
    expect(r.stats.depth).toBe(6);
    expect(r.coverage).toEqual([{ action: 'Inc', fault: false, count: 24 }]);
  });

  it('invariant violations report the shortest trace with labels', () => {
    const r = check(grid({ invariants: { Small: (s) => s.a + s.b < 3 || `a+b = ${s.a + s.b}` } }));
    expect(r.verdict).toBe('violation');
    expect(r.violation!.message).toBe('a+b = 3');
    expect(r.violation!.trace.map((s) => s.action)).toEqual([null, 'Inc(a)', 'Inc(a)', 'Inc(a)']);
  });

  it('action properties see the transition and its label', () => {
    const r = check(grid({ actionProperties: { OnlyA: (_s, action) => action !== 'Inc(b)' || 'b moved' } }));
    expect(r.violation).toMatchObject({ property: 'OnlyA', kind: 'actionProperty', message: 'b moved' });
    expect(r.violation!.trace.map((s) => s.action)).toEqual([null, 'Inc(b)']);
  });

  it('sometimes: satisfied when reachable, a violation when never true in a complete search', () => {
    expect(check(grid({ sometimes: { Corner: (s) => s.a === 3 && s.b === 3 } })).verdict).toBe('ok');
    const r = check(grid({ sometimes: { Beyond: (s) => s.a > 3 } }));
    expect(r.violation).toMatchObject({ property: 'Beyond', kind: 'sometimes', trace: [] });
    // an incomplete search proves nothing either way
    expect(check(grid({ sometimes: { Beyond: (s) => s.a > 3 } }), { maxDepth: 2 }).verdict).toBe('incomplete');
  });

  it('a constraint stops expansion but states failing it are still checked', () => {
    const r = check(grid({ constraint: (s) => s.a + s.b < 2 }));
    // As TLC counts: the 3 states with a+b < 2 are distinct; the 3 with a+b = 2 are
    // generated and checked, not counted.
    expect(r.stats.distinctStates).toBe(3);
    expect(r.stats.generatedStates).toBe(1 + 2 + 4);
    expect(r.constraintInForce).toBe(true);
    expect(r.verdict).toBe('ok');
    const v = check(grid({ constraint: (s) => s.a + s.b < 2, invariants: { NotTwo: (s) => s.a + s.b !== 2 } }));
    expect(v.violation!.property).toBe('NotTwo');
  });

  it("counts a constraint as TLC's CONSTRAINT does, in every strategy (x = 0, x' = x + 1, x < 3: 3 distinct, 4 generated)", () => {
    type X = { x: number; y: number };
    const counter = (extra: Partial<Parameters<typeof spec<X, Record<string, never>>>[0]> = {}) =>
      spec({
        name: 'counter',
        init: () => ({ x: 0, y: 0 }),
        actions: { Next: (s: X) => ({ ...s, x: s.x + 1 }) },
        constraint: (s) => s.x < 3,
        ...extra,
      });
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = check(counter(), { strategy });
      expect(r.stats).toMatchObject({ distinctStates: 3, generatedStates: 4 });
      expect(r.verdict).toBe('ok');
    }
    // The state beyond the constraint is still checked against the invariants.
    const v = check(counter({ invariants: { Small: (s) => s.x < 3 } }));
    expect(v.violation?.trace.map((s) => (s.state as { x: number }).x)).toEqual([0, 1, 2, 3]);
    // An initial state failing the constraint is checked and not counted either.
    const outside = check(counter({ constraint: (s) => s.x > 0 }));
    expect(outside.stats).toMatchObject({ distinctStates: 0, generatedStates: 1 });
  });

  it('runs the constraint once per state kept, in every strategy and queue (its verdict is kept with the state)', () => {
    let calls = 0;
    const counted = grid({ constraint: (s) => (calls++, s.a + s.b < 2) });
    for (const options of [{}, { compactFrontier: false }, { strategy: 'dfs' as const }]) {
      calls = 0;
      const r = check(counted, options);
      expect(r.stats).toMatchObject({ distinctStates: 3, generatedStates: 7 });
      expect(calls).toBe(6); // 3 within, 3 outside: each when checked, none again when expanded
      // The depth bound's probe reads the verdicts too: (0,0), (1,0), (0,1) kept, each run once.
      calls = 0;
      expect(check(counted, { ...options, maxDepth: 1 })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'maxDepth' } });
      expect(calls).toBe(3);
    }
  });

  it('deadlock is opt-in and skips done states', () => {
    expect(check(grid()).verdict).toBe('ok');
    const r = check(grid(), { deadlock: true });
    expect(r.violation).toMatchObject({ kind: 'deadlock' });
    expect(r.violation!.trace.at(-1)!.state).toEqual({ a: 3, b: 3 });
    expect(check(grid({ done: (s) => s.a === 3 && s.b === 3 }), { deadlock: true }).verdict).toBe('ok');
  });

  it('bounds make the search incomplete, never "ok"', () => {
    const depth = check(grid(), { maxDepth: 3 });
    expect(depth).toMatchObject({ verdict: 'incomplete', complete: false, incomplete: { reason: 'maxDepth' } });
    expect(depth.stats.distinctStates).toBe(10); // a+b ≤ 3
    expect(check(grid(), { maxDepth: 6 }).verdict).toBe('ok'); // the bound cut nothing off
    expect(check(grid(), { maxStates: 5 })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'maxStates' } });
    const slow = spec({ name: 'slow', init: () => ({ n: 0 }), actions: { Inc: (s: { n: number }) => ({ n: s.n + 1 }) } });
    expect(check(slow, { maxTimeMs: 200 })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'maxTime' } });
  });

  it('DFS with a depth bound still explores every state within the bound', () => {
    const r = check(grid(), { strategy: 'dfs', maxDepth: 3 });
    expect(r.stats.distinctStates).toBe(10);
    expect(r.verdict).toBe('incomplete');
    expect(check(grid(), { strategy: 'dfs' }).stats.distinctStates).toBe(16);
  });

  it('several initial states and several successors per action', () => {
    const s = spec({
      name: 'multi',
      init: () => [{ x: 0 }, { x: 10 }],
      actions: { Step: (st: { x: number }) => (st.x % 10 < 2 ? [{ x: st.x + 1 }, { x: st.x + 2 }] : undefined) },
    });
    const r = check(s);
    expect(r.stats.distinctStates).toBe(8); // 0,1,2,3 and 10,11,12,13
  });

  it('simulate is reproducible with a seed and never says ok', () => {
    const buggy = grid({ invariants: { NotCorner: (s) => !(s.a === 3 && s.b === 3) } });
    const a = simulate(buggy, { seed: 7, walks: 20, depth: 10 });
    const b = simulate(buggy, { seed: 7, walks: 20, depth: 10 });
    expect(a.verdict).toBe('violation');
    expect(b.violation!.trace).toEqual(a.violation!.trace);
    expect(simulate(grid(), { seed: 1, walks: 5, depth: 10 }).verdict).toBe('none-found');
  });

  it('ids() names the values of a count param', () => {
    expect(ids('r', 3)).toEqual(['r1', 'r2', 'r3']);
    // One frozen array per (prefix, count): cheap to call inside actions, safe to share.
    expect(ids('r', 3)).toBe(ids('r', 3));
    expect(ids('n', 3)).toEqual(['n1', 'n2', 'n3']);
    expect(ids('r', 2)).toEqual(['r1', 'r2']);
    expect(Object.isFrozen(ids('r', 3))).toBe(true);
  });

  it('reports the collision probability and the visited-set bytes per state', () => {
    const r = check(grid());
    expect(r.stats.collisionProbability).toBeGreaterThan(0);
    expect(r.stats.collisionProbability).toBeLessThan(1e-15);
    expect(r.stats.visitedBytesPerState).toBeGreaterThan(12);
  });
});
