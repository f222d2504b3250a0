// A liveness violation never rests on a bound. A behaviour that stops only because a
// `constraint` or the depth bound cut it off is not a counterexample: the result is
// incomplete, naming the bound — while a genuine violation elsewhere in the same spec
// is still reported.
import { describe, expect, it } from 'vitest';
import { check, spec, type CheckResult } from '../../src/index.js';
import { FORMS, describeGraph, kindOf, prng, randomFairness, randomGraph, toSpec, type ExplicitGraph, type FairnessDecl } from './graphs.js';
import { checkLasso, decideBounded, distances, type BoundedVerdict } from './oracle.js';

interface Counter {
  readonly branch: 'up' | 'spin';
  readonly x: number;
}

/**
 * From { up, 0 }: Inc counts up forever (an infinite state space, so a bound must
 * cut it). With `spin`, a second initial state { spin, 0 } flips x between 0 and 1
 * forever by Flip. Everything is weakly fair.
 */
function counter(extra: Partial<Parameters<typeof spec<Counter>>[0]>, spin = false) {
  return spec<Counter>({
    name: 'counter',
    init: () => (spin ? [{ branch: 'up', x: 0 }, { branch: 'spin', x: 0 }] : { branch: 'up', x: 0 }),
    actions: {
      Inc: (s) => (s.branch === 'up' ? { ...s, x: s.x + 1 } : undefined),
      Flip: (s) => (s.branch === 'spin' ? { ...s, x: 1 - s.x } : undefined),
    },
    fairness: 'weak',
    ...extra,
  });
}

function incomplete(r: CheckResult) {
  expect(r.violation?.message).toBeUndefined();
  expect(r.verdict).toBe('incomplete');
  return r.incomplete!;
}

describe('a behaviour cut off by a constraint is not a counterexample', () => {
  it('<>P that only the cut-off part could violate: incomplete, reason liveness, naming the constraint', () => {
    // x = 5 fails the constraint, so it is never expanded: it has no recorded
    // successor and would look like a halted state — a fair stutter with ¬P forever —
    // if the checker forgot that a bound produced it.
    const inc = incomplete(check(counter({ eventually: { reachesTen: (s) => s.x === 10 }, constraint: (s) => s.x < 5 })));
    expect(inc.reason).toBe('liveness');
    expect(inc.message).toContain('reachesTen');
    expect(inc.message).toContain('constraint');
  });

  it('a leadsTo triggered only at the cut-off state itself is undecided, not violated', () => {
    const inc = incomplete(check(counter({ leadsTo: { fiveThenSix: [(s) => s.x === 5, (s) => s.x === 6] }, constraint: (s) => s.x < 5 })));
    expect(inc.reason).toBe('liveness');
  });

  it('a property met before the bound holds: the result is ok, not incomplete', () => {
    const r = check(counter({ eventually: { reachesThree: (s) => s.x === 3 }, constraint: (s) => s.x < 5 }));
    expect(r.verdict).toBe('ok');
  });

  it('a genuine violation in another part of the same spec is still reported', () => {
    // The spin branch loops 0 ⇄ 1 forever, fairly, never reaching 10; the up branch is cut at 5.
    const r = check(counter({ eventually: { reachesTen: (s) => s.x === 10 }, constraint: (s) => s.x < 5 }, true));
    expect(r.verdict).toBe('violation');
    const v = r.violation!;
    expect(v.property).toBe('reachesTen');
    expect(v.trace.every((t) => (t.state as Counter).branch === 'spin')).toBe(true);
    expect(v.loop).toBe(0);
    expect(v.trace.map((t) => t.action)).toEqual([null, 'Flip', 'Flip']);
  });

  it('a property undecided by the bound does not hide a later one that is violated', () => {
    const r = check(
      counter(
        {
          // reachesTen: undecided on the up branch (cut), and violated by spin — so use
          // properties that each see one branch.
          eventually: { upReachesTen: (s) => s.branch !== 'up' || s.x === 10 },
          alwaysEventually: { spinReachesTwo: (s) => s.branch !== 'spin' || s.x === 2 },
          constraint: (s) => s.x < 5,
        },
        true,
      ),
    );
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('spinReachesTwo');
  });
});

