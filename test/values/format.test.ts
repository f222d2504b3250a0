import { List, Map as IMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { formatKey, formatValue } from '../../src/values/format.js';
import { equalValues } from '../../src/values/compare.js';
import { randomValue, rebuilt, rng } from './arbitrary.js';

describe('formatValue', () => {
  it('renders primitives', () => {
    expect(formatValue(null)).toBe('null');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(3)).toBe('3');
    expect(formatValue(-0)).toBe('0');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue(12n)).toBe('12n');
    expect(formatValue(-(10n ** 20n))).toBe('-100000000000000000000n');
  });

  it('quotes a top-level string unless asked not to; always inside structures', () => {
    expect(formatValue('leader')).toBe('"leader"');
    expect(formatValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(formatValue('leader', { quote: false })).toBe('leader');
    expect(formatValue(['a'], { quote: false })).toBe('["a"]');
    expect(formatValue('abcdef', { quote: false, maxLength: 4 })).toBe('abc…');
  });

  it('renders records with sorted keys, quoting keys that are not identifiers', () => {
    expect(formatValue({ small: 0, big: 3 })).toBe('{big: 3, small: 0}');
    expect(formatValue({ 'two words': 1, $x: 2, '1': 3 })).toBe('{$x: 2, "1": 3, "two words": 1}');
    expect(formatValue({})).toBe('{}');
    const Point = Record({ x: 0, y: 0 });
    expect(formatValue(Point({ y: 2 }))).toBe('{x: 0, y: 2}');
  });

  it('renders seqs as arrays, Lists included', () => {
    expect(formatValue([1, 2])).toBe('[1, 2]');
    expect(formatValue(List(['a', [true]]))).toBe('["a", [true]]');
    expect(formatValue([])).toBe('[]');
  });

  it('renders Maps with arrows and Sets in braces, both in canonical order', () => {
    expect(formatValue(IMap({ b: 2, a: 1 }))).toBe('Map{"a" → 1, "b" → 2}');
    expect(formatValue(IMap([[10, 'x'], [2, 'y']]))).toBe('Map{2 → "y", 10 → "x"}');
    expect(formatValue(IMap())).toBe('Map{}');
    expect(formatValue(ISet(['b', 'a']))).toBe('{"a", "b"}');
    expect(formatValue(OrderedSet([3, 1, 2]))).toBe('{1, 2, 3}');
    expect(formatValue(ISet())).toBe('Set{}');
  });

  it('renders a nested state', () => {
    const state = { nodes: IMap({ n1: { log: List([1]), role: 'leader' } }), msgs: ISet([{ to: 'n2', term: 1 }]) };
    expect(formatValue(state)).toBe('{msgs: {{term: 1, to: "n2"}}, nodes: Map{"n1" → {log: [1], role: "leader"}}}');
  });

  it('cuts at maxLength with …, never longer', () => {
    expect(formatValue([1, 2, 3, 4, 5], { maxLength: 8 })).toBe('[1, 2, …');
    expect(formatValue([1, 2, 3], { maxLength: 9 })).toBe('[1, 2, 3]');
    expect(formatValue([1, 2, 3], { maxLength: 8 })).toBe('[1, 2, …');
    expect(formatValue('hello', { maxLength: 1 })).toBe('…');
    expect(formatValue('hello', { maxLength: 0 })).toBe('');
    const r = rng(3);
    for (let i = 0; i < 200; i++) {
      const v = randomValue(r, 4);
      const full = formatValue(v);
      const max = 1 + (i % 40);
      const cut = formatValue(v, { maxLength: max });
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).toBe(full.length <= max ? full : full.slice(0, max - 1) + '…');
    }
  });

  it('stops rendering a huge value once past maxLength', () => {
    let reads = 0;
    const big = new Proxy(
      Array.from({ length: 100_000 }, (_, i) => i),
      {
        get(t, k, recv) {
          if (typeof k === 'string' && /^\d+$/.test(k)) reads++;
          return Reflect.get(t, k, recv);
        },
      },
    );
    expect(formatValue({ big }, { maxLength: 20 })).toBe('{big: [0, 1, 2, 3, …');
    expect(reads).toBeLessThan(20);
  });

  it('renders values that are not state values instead of throwing', () => {
    function retry(): void {}
    expect(formatValue({ a: undefined, f: retry, m: new Map(), n: NaN, i: -Infinity })).toBe(
      '{a: <undefined>, f: <function retry>, i: <-Infinity>, m: <Map>, n: <NaN>}',
    );
    expect(formatValue(ISet([1, undefined]))).toBe('{1, <undefined>}');
    const cyclic: { [k: string]: unknown } = { id: 1 };
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('{id: 1, self: <cycle>}');
  });

  it('renders equal canonical values identically, and different ones differently', () => {
    const r = rng(4);
    const seen = new Map<string, unknown>();
    for (let i = 0; i < 1000; i++) {
      const v = randomValue(r, 3);
      const s = formatValue(v);
      expect(formatValue(rebuilt(v, r)), `rebuilt #${i}`).toBe(s);
      const prev = seen.get(s);
      if (prev === undefined) seen.set(s, v);
      else expect(equalValues(prev, v), `same rendering "${s}" for different values`).toBe(true);
    }
  });
});

describe('formatKey', () => {
  it('leaves identifiers bare and JSON-quotes the rest', () => {
    expect(formatKey('term')).toBe('term');
    expect(formatKey('_a1$')).toBe('_a1$');
    expect(formatKey('1a')).toBe('"1a"');
    expect(formatKey('')).toBe('""');
    expect(formatKey('a-b')).toBe('"a-b"');
  });
});
