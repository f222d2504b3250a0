// The oracle itself, before it judges the checker: hand-decided graphs, and its two
// exact deciders (state subsets; closed-walk footprints) agreeing on random tiny graphs.
import { describe, expect, it } from 'vitest';
import { FORMS, describeGraph, kindOf, prng, randomFairness, randomGraph, type Edge, type ExplicitGraph, type FairnessDecl, type Form } from './graphs.js';
import { checkLasso, decideBySubsets, decideByWalks, type KindOf } from './oracle.js';

const graph = (n: number, edges: [number, string, number][], p: string, q = '0'.repeat(n), initial = [0]): ExplicitGraph => ({
  n,
  initial,
  edges: edges.map(([from, label, to]): Edge => ({ from, to, label })),
  p: [...p].map((c) => c === '1'),
  q: [...q].map((c) => c === '1'),
});
const all =
  (k: 'none' | 'weak' | 'strong'): KindOf =>
  () =>
    k;
const both = (g: ExplicitGraph, form: Form, k: KindOf) => {
  const a = decideBySubsets(g, form, k).violated;
  const b = decideByWalks(g, form, k).violated;
  expect(b, 'the two deciders disagree').toBe(a);
  return a;
};

describe('oracle on hand-decided graphs', () => {
  it('<>P with no fairness fails by stuttering in the initial state; weak fairness of the step makes it hold', () => {
    const g = graph(2, [[0, 'A', 1]], '01');
    expect(both(g, 'eventually', all('none'))).toBe(true);
    expect(both(g, 'eventually', all('weak'))).toBe(false);
  });

  it('a self-loop is a stutter: it neither enables nor takes its action', () => {
    // 0 loops on itself by A: under WF(A) the behaviour may still stay at 0 forever (A is not enabled there).
    const g = graph(1, [[0, 'A', 0]], '0');
    expect(both(g, 'eventually', all('weak'))).toBe(true);
    expect(both(g, 'eventually', all('strong'))).toBe(true);
  });

  it('an escape enabled all round a cycle: weak fairness of it forbids the cycle, none allows it', () => {
    // 0 ⇄ 1 by A; E leaves both for 2, where P holds.
    const g = graph(3, [[0, 'A', 1], [1, 'A', 0], [0, 'E', 2], [1, 'E', 2]], '001');
    expect(both(g, 'eventually', (l) => (l === 'E' ? 'none' : 'weak'))).toBe(true);
    expect(both(g, 'eventually', all('weak'))).toBe(false);
  });

  it('an escape enabled on only part of a cycle: weak fairness allows the cycle, strong does not', () => {
    const g = graph(3, [[0, 'A', 1], [1, 'B', 0], [0, 'E', 2]], '001');
    expect(both(g, 'eventually', all('weak'))).toBe(true);
    expect(both(g, 'eventually', all('strong'))).toBe(false);
    // ... and the inner cycle is not forced to be the whole component: {0,1} fair under weak, yes; with E strong only, A/B none, a stutter at 0 is unfair (E enabled) but at 1 is fair.
    expect(decideBySubsets(g, 'eventually', (l) => (l === 'E' ? 'strong' : 'none')).inf).toEqual([1]);
  });

  it('P ~> Q holds when Q holds where P does, and fails when Q never follows', () => {
    const g = graph(2, [[0, 'A', 1]], '10', '10');
    expect(both(g, 'leadsTo', all('none'))).toBe(false);
    const h = graph(2, [[0, 'A', 1]], '10', '00');
    expect(both(h, 'leadsTo', all('weak'))).toBe(true);
  });

  it('[]<>P and <>[]P on a cycle through a P state and a ¬P state', () => {
    const g = graph(2, [[0, 'A', 1], [1, 'A', 0]], '10');
    expect(both(g, 'alwaysEventually', all('weak'))).toBe(false); // P recurs on the only fair behaviour
    expect(both(g, 'alwaysEventually', all('none'))).toBe(true); // stutter at 1 forever
    expect(both(g, 'eventuallyAlways', all('weak'))).toBe(true); // ¬P recurs
    const h = graph(2, [[0, 'A', 1]], '01');
    expect(both(h, 'eventuallyAlways', all('weak'))).toBe(false); // ends at 1 (P) forever
  });

  it('checkLasso rejects a lasso that is not a behaviour, not fair, or not violating', () => {
    const g = graph(3, [[0, 'A', 1], [1, 'A', 0], [0, 'E', 2], [1, 'E', 2]], '001');
    const s = (id: number) => ({ id });
    const loop = { trace: [{ action: null, state: s(0) }, { action: 'A', state: s(1) }, { action: 'A', state: s(0) }], loop: 0 };
    expect(checkLasso(g, 'eventually', (l) => (l === 'E' ? 'none' : 'weak'), loop)).toEqual([]);
    expect(checkLasso(g, 'eventually', all('weak'), loop)).toEqual(['the loop over {0,1} is not fair']);
    expect(checkLasso(g, 'eventually', all('none'), { ...loop, loop: 1 })).toContain('the loop does not close: step 2 is 0, step 1 is 1');
    expect(checkLasso(g, 'eventually', all('none'), { trace: [{ action: null, state: s(1) }], loop: 0 })).toEqual(['state 1 is not initial']);
    expect(checkLasso(g, 'eventually', all('none'), { trace: [{ action: null, state: s(0) }, { action: 'B', state: s(1) }], loop: 1 })).toEqual(['step 1: no edge 0-B->1']);
    expect(checkLasso(g, 'eventually', all('none'), { trace: [{ action: null, state: s(0) }, { action: 'E', state: s(2) }], loop: 1 })).toEqual(['the lasso does not violate eventually']);
  });
});

describe('the two exact deciders agree on random tiny graphs', () => {
  it('subsets vs closed walks: 400 graphs × 4 forms × 4 fairness variants', () => {
    const rand = prng(20240917);
    const tally = { violated: 0, holds: 0 };
    let graphs = 0;
    while (graphs < 400) {
      const g = randomGraph(rand, { minStates: 2, maxStates: 4, density: 0.35 });
      if (g.edges.filter((e) => e.from !== e.to).length > 12) continue;
      graphs++;
      for (const variant of ['none', 'weak', 'strong', 'mixed'] as const) {
        const decl: FairnessDecl = randomFairness(rand, variant);
        const k: KindOf = (label) => kindOf(decl, label);
        for (const form of FORMS) {
          const a = decideBySubsets(g, form, k);
          const b = decideByWalks(g, form, k);
          expect(b.violated, `${form} ${JSON.stringify(decl)} on ${describeGraph(g)}`).toBe(a.violated);
          tally[a.violated ? 'violated' : 'holds']++;
        }
      }
    }
    // Both verdicts are common, so agreement is not agreement on a constant.
    expect(tally.violated).toBeGreaterThan(1000);
    expect(tally.holds).toBeGreaterThan(1000);
  });
});