describe('the depth bound', () => {
  it('a violation within the depth bound is reported even though the search stopped at it', () => {
    const r = check(counter({ eventually: { reachesTen: (s) => s.x === 10 } }, true), { maxDepth: 4 });
    expect(r.verdict).toBe('violation');
    expect(r.violation!.trace.every((t) => (t.state as Counter).branch === 'spin')).toBe(true);
  });

  it('a property met within the depth bound on every branch needs no more search', () => {
    const r = check(counter({ eventually: { reachesTwo: (s) => s.x === 2 } }), { maxDepth: 4 });
    // The counter goes on beyond depth 4, so the search itself is incomplete; liveness adds no violation.
    expect(r.violation).toBeUndefined();
    expect(r.incomplete?.reason).toBe('maxDepth');
  });

  // BUG (reported to the lead): states the depth bound left unexpanded with an id
  // below 1024 are not marked cut. StateGraph's edgeStart column (src/explore/state-graph.ts,
  // IntColumn) starts zero-filled, not NOT_EXPANDED, so finish() does not see them as
  // unexpanded, and first()/end() give them no edges: they look like halted states.
  // Here x = 3 (depth 3) stutters "fairly" with ¬P, analyse() returns that lasso, and
  // lasso.ts verify() throws an internal Error out of check() (Inc is enabled there).
  it('<>P cut off by --max-depth: incomplete, never a violation or a crash', () => {
    const inc = incomplete(check(counter({ eventually: { reachesTen: (s) => s.x === 10 } }), { maxDepth: 3 }));
    expect(['maxDepth', 'liveness']).toContain(inc.reason);
  });

  // BUG, same cause, worse outcome: a missed violation. x cycles 0 → 1 → 2 → 0 and
  // <>[](x ≠ 1) is violated (x = 1 recurs forever). With maxDepth 2 every state is
  // found (no state lies beyond depth 2, so the search is not "stopped"), but state
  // x = 2 is never expanded and, not marked cut, looks halted with its edge 2 → 0
  // missing: no cycle is left, and the verdict is ok.
  it('<>[]P with --max-depth equal to the diameter: not ok (the cycle closes through an unexpanded state)', () => {
    const cyc = spec<{ x: number }>({
      name: 'mod3',
      init: () => ({ x: 0 }),
      actions: { Inc: (s) => ({ x: (s.x + 1) % 3 }) },
      fairness: 'weak',
      eventuallyAlways: { settles: (s) => s.x !== 1 },
    });
    expect(check(cyc).verdict).toBe('violation');
    const r = check(cyc, { maxDepth: 2 });
    expect(r.verdict).not.toBe('ok');
    expect(r.verdict).toBe('incomplete');
    expect(r.incomplete!.reason).toBe('liveness');
    expect(r.incomplete!.message).toContain('depth bound');
  });
});

// ------------------------------------------------------------ random graphs with bounds

const VARIANTS = ['none', 'weak', 'strong', 'mixed'] as const;

