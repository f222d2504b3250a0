import { describe, expect, it } from 'vitest';
import { NonCanonicalError, fingerprintInto } from '../../src/values/fingerprint.js';
import { ShapeHasher } from '../../src/values/shape-hash.js';
import { faultline } from '../cli/run.js';
import { mutated, randomPrimitive, randomValue, rebuilt, rng, type Rand } from './arbitrary.js';

const generic = (v: unknown): [number, number] => {
  const out = new Uint32Array(2);
  fingerprintInto(v, out, 0, false);
  return [out[0]!, out[1]!];
};
const shaped = (h: ShapeHasher, v: unknown): [number, number] => {
  const out = new Uint32Array(2);
  h.hashInto(v, out);
  return [out[0]!, out[1]!];
};

/** A record tree of records and primitives: the shape most specs' states have. */
function recordTree(r: Rand, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = ['rm', 'state', 'msgs', 'x', 'a b', '0', 'log'][Math.floor(r() * 7)]!;
    o[k] = depth > 0 && r() < 0.4 ? recordTree(r, depth - 1) : r() < 0.15 ? randomValue(r, 2) : randomPrimitive(r);
  }
  return o;
}

/** The same shape, other leaves: what a spec's successors mostly are. */
function sameShape(v: unknown, r: Rand): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) {
    return r() < 0.5 ? v : randomPrimitive(r);
  }
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[k] = sameShape(x, r);
  return o;
}

describe('ShapeHasher: exactly the generic fingerprint', () => {
  it('on values of the sample shape, of other shapes, rebuilt and mutated', () => {
    const r = rng(7);
    let fitting = 0;
    for (let t = 0; t < 150; t++) {
      const sample = recordTree(r, 3);
      const h = ShapeHasher.derive(sample)!;
      expect(h).toBeDefined();
      for (let k = 0; k < 40; k++) {
        const v = k % 4 === 0 ? sameShape(sample, r) : k % 4 === 1 ? rebuilt(sample, r) : k % 4 === 2 ? mutated(sample, r) : randomValue(r, 3);
        if (k % 4 === 0) fitting++;
        let expected: [number, number] | Error;
        try {
          expected = generic(v);
        } catch (e) {
          expected = e as Error;
        }
        if (expected instanceof Error) {
          expect(() => shaped(h, v)).toThrow();
          continue;
        }
        expect(shaped(h, v), JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))).toEqual(expected);
      }
    }
    expect(fitting).toBeGreaterThan(1000);
  });

  it('on successors that share frozen parts with their parent, as in a search', () => {
    const r = rng(11);
    // A successor: each field is the parent's own (shared) or rebuilt with other leaves.
    const successor = (parent: unknown): unknown => {
      if (typeof parent !== 'object' || parent === null || Object.getPrototypeOf(parent) !== Object.prototype) {
        return r() < 0.6 ? parent : randomPrimitive(r);
      }
      if (r() < 0.3) return parent;
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(parent)) o[k] = r() < 0.5 ? x : successor(x);
      if (r() < 0.05) o.extra = 1;
      return o;
    };
    let compared = 0;
    for (let t = 0; t < 60; t++) {
      const sample = recordTree(r, 3);
      const h = ShapeHasher.derive(sample)!;
      let parents: unknown[] = [sample];
      for (let level = 0; level < 6; level++) {
        const next: unknown[] = [];
        for (const p of parents) {
          for (let k = 0; k < 6; k++) {
            const s = successor(p);
            expect(shaped(h, s)).toEqual(generic(s));
            compared++;
            if (r() < 0.3) {
              h.freezeFresh(); // kept, as the search does
              next.push(s);
            }
          }
        }
        parents = next.slice(0, 4);
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('remembers leaves without mixing them up: 0 and -0 are one value, 1 and "1" and 1n are not', () => {
    const h = ShapeHasher.derive({ x: 0, y: { z: 'a' } })!;
    for (const x of [0, -0, 1, '1', 1n, 1, true, null, 'a', 1.5, 0]) {
      for (const z of ['a', 'b', 2, 'a']) {
        const v = { x, y: { z } };
        expect(shaped(h, v)).toEqual(generic(v));
      }
    }
  });

  it('trusts its memory of a record only once the record is frozen', () => {
    const h = ShapeHasher.derive({ a: 1, b: { c: 'x' } })!;
    const b = { c: 'x' };
    const s = { a: 1, b };
    expect(shaped(h, s)).toEqual(generic(s));
    b.c = 'y'; // a spec may reuse an object it returned, while nothing froze it
    expect(shaped(h, s)).toEqual(generic(s));
    h.freezeFresh();
    expect(Object.isFrozen(b)).toBe(true);
    const t = { a: 2, b };
    expect(shaped(h, t)).toEqual(generic(t));
    // The same for an array in a leaf's place.
    const g = ShapeHasher.derive({ a: 1, d: [1] })!;
    const d = [1, 2];
    const u = { a: 1, d };
    expect(shaped(g, u)).toEqual(generic(u));
    d.push(3);
    expect(shaped(g, u)).toEqual(generic(u));
    g.freezeFresh();
    expect(Object.isFrozen(d)).toBe(true);
    expect(shaped(g, { a: 2, d })).toEqual(generic({ a: 2, d }));
    expect(shaped(h, { a: 2, b: { c: 'z' } })).toEqual(generic({ a: 2, b: { c: 'z' } }));
  });

  it('leaves a record with an own "__proto__" key to the generic path', () => {
    const sample = JSON.parse('{"a": 1, "r": {"__proto__": 5, "b": 2}}') as unknown;
    const h = ShapeHasher.derive(sample)!;
    const other = JSON.parse('{"a": 1, "r": {"__proto__": 6, "b": 2}}') as unknown;
    expect(shaped(h, sample)).toEqual(generic(sample));
    expect(shaped(h, other)).toEqual(generic(other));
    expect(shaped(h, other)).not.toEqual(shaped(h, sample));
  });

  it('does not derive a hasher for a state that is not a plain record', () => {
    expect(ShapeHasher.derive([1, 2])).toBeUndefined();
    expect(ShapeHasher.derive(3)).toBeUndefined();
    expect(ShapeHasher.derive(null)).toBeUndefined();
  });

  it('throws for a non-state value, as the generic path does (which words the error)', () => {
    const h = ShapeHasher.derive({ a: 1, b: { c: 'x' } })!;
    for (const bad of [{ a: undefined, b: { c: 'x' } }, { a: 1, b: { c: () => 1 } }, { a: 1, b: { c: Number.NaN } }, { a: 1, b: [new Map()] }]) {
      expect(() => generic(bad)).toThrow(NonCanonicalError);
      expect(() => shaped(h, bad)).toThrow();
    }
  });

  it('freezes the records of a kept state, so a handler that mutates one fails loudly', () => {
    const h = ShapeHasher.derive({ a: 1, b: { c: 'x' }, d: [1] })!;
    const s = { a: 2, b: { c: 'y' }, d: [2] };
    shaped(h, s);
    h.freezeFresh();
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.b)).toBe(true);
    expect(Object.isFrozen(s.d)).toBe(true);
    expect(() => {
      (s.b as { c: string }).c = 'z';
    }).toThrow(TypeError);
  });

  it('leaves the search to the generic path where code generation is disallowed', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '-p', 'rms=3'], { NODE_OPTIONS: '--disallow-code-generation-from-strings' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('288 distinct states, 1,146 generated');
  });
});
