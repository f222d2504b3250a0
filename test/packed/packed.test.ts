// packed(): declared layouts, the packed BFS, and its plain view. The packed search
// must explore exactly what the plain-object formulation of the same model explores.
import { describe, expect, it } from 'vitest';
import { bool, check, forEach, int, list, oneOf, packed, perKey } from '../../src/index.js';
import { compileLayout, decode, encodeInto } from '../../src/packed/layout.js';
import { hashWords } from '../../src/packed/hash.js';
import diehard from '../../specs/diehard.js';
import diehardPacked from '../../specs/diehard.packed.js';
import twoPhase from '../../specs/two-phase.js';
import twoPhasePacked from '../../specs/two-phase.packed.js';
import badSet from '../fixtures/packed/bad-set.js';

/** A counter n = 0..9 and a flag, under a constraint on n; with `sometimes`, two properties of n. */
function counterAndFlag(within: (n: number) => boolean, sometimes = false) {
  return packed({
    name: 'c',
    layout: { n: int(0, 9), flag: bool() },
    init: () => ({ n: 0, flag: false }),
    define: (v) => ({
      actions: { Inc: (st) => st.get(v.n) < 9 && st.set(v.n, st.get(v.n) + 1), Flip: (st) => st.set(v.flag, !st.get(v.flag)) },
      constraint: (st) => within(st.get(v.n)),
      ...(sometimes ? { sometimes: { ReachesFour: (st) => st.get(v.n) === 4, ReachesFive: (st) => st.get(v.n) === 5 } } : {}),
    }),
  });
}

const TLC = { 3: [288, 1_146], 4: [1_568, 8_258], 5: [8_832, 58_146], 6: [50_816, 402_306] } as const;

describe('the layout', () => {
  it('packs variables into words without straddling, and round-trips values', () => {
    const layout = compileLayout({ a: perKey(['p', 'q'], oneOf('x', 'y', 'z')), n: int(-3, 40), l: list(3, bool()), big: int(0, 2 ** 20) });
    expect(layout.slots.map((s) => [s.path, s.word, s.shift])).toEqual([
      ['a.p', 0, 0],
      ['a.q', 0, 2],
      ['n', 0, 4],
      ['l[0]', 0, 10],
      ['l[1]', 0, 11],
      ['l[2]', 0, 12],
      ['big', 1, 0], // 21 bits do not fit after 13
    ]);
    const value = { a: { p: 'z', q: 'x' }, n: -3, l: [true, false, true], big: 2 ** 20 };
    const words = new Int32Array(layout.words);
    encodeInto(layout, value, words, 0, 'init');
    expect(decode(layout, words, 0)).toEqual(value);
  });

  it('names the field of a bad initial value', () => {
    const layout = compileLayout({ a: perKey(['p'], oneOf('x', 'y')), n: int(0, 3) });
    const words = new Int32Array(1);
    expect(() => encodeInto(layout, { a: { p: 'w' }, n: 0 }, words, 0, 'init')).toThrow(/init: a\.p is "w", which is not one of its declared values \("x", "y"\)/);
    expect(() => encodeInto(layout, { a: { p: 'x' }, n: 4 }, words, 0, 'init')).toThrow(/init: n is 4.*\(0\.\.3\)/);
    expect(() => encodeInto(layout, { a: { p: 'x' } }, words, 0, 'init')).toThrow(/init: n is missing/);
    expect(() => encodeInto(layout, { a: { p: 'x' }, n: 1, extra: 1 }, words, 0, 'init')).toThrow(/extra is not in the layout/);
  });

  it('gives distinct fingerprints to distinct states of at most 64 bits', () => {
    const seen = new Set<string>();
    const w = new Int32Array(2);
    const fp = new Uint32Array(2);
    // Neighbouring states (the hard case for a weak mixer), in both words and the sign bit.
    for (let i = 0; i < 50_000; i++) {
      for (const hi of [0, 1, -(2 ** 31), 7]) {
        w[0] = i;
        w[1] = hi;
        hashWords(w, 0, 2, fp);
        seen.add(`${fp[0]},${fp[1]}`);
      }
    }
    expect(seen.size).toBe(200_000);
  });

  it('tells an odd-length state from the same words with a 0 appended', () => {
    const fp = new Uint32Array(2);
    const padded = new Uint32Array(2);
    for (const words of [[0, 0, 0], [1, 2, 3], [5, 0, 7, 9, 11]]) {
      hashWords(Int32Array.from(words), 0, words.length, fp);
      hashWords(Int32Array.from([...words, 0]), 0, words.length + 1, padded);
      expect([...fp]).not.toEqual([...padded]);
    }
  });

  // Wider states (the coded BFS's worlds, packed layouts past 64 bits) are hashed, not
  // bijected: every small vector must still get its own fingerprint. A word absorbed
  // unmixed made (0,0,0,1) and (1,0,1,1) collide.
  for (const [n, values] of [[3, 40], [4, 16], [5, 9], [7, 5]] as const) {
    it(`gives distinct fingerprints to all ${n}-word states with words below ${values}`, () => {
      const seen = new Set<string>();
      const w = new Int32Array(n);
      const fp = new Uint32Array(2);
      const total = values ** n;
      for (let i = 0; i < total; i++) {
        for (let k = 0, r = i; k < n; k++, r = Math.floor(r / values)) w[k] = r % values;
        hashWords(w, 0, n, fp);
        seen.add(`${fp[0]},${fp[1]}`);
      }
      expect(seen.size).toBe(total);
    });
  }
});

