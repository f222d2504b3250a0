// The explorer against models whose exact state counts are known: TLC 1.7.3's
// published counts for TwoPhase, and the hand-countable Die Hard puzzle.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import diehard from '../../specs/diehard.js';
import twoPhase from '../../specs/two-phase.js';
import twoPhaseImmutable from '../../bench/models/two-phase-immutable.js';

// TLC 1.7.3, TwoPhase.tla, RM = {r1..rN}: distinct and generated (initial state counted).
const TLC = {
  3: [288, 1_146],
  4: [1_568, 8_258],
  5: [8_832, 58_146],
  6: [50_816, 402_306],
} as const;

describe('TwoPhase equals TLC', () => {
  for (const [rms, [distinct, generated]] of Object.entries(TLC)) {
    it(`rms=${rms}: ${distinct} distinct, ${generated} generated`, () => {
      const r = check(twoPhase, { params: { rms: Number(rms) } });
      expect(r.verdict).toBe('ok');
      expect(r.stats.distinctStates).toBe(distinct);
      expect(r.stats.generatedStates).toBe(generated);
      expect(r.expectation).toMatchObject({ met: true });
    });
  }

  it('the Immutable.js formulation explores the same space', () => {
    const r = check(twoPhaseImmutable, { params: { rms: 5 } });
    expect(r.stats.distinctStates).toBe(TLC[5][0]);
    expect(r.stats.generatedStates).toBe(TLC[5][1]);
  });

  it('DFS finds exactly the same distinct states as BFS', () => {
    const r = check(twoPhase, { params: { rms: 4 }, strategy: 'dfs' });
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(TLC[4][0]);
    expect(r.stats.generatedStates).toBe(TLC[4][1]);
  });
});

describe('Die Hard', () => {
  it('finds the shortest solution: 6 actions after the initial state', () => {
    const r = check(diehard, { ignoreExpect: true });
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('NotSolved');
    expect(r.violation!.kind).toBe('invariant');
    expect(r.violation!.trace).toHaveLength(7);
    expect(r.violation!.trace[0]).toEqual({ action: null, state: { small: 0, big: 0 } });
    expect(r.violation!.trace.at(-1)!.state).toMatchObject({ big: 4 });
    // Each step of the trace really is a successor of the previous state.
    expect(r.violation!.trace.map((s) => s.action)).toEqual([
      null, 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall',
    ]);
    expect(r.stats.depth).toBe(6);
  });

  it('has 16 reachable states (counted by hand: every (small, big) with one jug empty or full)', () => {
    // (small, big) is reachable iff small ∈ {0,3} or big ∈ {0,5}: 2·6 + 4·2 − 2·2 = 16.
    const r = check(diehard, { params: { goal: 6 }, ignoreExpect: true });
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(16);
    expect(r.stats.depth).toBe(7);
  });

  it('gives the same result on every run', () => {
    const a = check(diehard, {});
    const b = check(diehard, {});
    expect(b.violation!.trace).toEqual(a.violation!.trace);
    expect(b.stats.generatedStates).toBe(a.stats.generatedStates);
  });
});
