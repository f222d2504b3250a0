// Among the shortest counterexamples, the one with the fewest faults, chosen inside the
// breadth-first search (bfs.ts, fault-floors.ts), on a model counted by hand
// (test/fixtures/fewest-faults/two-or-one.ts): the first violation met needs 2 faults,
// a later one of the same level 1. The parallel search's agreement: parallel.test.ts.
import { describe, expect, test } from 'vitest';
import { check, forEach, spec } from '../../src/index.js';
import type { CheckOptions, CheckResult, Spec } from '../../src/index.js';
import { resolveParams } from '../../src/core/params.js';
import { Search } from '../../src/explore/search.js';
import { FaultTally, floorAfter, floorsOf } from '../../src/explore/fault-floors.js';
import twoOrOne from '../fixtures/fewest-faults/two-or-one.js';
import eitherCrash from '../fixtures/fewest-faults/either-crash.js';

/** The faults used in a protocol world (its `faults` record, one count per fault). */
function faultsIn(state: unknown): number {
  const f = (state as { faults?: Record<string, number> }).faults ?? {};
  return Object.values(f).reduce((n, x) => n + x, 0);
}

function summary(r: CheckResult) {
  const trace = r.violation?.trace ?? [];
  return {
    verdict: r.verdict,
    kind: r.violation?.kind,
    message: r.violation?.message,
    actions: trace.map((t) => t.action),
    faults: trace.length > 0 ? faultsIn(trace.at(-1)!.state) : undefined,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    error: r.error?.message,
  };
}

const run = (options: CheckOptions = {}) => summary(check(twoOrOne as Spec, options));

describe('the shortest counterexample with the fewest faults', () => {
  test('is the later violation of the level, with 1 fault instead of 2', () => {
    // Finishing the level would generate S3's last successor and S4's two: nothing still to come has fewer than 1 fault.
    expect(run()).toEqual({
      verdict: 'violation',
      kind: 'invariant',
      message: 'a restarted',
      actions: [null, 'crash a', 'restart a'],
      faults: 1,
      distinct: 11,
      generated: 12,
      error: undefined,
    });
  });

  test('the same for an action property', () => {
    expect(run({ params: { property: 'action' } })).toMatchObject({ kind: 'actionProperty', actions: [null, 'crash a', 'restart a'], faults: 1, distinct: 11, generated: 12 });
  });

  test('the state bound does not cut short a level with a violation met: the trace is the same whatever the bound', () => {
    // After S2 (10 distinct) the bound of 8 is passed, with the 2-fault violation met: the search goes on to S3's.
    expect(run({ maxStates: 8 })).toMatchObject({ verdict: 'violation', actions: [null, 'crash a', 'restart a'], faults: 1, distinct: 11, generated: 12 });
    // Before any violation it stops the search as always.
    const early = check(twoOrOne as Spec, { maxStates: 3 });
    expect([early.verdict, early.incomplete?.reason, early.stats.distinctStates]).toEqual(['incomplete', 'maxStates', 5]);
  });

  test('an error met after the first violation: the violation stands, as when the search stopped at it', () => {
    expect(run({ params: { explode: true } })).toMatchObject({
      verdict: 'violation',
      message: 'two Pings in flight while a is down',
      faults: 2,
      distinct: 10,
      generated: 10,
      error: undefined,
    });
  });

  test('with one crash and no duplicate, the only violation of the level', () => {
    expect(run({ faults: { duplicate: 0 } })).toMatchObject({ actions: [null, 'crash a', 'restart a'], faults: 1 });
  });

  test('among violations with as few faults, the first in breadth-first order', () => {
    // Both crashes are met expanding the initial state, 1 fault each.
    expect(summary(check(eitherCrash as Spec))).toMatchObject({ actions: [null, 'crash a'], message: 'a is down', faults: 1, distinct: 3, generated: 3 });
  });
});

describe('specs without faults stop at the first violation', () => {
  test('a core spec: the first violation met, and the counts at that moment', () => {
    // Level 1: (1,0), (0,1). Expanding (1,0) meets (2,0), a+b = 2; (1,1) and (0,2) are not generated.
    const grid = spec({
      name: 'grid',
      init: () => ({ a: 0, b: 0 }),
      actions: { Inc: forEach(['a', 'b'] as const, (s: { a: number; b: number }, k) => (s[k] < 3 ? { ...s, [k]: s[k] + 1 } : undefined)) },
      invariants: { Small: (s) => s.a + s.b < 2 },
    });
    expect(summary(check(grid))).toMatchObject({ actions: [null, 'Inc(a)', 'Inc(a)'], distinct: 4, generated: 4 });
  });

  test('only a spec with fault actions that counts them ranks its violations', () => {
    const ranks = (s: Spec, faults?: Record<string, number>) => new Search(s.compile(resolveParams(s.name, s.params, {}), { faults }), {}).checker.ranksFaults;
    expect(ranks(twoOrOne as Spec)).toBe(true);
    expect(ranks(twoOrOne as Spec, { duplicate: 0, crash: 0 })).toBe(false);
    expect(ranks(spec({ name: 'one', init: () => ({ n: 0 }), actions: {} }))).toBe(false);
  });
});

describe('fault floors', () => {
  test('the fewest faults of the states after each', () => {
    const floors = floorsOf(Uint8Array.from([2, 0, 1, 3, 1]));
    expect([...floors]).toEqual([0, 0, 1, 1, 1]);
    expect([0, 1, 2, 3, 4].map((i) => floorAfter(floors, i))).toEqual([0, 1, 1, 1, Infinity]);
  });

  test('a tally keeps the faults in order, reorders them, saturates and empties', () => {
    const tally = new FaultTally();
    for (let i = 0; i < 3000; i++) tally.push(i % 7);
    tally.push(1000);
    const all = tally.take();
    expect(all.length).toBe(3001);
    expect([all[0], all[6], all[7], all[3000]]).toEqual([0, 6, 0, 255]);
    tally.push(4);
    tally.push(5);
    expect([...tally.take(Int32Array.from([1, 0]))]).toEqual([5, 4]);
    expect(tally.take().length).toBe(0);
  });
});