describe('the packed search', () => {
  for (const [rms, [distinct, generated]] of Object.entries(TLC)) {
    it(`two-phase.packed rms=${rms} equals TLC: ${distinct} distinct, ${generated} generated`, () => {
      const r = check(twoPhasePacked, { params: { rms: Number(rms) } });
      expect(r.verdict).toBe('ok');
      expect(r.stats.distinctStates).toBe(distinct);
      expect(r.stats.generatedStates).toBe(generated);
      expect(r.stats.collisionProbability).toBe(0);
    });
  }

  it('explores through its plain view too: DFS and symmetry give the plain spec\'s counts', () => {
    const dfs = check(twoPhasePacked, { params: { rms: 4 }, strategy: 'dfs' });
    expect(dfs.stats.distinctStates).toBe(TLC[4][0]);
    const sym = check(twoPhasePacked, { params: { rms: 5 }, symmetry: true });
    const plainSym = check(twoPhase, { params: { rms: 5 }, symmetry: true });
    expect(sym.stats.distinctStates).toBe(plainSym.stats.distinctStates);
    expect(sym.stats.distinctStates).toBeLessThan(TLC[5][0] / 10);
  });

  it('finds the same shortest trace as the plain-object spec', () => {
    const a = check(diehardPacked);
    const b = check(diehard);
    expect(a.verdict).toBe('violation');
    expect(a.violation!.trace).toEqual(b.violation!.trace);
    expect(a.violation!.trace).toHaveLength(7);
    expect(check(diehardPacked, { params: { goal: 6 } }).stats.distinctStates).toBe(check(diehard, { params: { goal: 6 } }).stats.distinctStates);
  });

  it('reports deadlocks, honours done and the depth bound', () => {
    const s = packed({
      name: 'countdown',
      layout: { n: int(0, 5) },
      init: () => ({ n: 5 }),
      define: (v) => ({ actions: { Dec: (st) => st.get(v.n) > 0 && st.set(v.n, st.get(v.n) - 1) } }),
    });
    const r = check(s, { deadlock: true });
    expect(r.violation).toMatchObject({ kind: 'deadlock' });
    expect(r.violation!.trace.at(-1)!.state).toEqual({ n: 0 });
    expect(r.violation!.trace).toHaveLength(6);
    const bounded = check(s, { maxDepth: 2 });
    expect(bounded.verdict).toBe('incomplete');
    expect(bounded.stats.distinctStates).toBe(3);
  });

  it('checks a constraint and sometimes on words', () => {
    const r = check(counterAndFlag((n) => n < 4, true));
    expect(r.constraintInForce).toBe(true);
    // n = 0..3, each with both flags (the n = 4 states are checked, as ReachesFour shows, but not counted: TLC's count)
    expect(r.stats.distinctStates).toBe(8);
    expect(r.stats.generatedStates).toBe(1 + 8 * 2);
    expect(r.violation).toMatchObject({ kind: 'sometimes', property: 'ReachesFive' });
  });
});

