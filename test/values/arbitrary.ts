// Seeded random state values for property tests, and "rebuilt" copies of them:
// the same canonical value built another way (key order, insertion order, array
// vs List, OrderedMap vs Map, -0 vs 0), which every values module must treat as equal.
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';

/** mulberry32: a small deterministic PRNG, so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const KEYS = ['a', 'b', 'c', 'log', 'term', 'two words', '1', '10', '_x'];
const STRINGS = ['', 'a', 'b', 'ab', 'B', 'n1', 'n2', '"q"', 'é', '✓'];
const Point = Record({ x: 0, y: 0 });

/** A primitive, including the awkward ones (-0, floats, bigints, big integers). */
export function randomPrimitive(r: Rand): unknown {
  switch (int(r, 8)) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return int(r, 5) - 2;
    case 3:
      return pick(r, [0.5, -1.25, 1e21, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 0.1, -0]);
    case 4:
      return BigInt(int(r, 5) - 2) * (r() < 0.3 ? 10n ** 20n : 1n);
    default:
      return pick(r, STRINGS);
  }
}

/**
 * A value usable as an Immutable Map key or Set element: primitives and Immutable
 * collections, which Immutable compares by value (plain objects it compares by identity).
 */
export function randomKey(r: Rand, depth = 1): unknown {
  if (depth <= 0 || r() < 0.7) return randomPrimitive(r);
  return r() < 0.5 ? List(Array.from({ length: int(r, 3) }, () => randomKey(r, depth - 1))) : ISet([randomKey(r, depth - 1)]);
}

export function randomValue(r: Rand, depth = 3): unknown {
  if (depth <= 0 || r() < 0.3) return randomPrimitive(r);
  const n = int(r, 4);
  switch (int(r, 6)) {
    case 0:
      return Array.from({ length: n }, () => randomValue(r, depth - 1));
    case 1:
      return List(Array.from({ length: n }, () => randomValue(r, depth - 1)));
    case 2: {
      const o: { [k: string]: unknown } = {};
      for (let i = 0; i < n; i++) o[pick(r, KEYS)] = randomValue(r, depth - 1);
      return o;
    }
    case 3:
      return IMap(Array.from({ length: n }, () => [randomKey(r), randomValue(r, depth - 1)] as [unknown, unknown]));
    case 4:
      return ISet(Array.from({ length: n }, () => randomKey(r)));
    default:
      return r() < 0.5 ? Point({ x: int(r, 3), y: randomValue(r, depth - 1) as number }) : { nested: randomValue(r, depth - 1) };
  }
}

function shuffle<T>(r: Rand, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * The same canonical value, built differently. `keyed` keeps Immutable collections
 * Immutable (inside map keys and set elements, where Immutable needs value equality).
 */
export function rebuilt(v: unknown, r: Rand, keyed = false): unknown {
  if (Object.is(v, 0) && r() < 0.5) return -0;
  if (Object.is(v, -0) && r() < 0.5) return 0;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => rebuilt(x, r));
    return r() < 0.5 ? List(items) : items;
  }
  if (List.isList(v)) {
    const items = (v as List<unknown>).toArray().map((x) => rebuilt(x, r, keyed));
    return keyed || r() < 0.5 ? List(items) : items;
  }
  if (OrderedMap.isOrderedMap(v) || IMap.isMap(v)) {
    const entries = shuffle(r, [...(v as IMap<unknown, unknown>).entries()]).map(
      ([k, x]) => [rebuilt(k, r, true), rebuilt(x, r, keyed)] as [unknown, unknown],
    );
    return r() < 0.5 ? OrderedMap(entries) : IMap(entries);
  }
  if (OrderedSet.isOrderedSet(v) || ISet.isSet(v)) {
    const items = shuffle(r, [...(v as ISet<unknown>)]).map((x) => rebuilt(x, r, true));
    return r() < 0.5 ? OrderedSet(items) : ISet(items);
  }
  if (Record.isRecord(v)) {
    const o = (v as Record<{ x: number; y: number }>).toObject();
    return r() < 0.5 ? Point({ x: o.x, y: rebuilt(o.y, r) as number }) : { y: rebuilt(o.y, r), x: o.x };
  }
  const entries = shuffle(r, Object.entries(v)).map(([k, x]) => [k, rebuilt(x, r, keyed)] as const);
  const o: { [k: string]: unknown } = r() < 0.2 ? Object.create(null) : {};
  for (const [k, x] of entries) o[k] = x;
  return o;
}

/** A value close to `v` that usually differs from it: one leaf or one element changed. */
export function mutated(v: unknown, r: Rand): unknown {
  if (typeof v !== 'object' || v === null || r() < 0.2) return randomValue(r, 1);
  if (Array.isArray(v)) {
    if (v.length === 0) return [randomValue(r, 1)];
    const i = int(r, v.length);
    const copy = [...v];
    if (r() < 0.3) copy.splice(i, 1);
    else copy[i] = mutated(v[i], r);
    return copy;
  }
  if (List.isList(v)) {
    const m = mutated((v as List<unknown>).toArray(), r);
    return Array.isArray(m) ? List(m) : m;
  }
  if (IMap.isMap(v)) {
    const m = v as IMap<unknown, unknown>;
    if (m.size === 0 || r() < 0.3) return m.set(randomKey(r), randomValue(r, 1));
    const k = pick(r, [...m.keys()]);
    return r() < 0.3 ? m.delete(k) : m.set(k, mutated(m.get(k), r));
  }
  if (ISet.isSet(v)) {
    const s = v as ISet<unknown>;
    return s.size > 0 && r() < 0.5 ? s.delete(pick(r, [...s])) : s.add(randomKey(r));
  }
  if (Record.isRecord(v)) return (v as Record<{ x: number; y: number }>).set('x', int(r, 4));
  const o = { ...(v as object) } as { [k: string]: unknown };
  const keys = Object.keys(o);
  if (keys.length === 0 || r() < 0.3) o[pick(r, KEYS)] = randomValue(r, 1);
  else {
    const k = pick(r, keys);
    if (r() < 0.3) delete o[k];
    else o[k] = mutated(o[k], r);
  }
  return o;
}
