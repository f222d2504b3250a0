// Liveness on packed() specs: the properties come from what define returns, the
// fairness from the definition, and the BFS over plain values decides them (the
// packed search records no graph). Verdicts worked out by hand on a 3-action jug.
import { describe, expect, it } from 'vitest';
import { check, int, packed, type FairnessDeclaration } from '../../src/index.js';

const jug = (fairness?: FairnessDeclaration) =>
  packed({
    name: 'jug-liveness',
    layout: { small: int(0, 3), big: int(0, 5) },
    init: () => ({ small: 0, big: 0 }),
    fairness,
    define: (v) => ({
      actions: {
        FillSmall: (s) => s.set(v.small, 3),
        FillBig: (s) => s.set(v.big, 5),
        EmptyBig: (s) => s.set(v.big, 0),
      },
      eventually: { bigFull: (s) => s.get(v.big) === 5 },
    }),
  });

describe('liveness in packed() specs', () => {
  it('fails by stuttering at the initial state when no fairness is declared, and says so', () => {
    const r = check(jug());
    expect(r.verdict).toBe('violation');
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation?.loop).toBe(0);
    expect(r.violation?.message).toContain('no fairness is declared');
  });

  it('holds when FillBig is weakly fair (it stays enabled until the big jug is full)', () => {
    const r = check(jug({ FillBig: 'weak' }));
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(4); // small ∈ {0,3} × big ∈ {0,5}
  });

  it('fails when only FillSmall is fair: filling a full jug again is a stutter, so nothing fair is left', () => {
    const r = check(jug({ FillSmall: 'weak' }));
    expect(r.verdict).toBe('violation');
    expect(r.violation?.trace.map((t) => t.action)).toEqual([null, 'FillSmall']);
    expect(r.violation?.loop).toBe(1);
  });

  it('a fairness key that names no action is a spec error', () => {
    const r = check(jug({ FillHuge: 'weak' } as FairnessDeclaration));
    expect(r.verdict).toBe('error');
    expect(r.error?.message).toMatch(/fairness\.FillHuge names no action/);
  });
});
