// Past the first thousand states (where the checker's per-state columns first grow):
// a 40 × 40 torus, two counters a and b each advanced mod 40 by its own action, with
// verdicts known by construction and every lasso checked on the graph by the oracle.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/index.js';
import { kindOf, toSpec, type Edge, type ExplicitGraph, type FairnessDecl, type Form } from './graphs.js';
import { checkLasso } from './oracle.js';

const N = 40;
const id = (a: number, b: number) => a * N + b;

/** The torus: A advances a, B advances b (both mod N); P and Q as given on (a, b). */
function torus(p: (a: number, b: number) => boolean, q: (a: number, b: number) => boolean = () => false): ExplicitGraph {
  const edges: Edge[] = [];
  const ps: boolean[] = [];
  const qs: boolean[] = [];
  for (let a = 0; a < N; a++) {
    for (let b = 0; b < N; b++) {
      edges.push({ from: id(a, b), to: id((a + 1) % N, b), label: 'A' }, { from: id(a, b), to: id(a, (b + 1) % N), label: 'B' });
      ps[id(a, b)] = p(a, b);
      qs[id(a, b)] = q(a, b);
    }
  }
  return { n: N * N, initial: [0], edges, p: ps, q: qs };
}

function run(g: ExplicitGraph, form: Form, fairness: FairnessDecl) {
  const r = check(toSpec(g, form, fairness));
  expect(r.stats.distinctStates).toBe(N * N);
  if (r.verdict === 'violation') expect(checkLasso(g, form, (l) => kindOf(fairness, l), r.violation!)).toEqual([]);
  return r;
}

describe(`liveness on a ${N} × ${N} torus (${N * N} states)`, () => {
  const aTop = torus((a) => a === N - 1);

  it('<>(a = 39): holds when A is weakly fair, fails when only B is (a loop of 40 B steps at a = 0)', () => {
    expect(run(aTop, 'eventually', 'weak').verdict).toBe('ok');
    expect(run(aTop, 'eventually', { A: 'weak' }).verdict).toBe('ok');
    const r = run(aTop, 'eventually', { B: 'weak' });
    expect(r.verdict).toBe('violation');
    // Any cycle avoiding a = 39 must wrap b: 40 B steps is the shortest loop there is.
    expect(r.violation!.trace.length - 1 - r.violation!.loop!).toBe(N);
  });

  it('<>[](a = 39) fails under weak fairness (a wraps round), []<>(a = 39) holds', () => {
    expect(run(aTop, 'eventuallyAlways', 'weak').verdict).toBe('violation');
    expect(run(aTop, 'alwaysEventually', 'weak').verdict).toBe('ok');
    expect(run(aTop, 'alwaysEventually', 'strong').verdict).toBe('ok');
  });

  it('(0,0) ~> (39,39) fails even under strong fairness: alternate A and B keeping a − b ∈ {1, 2}', () => {
    const g = torus(
      (a, b) => a === 0 && b === 0,
      (a, b) => a === N - 1 && b === N - 1,
    );
    expect(run(g, 'leadsTo', 'strong').verdict).toBe('violation');
    // ... while (0,0) ~> (a = 39) holds under weak fairness of A.
    expect(run(torus((a, b) => a === 0 && b === 0, (a) => a === N - 1), 'leadsTo', { A: 'weak' }).verdict).toBe('ok');
  });
});
