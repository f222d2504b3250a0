// The reference's own canonical form of a value: a JSON string with object keys
// sorted, Immutable maps and sets sorted by their elements' encodings, bigints
// tagged. Two values are the same iff their canonical strings are equal.
import { isImmutable, isIndexed, isKeyed, isRecord, isSet } from 'immutable';

export function canon(v: unknown): string {
  if (v === undefined) return '"#undefined"';
  if (typeof v === 'bigint') return `{"#bigint":"${v}"}`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isImmutable(v)) {
    if (isRecord(v)) return canon((v as unknown as { toObject(): object }).toObject());
    if (isKeyed(v)) {
      const entries = [...(v as unknown as Iterable<[unknown, unknown]>)].map(([k, x]) => `[${canon(k)},${canon(x)}]`);
      return `{"#map":[${entries.sort().join(',')}]}`;
    }
    if (isSet(v)) return `{"#set":[${[...(v as Iterable<unknown>)].map(canon).sort().join(',')}]}`;
    if (isIndexed(v)) return `[${[...(v as Iterable<unknown>)].map(canon).join(',')}]`;
  }
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canon(o[k])}`)
    .join(',')}}`;
}

/** Freezes plain objects and arrays all the way down (handlers must not mutate what they get). */
export function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== 'object' || isImmutable(v) || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const x of Object.values(v as object)) deepFreeze(x);
  return v;
}
