// Symmetry reduction: sound (never merges states that are not permutations of each
// other), exact on TwoPhase (one state per orbit), and verdict-preserving.
import { describe, expect, it } from 'vitest';
import { check, spec } from '../../src/index.js';
import { renameSymbols } from '../../src/values/rename.js';
import { symmetryCanonicalizer } from '../../src/explore/symmetry.js';
import { fingerprint } from '../../src/values/fingerprint.js';
import twoPhase from '../../specs/two-phase.js';

/** Every reachable state of a spec, by a plain BFS over compile()/successors(). */
function reachable(s: typeof twoPhase, params: Record<string, number>): unknown[] {
  const system = s.compile({ ...s.params, ...params } as never);
  const seen = new Map<string, unknown>();
  const queue = system.initialStates();
  for (const st of queue) seen.set(fingerprint(st), st);
  while (queue.length > 0) {
    system.successors(queue.shift(), (next) => {
      const key = fingerprint(next);
      if (!seen.has(key)) {
        seen.set(key, next);
        queue.push(next);
      }
    });
  }
  return [...seen.values()];
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Orbits counted by brute force: the least fingerprint over every renaming of r1..rN. */
function orbitCount(states: unknown[], rms: number): number {
  const names = Array.from({ length: rms }, (_, i) => `r${i + 1}`);
  const renamings = permutations(names).map((p) => new Map(names.map((n, i) => [n, p[i]!])));
  const orbits = new Set(states.map((st) => renamings.map((m) => fingerprint(renameSymbols(st, m))).sort()[0]));
  return orbits.size;
}

describe('--symmetry', () => {
  for (const rms of [3, 4]) {
    it(`explores exactly one state per orbit of TwoPhase, rms=${rms}`, () => {
      const all = reachable(twoPhase, { rms });
      const full = check(twoPhase, { params: { rms } });
      expect(full.stats.distinctStates).toBe(all.length);
      const reduced = check(twoPhase, { params: { rms }, symmetry: true });
      expect(reduced.verdict).toBe('ok');
      expect(reduced.stats.distinctStates).toBe(orbitCount(all, rms));
      expect(reduced.stats.distinctStates).toBeLessThan(full.stats.distinctStates);
    });
  }

  it('shrinks rms=7 from 296,448 states to under a thousand', () => {
    const r = check(twoPhase, { params: { rms: 7 }, symmetry: true });
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(920);
  });

  it('keeps a violation and its shortest length, with a real trace', () => {
    // n interchangeable workers that each finish once; "not all finished" must fail.
    const s = spec({
      name: 'commits',
      params: { n: 3 },
      init: (p) => ({ done: Object.fromEntries(Array.from({ length: p.n }, (_, i) => [`r${i + 1}`, false])) }),
      actions: {
        Finish: (st: { done: Record<string, boolean> }) =>
          Object.keys(st.done).filter((k) => !st.done[k]).map((k) => ({ done: { ...st.done, [k]: true } })),
      },
      invariants: { NotAllDone: (st) => !Object.values(st.done).every(Boolean) || 'everyone finished' },
      symmetry: (p) => [Array.from({ length: p.n }, (_, i) => `r${i + 1}`)],
    });
    const plain = check(s);
    const sym = check(s, { symmetry: true });
    expect(plain.stats.distinctStates).toBe(8); // 2^3
    expect(sym.stats.distinctStates).toBe(4); // how many have finished: 0..3
    expect(sym.violation!.property).toBe('NotAllDone');
    expect(sym.violation!.trace).toHaveLength(plain.violation!.trace.length);
    expect(sym.violation!.trace.at(-1)!.state).toEqual({ done: { r1: true, r2: true, r3: true } });
  });

  it('maps every member of an orbit to one representative, reusing what it made for shared parts', () => {
    const canonical = symmetryCanonicalizer([['r1', 'r2', 'r3']])!;
    const shared = Object.freeze({ r1: 'a', r2: 'b', r3: 'b' });
    const state = Object.freeze({ votes: shared, leader: 'r1' });
    const rep = canonical(state);
    // Every renaming of the state, including its own, has the same representative.
    const names = ['r1', 'r2', 'r3'];
    for (const p of permutations(names)) {
      const renamed = renameSymbols(state, new Map(names.map((n, i) => [n, p[i]!])));
      expect(fingerprint(canonical(Object.freeze(renamed)))).toBe(fingerprint(rep));
    }
    // A state that is its own representative is returned as it is.
    expect(canonical(rep)).toBe(rep);
    // Frozen parts shared between states are renamed once per permutation (the memo)...
    const moved = Object.freeze({ r1: 'b', r2: 'b', r3: 'a' });
    const a = canonical(Object.freeze({ votes: moved, leader: 'r1' })) as { votes: unknown };
    const b = canonical(Object.freeze({ votes: moved, leader: 'r1' })) as { votes: unknown };
    expect(a).not.toBe(b);
    expect(a.votes).not.toBe(moved);
    expect(b.votes).toBe(a.votes);
    // ...and never stand in for another permutation's renaming: states that share
    // frozen parts get from one canonicalizer, memo warm, what a fresh one gives each.
    const warm = symmetryCanonicalizer([['r1', 'r2', 'r3']])!;
    const parts = [moved, shared, Object.freeze(['r1', 'r3']), Object.freeze({ r2: Object.freeze(['r3']) })];
    for (const votes of parts) {
      for (const other of parts) {
        for (const leader of names) {
          const st = Object.freeze({ votes, other, leader });
          expect(fingerprint(warm(st))).toBe(fingerprint(symmetryCanonicalizer([['r1', 'r2', 'r3']])!(st)));
        }
      }
    }
  });

  it('explores a spec that declares no symmetry without reduction, and says so', () => {
    const s = spec({ name: 'plain', init: () => ({ n: 0 }), actions: { Inc: (st: { n: number }) => (st.n < 3 ? { n: st.n + 1 } : undefined) } });
    const r = check(s, { symmetry: true });
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(4);
    expect(r.symmetry).toEqual([]);
    expect(check(twoPhase, { symmetry: true }).symmetry).toEqual([['r1', 'r2', 'r3']]);
  });
});