/** Runs check() on every form × fairness variant of random graphs, with `bound` giving the cut states and check options. */
function compareBounded(
  seed: number,
  graphs: number,
  bound: (g: ExplicitGraph, rand: () => number) => { cut: boolean[]; constraint?: (s: { id: number }) => boolean; maxDepth?: number; beyond: boolean },
) {
  const rand = prng(seed);
  const tally: Record<BoundedVerdict, number> & { disagreements: string[]; violationBesideCut: number } = { violation: 0, incomplete: 0, ok: 0, disagreements: [], violationBesideCut: 0 };
  for (let i = 0; i < graphs; i++) {
    const g = randomGraph(rand, { minStates: 3, maxStates: 7, density: 0.35 });
    const b = bound(g, rand);
    for (const variant of VARIANTS) {
      const decl: FairnessDecl = randomFairness(rand, variant);
      for (const form of FORMS) {
        const k = (l: string) => kindOf(decl, l);
        const oracle = decideBounded(g, form, k, b.cut);
        // A depth bound with states beyond it stops the search itself: incomplete unless violated.
        const expected: BoundedVerdict = oracle === 'ok' && b.beyond ? 'incomplete' : oracle;
        const where = `seed ${seed} graph ${i}: ${form} fairness=${JSON.stringify(decl)} cut=[${b.cut.flatMap((c, s) => (c ? [s] : [])).join(',')}] maxDepth=${b.maxDepth} on ${describeGraph(g)}`;
        let r: CheckResult;
        try {
          r = check(toSpec(g, form, decl, b.constraint ? { constraint: b.constraint } : {}), b.maxDepth === undefined ? {} : { maxDepth: b.maxDepth });
        } catch (e) {
          tally.disagreements.push(`${where}: check() threw ${(e as Error).message}`);
          continue;
        }
        if (r.verdict !== expected) {
          tally.disagreements.push(`${where}: checker ${r.verdict}${r.error ? ` (${r.error.message})` : ''}, expected ${expected}`);
          continue;
        }
        tally[expected]++;
        if (expected === 'violation') {
          const v = r.violation!;
          expect(checkLasso(g, form, k, v), where).toEqual([]);
          expect(v.trace.some((t) => b.cut[(t.state as { id: number }).id]), `${where}: the lasso passes a cut state`).toBe(false);
          if (b.cut.some(Boolean)) tally.violationBesideCut++;
        }
        if (expected === 'incomplete' && !b.beyond) {
          expect(r.incomplete?.reason, where).toBe('liveness');
          expect(r.incomplete?.message, where).toContain('prop');
        }
      }
    }
  }
  return tally;
}

describe('bounds on random graphs: the verdict the oracle gives for the expanded part', () => {
  it('a random constraint: violation only inside it, incomplete when a cut state is in reach, else ok', () => {
    const t = compareBounded(99, 60, (g, rand) => {
      const cut = Array.from({ length: g.n }, () => rand() < 0.2);
      return { cut: reachableOnly(g, cut), constraint: (s) => !cut[s.id], beyond: false };
    });
    expect(t.disagreements).toEqual([]);
    expect(t.violation).toBeGreaterThan(150);
    expect(t.incomplete).toBeGreaterThan(100);
    expect(t.ok).toBeGreaterThan(100);
    expect(t.violationBesideCut).toBeGreaterThan(50);
  });

  // BUG (see "the depth bound" above): fails until unexpanded states are marked cut.
  it('a random depth bound: the same verdicts, never a crash', () => {
    const t = compareBounded(7, 60, (g, rand) => {
      const d = distances(g);
      const maxDepth = 1 + Math.floor(rand() * 3);
      return { cut: d.map((k) => k === maxDepth), maxDepth, beyond: d.some((k) => k === maxDepth + 1) };
    });
    expect(t.disagreements).toEqual([]);
    expect(t.violation).toBeGreaterThan(100);
    expect(t.incomplete).toBeGreaterThan(100);
  });
});

/** Only reachable states are ever cut (the checker never sees the others). */
function reachableOnly(g: ExplicitGraph, cut: boolean[]): boolean[] {
  const d = distancesThroughExpanded(g, cut);
  return cut.map((c, s) => c && d[s]!);
}

/** States the search finds when the `cut` ones are not expanded. */
function distancesThroughExpanded(g: ExplicitGraph, cut: readonly boolean[]): boolean[] {
  return distances({ ...g, edges: g.edges.filter((e) => !cut[e.from]) }).map((k) => k !== Infinity);
}
