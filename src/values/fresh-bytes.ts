// What keeping a value costs the heap: the objects in it that no kept value holds yet
// (those not sealed: fingerprintInto with `seal` memoises and freezes what it keeps),
// at V8's sizes on 64-bit Node (no pointer compression), for the memory reports.
import { isImmutable } from './immutable.js';
import { isSealed } from './fingerprint.js';

/** A JS object: map, properties and elements pointers; then 8 bytes a field (literals: exact; spreads and `{}` have room for a few more). */
const OBJECT = 24;
/** An array: the JSArray (map, properties, elements, length) and its elements' header; then 8 bytes an item (literals, slice, concat: exact; a spread or push leaves room). */
const ARRAY = 48;
/**
 * Sealing adds to each object a memo of its fingerprint (an object of two lanes, those
 * past 2^31 heap numbers) and, unless the object has room for it, a property store:
 * measured after gc, 100,000 sealed against plain: +80 bytes for 3-field literals and
 * 3-item arrays, +40 for objects with room (spreads, `{}`).
 */
const SEAL = 80;
/** A number that is not a small integer is a heap number. */
const HEAP_NUMBER = 16;
/** Immutable collections (a trie and a hash cache): a rough figure per entry. */
const IMMUTABLE = 64;
const IMMUTABLE_ENTRY = 40;

/**
 * The estimated bytes that keeping `v` adds: its objects not sealed yet, each once per
 * occurrence (strings are not counted: they are mostly the spec's own constants).
 */
export function freshBytes(v: unknown): number {
  if (typeof v === 'number') return v === (v | 0) ? 0 : HEAP_NUMBER;
  if (typeof v !== 'object' || v === null || isSealed(v)) return 0;
  if (isImmutable(v)) return IMMUTABLE + IMMUTABLE_ENTRY * ((v as { size?: number }).size ?? 0);
  let bytes = SEAL;
  if (Array.isArray(v)) {
    bytes += ARRAY + 8 * v.length;
    for (let i = 0; i < v.length; i++) bytes += freshBytes(v[i]);
    return bytes;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) bytes += 8 + freshBytes(o[k]);
  return bytes + OBJECT;
}
