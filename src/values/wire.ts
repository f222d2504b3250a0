// State values in a form that crosses threads and processes (structured clone, or
// JSON with bigints as strings) and comes back as the same value of the same kind:
// arrays stay arrays and Immutable Lists stay Lists, which ITF cannot tell apart.
// Each composite becomes an array whose first element names its kind; primitives
// are themselves. Immutable Records cannot be rebuilt without their class, so a
// state holding one is refused (NotTransferable) and searched on one thread.
import { List, Map as IMap, OrderedMap, OrderedSet, Set as ISet, Stack, isList, isOrderedMap, isOrderedSet, isRecord, isStack } from './immutable.js';
import { isPlainRecord, kindOf } from './kinds.js';

export class NotTransferable extends Error {
  override name = 'NotTransferable';
}

export type Wire = null | boolean | number | string | bigint | readonly unknown[];

export function toWire(v: unknown): Wire {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out: unknown[] = ['a'];
    for (let i = 0; i < v.length; i++) out.push(toWire(v[i]));
    return out;
  }
  if (isPlainRecord(v)) {
    const out: unknown[] = [Object.getPrototypeOf(v) === null ? 'n' : 'o'];
    for (const k in v) out.push(k, toWire(v[k]));
    return out;
  }
  if (isRecord(v)) throw new NotTransferable('an Immutable.js Record (its class cannot be rebuilt in another thread)');
  switch (kindOf(v)) {
    case 'seq':
      return [isList(v) ? 'L' : isStack(v) ? 'K' : unknownKind(v), ...(v as List<unknown>).toArray().map(toWire)];
    case 'map': {
      const out: unknown[] = [isOrderedMap(v) ? 'N' : 'M'];
      (v as IMap<unknown, unknown>).forEach((x, k) => void out.push(toWire(k), toWire(x)));
      return out;
    }
    case 'set':
      return [isOrderedSet(v) ? 'T' : 'S', ...(v as ISet<unknown>).toArray().map(toWire)];
    default:
      return unknownKind(v);
  }
}

function unknownKind(v: unknown): never {
  throw new NotTransferable(`a value of kind ${kindOf(v)} (${Object.prototype.toString.call(v)})`);
}

/**
 * A string that came from another thread or process is a copy, not one of V8's
 * internalized strings (one per content in a thread, as every literal in a spec is),
 * so `===` against a spec's literals and the hasher's remembered values compared
 * characters (the StringEqual builtin) instead of pointers; parts a shard imported
 * kept such strings, and every state decoded from them passed them on. Measured on
 * two-phase rms=8 with 2 workers (perf): StringEqual 1,016 ms -> 6 ms, the rmState
 * hasher 3.55 s -> 2.75 s; interleaved, the search 21.06 -> 18.32 s (median of 3,
 * CPU 40.8 -> 36.0 s). A property key is always internalized: this gives the
 * string as one, remembered so each content is looked up once per thread.
 */
const internalized = new Map<string, string>();
/** Strings a thread keeps internalized here: a cache (a spec whose strings never repeat must not fill memory). */
const INTERNALIZED_MAX = 1 << 16;

export function internalize(s: string): string {
  let one = internalized.get(s);
  if (one === undefined) {
    if (internalized.size >= INTERNALIZED_MAX) internalized.clear();
    one = Object.keys({ [s]: 0 })[0]!;
    internalized.set(one, one);
  }
  return one;
}

export function fromWire(w: unknown): unknown {
  if (typeof w === 'string') return internalize(w);
  if (!Array.isArray(w)) return w;
  const tag = w[0] as string;
  const items = (from: number) => {
    const out: unknown[] = [];
    for (let i = from; i < w.length; i++) out.push(fromWire(w[i]));
    return out;
  };
  const pairs = (): [unknown, unknown][] => {
    const out: [unknown, unknown][] = [];
    for (let i = 1; i < w.length; i += 2) out.push([fromWire(w[i]), fromWire(w[i + 1])]);
    return out;
  };
  switch (tag) {
    case 'a':
      return items(1);
    case 'o':
    case 'n': {
      const o: Record<string, unknown> = tag === 'n' ? Object.create(null) : {};
      for (let i = 1; i < w.length; i += 2) o[w[i] as string] = fromWire(w[i + 1]);
      return o;
    }
    case 'L':
      return List(items(1));
    case 'K':
      return Stack(items(1));
    case 'M':
      return IMap(pairs());
    case 'N':
      return OrderedMap(pairs());
    case 'S':
      return ISet(items(1));
    case 'T':
      return OrderedSet(items(1));
    default:
      throw new Error(`internal: unknown wire tag ${JSON.stringify(tag)}`);
  }
}
