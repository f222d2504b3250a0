import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  compareValues,
  equalValues,
  sortedMapEntries,
  sortedRecordEntries,
  sortedSetItems,
} from '../../src/values/compare.js';
import { fingerprint } from '../../src/values/fingerprint.js';
import { mutated, randomValue, rebuilt, rng } from './arbitrary.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Asserts that `values` are in strictly increasing order, pairwise. */
function expectIncreasing(values: unknown[]): void {
  for (let i = 0; i < values.length; i++) {
    for (let j = 0; j < values.length; j++) {
      expect(compareValues(values[i], values[j]), `#${i} vs #${j}`).toBe(sign(i - j));
    }
  }
}

describe('compareValues', () => {
  it('orders kinds: null < boolean < number < bigint < string < seq < record < map < set', () => {
    expectIncreasing([null, true, -5, -5n, '', [], {}, IMap(), ISet()]);
    expectIncreasing([null, false, 1e9, 0n, 'z', [0], { a: 0 }, IMap({ a: 0 }), ISet([0])]);
  });

  it('orders primitives of a kind by value; -0 equals 0; strings by code units', () => {
    expectIncreasing([false, true]);
    expectIncreasing([-1.5, -1, 0, 0.5, 1, 2 ** 53]);
    expect(compareValues(-0, 0)).toBe(0);
    expectIncreasing([-(10n ** 30n), -1n, 0n, 10n ** 30n]);
    expectIncreasing(['', 'B', 'a', 'ab', 'b', 'é', '✓']);
  });

  it('orders seqs lexicographically, a prefix first; arrays equal Lists', () => {
    expectIncreasing([[], [0], [0, 0], [0, 1], [1], [1, []]]);
    expect(compareValues([1, 'a'], List([1, 'a']))).toBe(0);
    expect(compareValues(List([2]), [1, 5])).toBe(1);
  });

  it('orders records by sorted key lists first, then by values in key order', () => {
    expectIncreasing([{}, { a: 9 }, { a: 0, b: 0 }, { a: 1, b: 0 }, { a: 1, b: 1 }, { b: 0 }]);
    expect(compareValues({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe(0);
    const Point = Record({ x: 0, y: 0 });
    expect(compareValues(Point({ x: 1 }), { y: 0, x: 1 })).toBe(0);
    expect(compareValues(Point({ x: 1 }), { x: 2, y: 0 })).toBe(-1);
  });

  it('orders maps by their entries sorted by key, ignoring insertion order', () => {
    expectIncreasing([IMap(), IMap([[1, 'z']]), IMap([[1, 'z'], [2, 'a']]), IMap([[2, 'a']]), IMap([['a', 0]])]);
    expect(compareValues(IMap([[2, 'b'], [1, 'a']]), OrderedMap([[1, 'a'], [2, 'b']]))).toBe(0);
    expect(compareValues(IMap({ a: 1, b: 2 }), IMap({ a: 2, b: 1 }))).toBe(-1);
  });

  it('orders sets by their sorted elements, ignoring insertion order', () => {
    expectIncreasing([ISet(), ISet([1]), ISet([1, 2]), ISet([1, 3]), ISet([2]), ISet(['a'])]);
    expect(compareValues(ISet([3, 1, 2]), OrderedSet([1, 2, 3]))).toBe(0);
  });

  it('returns exactly -1, 0 or 1', () => {
    expect(compareValues(1, 100)).toBe(-1);
    expect(compareValues('zz', 'a')).toBe(1);
    expect(compareValues([1, 2, 3], [1, 2])).toBe(1);
  });

  it('throws a TypeError for values that are not state values', () => {
    expect(() => compareValues(1, undefined)).toThrow(TypeError);
    expect(() => compareValues(() => 0, 1)).toThrow('cannot order a function: not a state value');
    expect(() => compareValues([NaN], [1])).toThrow(/NaN/);
    expect(() => compareValues(new Map(), new Map())).toThrow(/JavaScript Map/);
  });

  it('is a total order consistent with fingerprints on random values', () => {
    const r = rng(7);
    const values: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      const v = randomValue(r, 3);
      values.push(v, rebuilt(v, r), mutated(v, r));
    }
    for (let i = 0; i < values.length; i++) {
      const a = values[i]!;
      const b = values[(i * 7919) % values.length]!;
      const c = compareValues(a, b);
      expect(compareValues(b, a), `antisymmetry #${i}`).toBe(c === 0 ? 0 : -c);
      expect(c === 0, `equal iff same fingerprint #${i}`).toBe(fingerprint(a) === fingerprint(b));
      expect(compareValues(a, rebuilt(a, r)), `rebuilt #${i}`).toBe(0);
    }
    let differing = 0;
    for (let k = 0; k < values.length; k += 3) {
      const [v, copy, near] = values.slice(k, k + 3);
      expect(compareValues(v, copy), `rebuilt copy #${k}`).toBe(0);
      const c = compareValues(v, near);
      expect(c === 0, `mutated #${k}`).toBe(fingerprint(v) === fingerprint(near));
      if (c !== 0) differing++;
    }
    expect(differing).toBeGreaterThan(200);
    const sorted = [...values].sort(compareValues);
    // Transitivity: sorting gives an order in which every earlier value is <= every later one.
    for (let i = 0; i < sorted.length; i += 13) {
      for (let j = i; j < sorted.length; j += 17) expect(compareValues(sorted[i], sorted[j])).toBeLessThanOrEqual(0);
    }
  });
});

describe('equalValues', () => {
  it('is true exactly for the same canonical value', () => {
    expect(equalValues({ a: [1, List([2])] }, { a: List([1, [2]]) })).toBe(true);
    expect(equalValues(ISet([1, 2]), ISet([2, 1]))).toBe(true);
    expect(equalValues(1, 1n)).toBe(false);
    expect(equalValues(1, '1')).toBe(false);
    expect(equalValues([], {})).toBe(false);
    expect(equalValues(IMap({ a: 1 }), { a: 1 })).toBe(false);
    expect(equalValues(null, null)).toBe(true);
  });

  // Its fast path (same keys in the same order) must agree with the full comparison.
  it('agrees with fingerprint equality on plain values in and out of key order', () => {
    expect(equalValues({ a: 'x', b: [1, 2] }, { a: 'x', b: [1, 2] })).toBe(true);
    expect(equalValues({ a: 'x', b: [1, 2] }, { a: 'y', b: [1, 2] })).toBe(false);
    expect(equalValues({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(equalValues({ a: true }, { a: false })).toBe(false);
    expect(equalValues({ a: 0 }, { a: -0 })).toBe(true);
    expect(equalValues({ a: 1 }, { a: 1n })).toBe(false);
    expect(equalValues([1, 2], [1, 2, 3])).toBe(false);
    expect(equalValues({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    const r = rng(11);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r);
      const w = r() < 0.5 ? rebuilt(v, r) : mutated(v, r);
      expect(equalValues(v, w), JSON.stringify([String(v), i])).toBe(fingerprint(v) === fingerprint(w));
    }
  });
});

describe('sorted entries', () => {
  it('sorts record entries by key, map entries by key, set items canonically', () => {
    expect(sortedRecordEntries({ b: 1, a: 2, B: 3 })).toEqual([
      ['B', 3],
      ['a', 2],
      ['b', 1],
    ]);
    expect(sortedMapEntries(IMap<unknown, string>([[10, 'x'], [2, 'y'], ['a', 'z']]))).toEqual([
      [2, 'y'],
      [10, 'x'],
      ['a', 'z'],
    ]);
    expect(sortedSetItems(ISet([[2], 'a', 3, null]))).toEqual([null, 3, 'a', [2]]);
  });

  it('gives the same answer for a frozen value asked twice (cached) and for a mutable one', () => {
    const frozen = Object.freeze({ z: 1, a: 2 });
    const first = sortedRecordEntries(frozen);
    expect(sortedRecordEntries(frozen)).toBe(first);
    const mutable: { [k: string]: number } = { z: 1, a: 2 };
    expect(sortedRecordEntries(mutable)).toEqual([
      ['a', 2],
      ['z', 1],
    ]);
    mutable.b = 0;
    expect(sortedRecordEntries(mutable).map(([k]) => k)).toEqual(['a', 'b', 'z']);
  });
});
