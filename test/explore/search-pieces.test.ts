// The pieces a Search is made of, alone: its budget (bounds and stop requests) and its
// property checker (what it records, and where a violation goes while deferred).
import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/explore/search/budget.js';
import { PropertyChecker, type Found } from '../../src/explore/search/properties.js';
import { SearchCounts } from '../../src/explore/search/counts.js';
import { spec } from '../../src/index.js';

const stats = () => {
  throw new Error('no progress report was asked for');
};

describe('Budget', () => {
  it('stops at --max-states only when states are counted, and never before', () => {
    let distinct = 0;
    const budget = new Budget({ maxStates: 3 }, Date.now(), () => distinct, stats);
    for (; distinct < 3; distinct++) expect(budget.exceeded()).toBe(false);
    expect(budget.exceeded(false)).toBe(false); // a pending violation: the state bound does not cut it short
    expect(budget.exceeded()).toBe(true);
    expect(budget.stopped).toBe('maxStates');
  });

  it('asks shouldStop every 64th poll (it is the command heartbeat, not free)', () => {
    let asked = 0;
    const budget = new Budget({ shouldStop: () => (asked++, asked === 2) }, Date.now(), () => 0, stats);
    let polls = 0;
    while (!budget.exceeded()) polls++;
    expect(asked).toBe(2);
    expect(polls).toBe(127);
    expect(budget.stopped).toBe('interrupted');
  });

  it('reads the clock every 256th poll: --max-time 0 stops there', () => {
    const budget = new Budget({ maxTimeMs: 0 }, Date.now(), () => 0, stats);
    let polls = 0;
    while (!budget.exceeded()) polls++;
    expect(polls).toBe(255);
    expect(budget.stopped).toBe('maxTime');
  });
});

describe('PropertyChecker', () => {
  const system = spec({
    name: 'counter',
    init: () => ({ n: 0 }),
    actions: { Inc: (s: { n: number }) => (s.n < 3 ? { n: s.n + 1 } : undefined) },
    invariants: { Small: (s) => s.n < 3 || `n = ${s.n}` },
    sometimes: { Two: (s) => s.n === 2 },
    constraint: (s) => s.n < 3,
  }).compile({});

  it('records the first violation as found, or hands every one on while deferred', () => {
    const counts = new SearchCounts(1);
    const checker = new PropertyChecker(system, {}, counts);
    const handed: Found[] = [];
    checker.deferred = (f) => handed.push(f);
    checker.checkState({ n: 3 }, 7);
    checker.checkState({ n: 4 }, 8);
    expect(checker.found).toBeUndefined();
    expect(handed.map((f) => [f.stateId, f.message])).toEqual([
      [7, 'n = 3'],
      [8, 'n = 4'],
    ]);
    checker.deferred = undefined;
    checker.checkState({ n: 1 }, 9);
    expect(checker.found).toBeUndefined();
    checker.checkState({ n: 3 }, 10);
    expect(checker.found).toMatchObject({ property: 'Small', kind: 'invariant', stateId: 10 });
  });

  it('keeps `sometimes` pending until it holds, and counts the states outside the constraint', () => {
    const counts = new SearchCounts(1);
    const checker = new PropertyChecker(system, {}, counts);
    checker.checkState({ n: 1 }, 1);
    expect(checker.unsatisfiedSometimes()).toEqual(['Two']);
    checker.checkState({ n: 2 }, 2);
    expect(checker.unsatisfiedSometimes()).toEqual([]);
    expect(counts.constraintInForce).toBe(false);
    expect(checker.countConstraint({ n: 2 })).toBe(true);
    expect(checker.countConstraint({ n: 3 })).toBe(false);
    expect([counts.outside, counts.constraintInForce]).toEqual([1, true]);
  });
});
