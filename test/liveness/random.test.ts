// The liveness checker against the oracle (oracle.ts) on random transition systems:
// for each graph, form and fairness variant, check() finds a violation exactly when
// the oracle does, and every lasso it reports checks out on the graph by the
// definitions (a path from an initial state, a closing loop, fair, violating).
import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { FORMS, describeGraph, kindOf, prng, randomFairness, randomGraph, toSpec, type FairnessDecl, type Form, type GraphShape } from './graphs.js';
import { checkLasso, decideBySubsets } from './oracle.js';

const VARIANTS = ['none', 'weak', 'strong', 'mixed'] as const;

interface Tally {
  cases: number;
  agreed: number;
  violations: number;
  stutters: number;
  /** Violations whose loop has the planted escape E enabled at every state and never takes it. */
  escapeIgnored: number;
  disagreements: string[];
}

function compare(seed: number, graphs: number, shape: GraphShape, padding = 0): Tally {
  const rand = prng(seed);
  const tally: Tally = { cases: 0, agreed: 0, violations: 0, stutters: 0, escapeIgnored: 0, disagreements: [] };
  for (let i = 0; i < graphs; i++) {
    const g = randomGraph(rand, shape);
    for (const variant of VARIANTS) {
      const decl: FairnessDecl = randomFairness(rand, variant);
      for (const form of FORMS) {
        tally.cases++;
        const where = `seed ${seed} graph ${i}: ${form} fairness=${JSON.stringify(decl)} on ${describeGraph(g)}`;
        const expected = decideBySubsets(g, form, (l) => kindOf(decl, l));
        const r = check(toSpec(g, form, decl, { padding }));
        const got = r.verdict;
        if (got !== (expected.violated ? 'violation' : 'ok')) {
          tally.disagreements.push(`${where}: checker ${got}${r.error ? ` (${r.error.message})` : ''}, oracle ${expected.violated ? `violation (Inf {${expected.inf!.join(',')}})` : 'ok'}`);
          continue;
        }
        if (got === 'violation') {
          const v = r.violation!;
          expect(v.kind, where).toBe('liveness');
          expect(v.property, where).toBe('prop');
          expect(v.liveness?.form, where).toBe(form as Form);
          expect(checkLasso(g, form, (l) => kindOf(decl, l), v), where).toEqual([]);
          tally.violations++;
          const last = v.trace.length - 1;
          if (v.loop === last) tally.stutters++;
          const loopIds = v.trace.slice(v.loop, Math.max(v.loop! + 1, last)).map((t) => (t.state as { id: number }).id);
          const escapeEverywhere = loopIds.every((s) => g.edges.some((e) => e.from === s && e.to !== s && e.label === 'E'));
          if (v.loop !== last && escapeEverywhere && !v.trace.slice(v.loop! + 1).some((t) => t.action === 'E')) tally.escapeIgnored++;
          // The message names the lasso's shape and, for P ~> Q, the step where P held.
          expect(v.message, where).toContain(v.loop === last ? `halts at step ${last}` : `loops forever over steps ${v.loop}–${last}`);
          if (form === 'leadsTo') {
            const at = Number(/its trigger holds at step (\d+)/.exec(v.message)?.[1]);
            const ids = v.trace.map((t) => (t.state as { id: number }).id);
            expect(g.p[ids[at]!] && !g.q[ids[at]!], `${where}: P ∧ ¬Q at the step the message names`).toBe(true);
            expect(ids.slice(Math.min(at, v.loop!)).every((id) => !g.q[id]), `${where}: ¬Q from the trigger on`).toBe(true);
          }
        }
        tally.agreed++;
      }
    }
  }
  return tally;
}

describe('liveness checker vs the brute-force oracle on random graphs', () => {
  it('small dense graphs (2–4 states): 60 graphs × 4 fairness variants × 4 forms', () => {
    const t = compare(17, 60, { minStates: 2, maxStates: 4, density: 0.45 });
    expect(t.disagreements).toEqual([]);
    expect(t.agreed).toBe(960);
    // Both verdicts, and both kinds of lasso (a cycle, a stutter), occur often enough to mean something.
    expect(t.violations).toBeGreaterThan(200);
    expect(t.agreed - t.violations).toBeGreaterThan(200);
    expect(t.stutters).toBeGreaterThan(50);
    expect(t.violations - t.stutters).toBeGreaterThan(50);
  });

  it('larger sparse graphs (4–7 states): 60 graphs × 4 fairness variants × 4 forms', () => {
    const t = compare(4242, 60, { minStates: 4, maxStates: 7, density: 0.3 });
    expect(t.disagreements).toEqual([]);
    expect(t.agreed).toBe(960);
    expect(t.violations).toBeGreaterThan(200);
    expect(t.agreed - t.violations).toBeGreaterThan(200);
    expect(t.violations - t.stutters).toBeGreaterThan(50);
  });

  it('cycle-heavy graphs (no terminal states, P rare): 60 graphs × 4 fairness variants × 4 forms', () => {
    const t = compare(2718, 60, { minStates: 4, maxStates: 8, density: 0.3, terminal: 0, pTrue: 0.25 });
    expect(t.disagreements).toEqual([]);
    // Loops that go round with E enabled all along and never take it (fair only when E is not).
    // The checker prefers a fair stutter to a loop through the same state (the shorter
    // lasso), so fewer lassos are loops than when these bars were set (14 and 163 measured).
    expect(t.escapeIgnored).toBeGreaterThan(10);
    expect(t.violations - t.stutters).toBeGreaterThan(150);
    expect(t.agreed - t.violations).toBeGreaterThan(100);
  });

  it('with 40 properties declared before it (its predicates past the first 32-bit word)', () => {
    const t = compare(31, 25, { minStates: 3, maxStates: 6, density: 0.4 }, 40);
    expect(t.disagreements).toEqual([]);
    expect(t.violations).toBeGreaterThan(80);
    expect(t.agreed - t.violations).toBeGreaterThan(80);
  });
});
