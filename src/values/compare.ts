// A total order on state values that agrees with fingerprint equality: sets, maps
// and records are printed, encoded (ITF) and diffed in this one order, so the same
// state always renders the same way whatever order it was built in.
import { isImmutable } from './immutable.js';
import { describeInvalid, isPlainRecord, kindOf, mapEntries, recordEntries, seqItems, setItems, type ValueKind } from './kinds.js';

// Kinds are ordered first; 1 and 1n are different values (they fingerprint apart).
const RANK: Readonly<Record<ValueKind, number>> = {
  null: 0,
  boolean: 1,
  number: 2,
  bigint: 3,
  string: 4,
  seq: 5,
  record: 6,
  map: 7,
  set: 8,
  invalid: 9,
};

/**
 * Negative, zero or positive as `a` sorts before, equal to or after `b`:
 * kind first (null < boolean < number < bigint < string < seq < record < map < set),
 * then value. Strings compare by UTF-16 code units (no locale); seqs lexicographically;
 * records by their sorted key lists, then by values in key order; maps by their
 * entries sorted by key; sets by their sorted elements. Throws a TypeError for a
 * value that is not a state value.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'invalid') throw notAValue(a);
  if (kb === 'invalid') throw notAValue(b);
  if (ka !== kb) return RANK[ka] < RANK[kb] ? -1 : 1;
  switch (ka) {
    case 'null':
      return 0;
    case 'boolean':
      return a ? 1 : -1; // a !== b, so exactly one is true; false sorts first
    case 'number':
    case 'bigint':
    case 'string':
      // -0 and 0 compare equal, as they fingerprint equal.
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'seq':
      return compareLists(seqItems(a as object), seqItems(b as object), compareValues);
    case 'record': {
      const ea = sortedRecordEntries(a as object);
      const eb = sortedRecordEntries(b as object);
      const byKeys = compareLists(ea, eb, (x, y) => compareStrings(x[0], y[0]));
      return byKeys !== 0 ? byKeys : compareLists(ea, eb, (x, y) => compareValues(x[1], y[1]));
    }
    case 'map':
      return compareLists(sortedMapEntries(a as object), sortedMapEntries(b as object), compareEntries);
    case 'set':
      return compareLists(sortedSetItems(a as object), sortedSetItems(b as object), compareValues);
    default:
      throw notAValue(a);
  }
}

/** Whether two state values are the same canonical value. */
export function equalValues(a: unknown, b: unknown): boolean {
  return sameShapeEqual(a, b, 0) ?? compareValues(a, b) === 0;
}

/**
 * The common case of equalValues without sorting: plain records and arrays, and
 * primitives of one type. Undefined when it cannot tell (Immutable values, other
 * objects, mixed types): compareValues decides.
 */
function sameShapeEqual(a: unknown, b: unknown, depth: number): boolean | undefined {
  if (a === b) return true;
  const t = typeof a;
  if (t !== typeof b || depth > 64) return undefined;
  if (t === 'string' || t === 'boolean') return false;
  if (t === 'number') return Number.isNaN(a) || Number.isNaN(b) ? undefined : false; // a !== b, and 0 === -0
  if (t !== 'object' || a === null || b === null) return undefined;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if (Array.isArray(x)) {
    if (!Array.isArray(y)) return undefined;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const e = sameShapeEqual(x[i], y[i], depth + 1);
      if (e !== true) return e;
    }
    return true;
  }
  if (Array.isArray(y) || !isPlainRecord(x) || !isPlainRecord(y)) return undefined;
  // The same key set (in any order) with equal values; for…in allocates no key list.
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k)) return false;
    const e = sameShapeEqual(x[k], y[k], depth + 1);
    if (e !== true) return e;
    n++;
  }
  for (const _ in y) n--;
  return n === 0;
}

/** A record's entries sorted by key. */
export function sortedRecordEntries(v: object): readonly [string, unknown][] {
  return sorted(v, () => recordEntries(v).sort((x, y) => compareStrings(x[0], y[0])));
}

/** A map's entries sorted by key (then value: plain-object keys compare by identity in Immutable). */
export function sortedMapEntries(v: object): readonly [unknown, unknown][] {
  return sorted(v, () => mapEntries(v).sort(compareEntries));
}

/** A set's elements in canonical order. */
export function sortedSetItems(v: object): readonly unknown[] {
  return sorted(v, () => setItems(v).sort(compareValues));
}

// Sorted forms of values that cannot change (Immutable or frozen), computed once:
// sorting a set of sets would otherwise re-sort the inner sets at every comparison.
const cache = new WeakMap<object, readonly unknown[]>();

function sorted<T>(v: object, compute: () => T[]): readonly T[] {
  const hit = cache.get(v);
  if (hit !== undefined) return hit as readonly T[];
  const result = compute();
  if (isImmutable(v) || Object.isFrozen(v)) cache.set(v, result);
  return result;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(x: readonly [unknown, unknown], y: readonly [unknown, unknown]): number {
  return compareValues(x[0], y[0]) || compareValues(x[1], y[1]);
}

function compareLists<T>(xs: readonly T[], ys: readonly T[], cmp: (x: T, y: T) => number): number {
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(xs[i]!, ys[i]!);
    if (c !== 0) return c < 0 ? -1 : 1;
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1;
}

function notAValue(v: unknown): TypeError {
  return new TypeError(`cannot order ${describeInvalid(v)}: not a state value`);
}
