// Path segments locating a part of a state, in the notation of NonCanonicalError
// paths: `.nodes.get("n1").log[3]`, `["two words"]`.
import { formatKey, formatValue } from './format.js';

/** `.name`, or `["odd key"]` when the key is not an identifier. */
export function keySegment(k: string): string {
  const f = formatKey(k);
  return f === k ? `.${k}` : `[${f}]`;
}

/** `.get("n1")`, `.get(3)`, `.get({a: 1})`: the map key as formatValue renders it. */
export function mapKeySegment(k: unknown): string {
  return `.get(${formatValue(k)})`;
}

/** `[3]` */
export function indexSegment(i: number): string {
  return `[${i}]`;
}