describe('the constraint on words', () => {
  it('runs once per state kept: its verdict is kept with the queued state, for the expansion and the depth probe', () => {
    let calls = 0;
    const s = counterAndFlag((n) => (calls++, n < 4));
    expect(check(s).stats).toMatchObject({ distinctStates: 8, generatedStates: 17 });
    expect(calls).toBe(10); // the 8 within and the 2 with n = 4, each once
    calls = 0;
    // Depth 1: (0,f), (1,f), (0,t) kept; the probe of the last level reads their verdicts.
    expect(check(s, { maxDepth: 1 })).toMatchObject({ verdict: 'incomplete', incomplete: { reason: 'maxDepth' } });
    expect(calls).toBe(3);
  });
});

describe('errors in packed specs', () => {
  it('a value outside the domain names the action, the variable and the trace', () => {
    const r = check(badSet);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/action Stop.*set phase to "done", which is not one of its declared values \("idle", "busy"\)/);
    expect(r.error!.action).toBe('Stop');
    expect(r.error!.trace!.map((s) => s.action)).toEqual([null, 'Start']);
  });

  const one = (define: Parameters<typeof packed>[0]['define']) =>
    packed({ name: 'one', layout: { n: int(0, 3) }, init: () => ({ n: 0 }), define: define as never });

  it('set() outside an action is an error naming the property', () => {
    const r = check(one((v: any) => ({ actions: { A: (s: any) => s.set(v.n, 1) }, invariants: { Sneaky: (s: any) => (s.set(v.n, 2), true) } })));
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/invariant Sneaky threw: .*set\(n\).*only actions may change the state/);
  });

  it('an action that changes the draft and returns nothing is an error, not a silent no-op', () => {
    const r = check(one((v: any) => ({ actions: { Forgot: (s: any) => void s.set(v.n, 1) } })));
    expect(r.error!.message).toMatch(/action Forgot changed the state but returned undefined/);
  });

  it('a throwing action names itself and carries the trace to its state', () => {
    const r = check(
      one((v: any) => ({
        actions: {
          Inc: (s: any) => s.get(v.n) < 3 && s.set(v.n, s.get(v.n) + 1),
          Boom: forEach(['x'], (s: any) => {
            if (s.get(v.n) === 2) throw new Error('kaboom');
            return false;
          }),
        },
      })),
    );
    expect(r.error!.message).toMatch(/action Boom\(x\) threw: .*kaboom/);
    expect(r.error!.trace!.map((s) => s.action)).toEqual([null, 'Inc', 'Inc']);
  });

  it('a nondeterministic action is caught', () => {
    let calls = 0; // outside state: the re-run sees another value
    const r = check(one((v: any) => ({ actions: { Drift: (s: any) => s.set(v.n, calls++ % 4) } })), { recheckRate: 1 });
    expect(r.error?.message ?? 'no error').toMatch(/action Drift is nondeterministic/);
  });

  it('bad layouts and definitions are errors at load time', () => {
    expect(() => oneOf()).toThrow(/at least one value/);
    expect(() => int(3, 1)).toThrow(/min <= max/);
    const r = check(packed({ name: 'l', layout: { a: 5 as never }, init: () => ({}) as never, define: () => ({ actions: {} }) }));
    expect(r.error!.message).toMatch(/layout: a is not a variable declaration/);
  });
});
