// Trace labels. A message renders compactly and canonically — `Granted{until:4}`,
// fields sorted, strings quoted — so the rendering doubles as the message's
// identity when in-flight messages are interned (network.ts).
import { isImmutable } from '../values/immutable.js';
import { describeInvalid, kindOf } from '../values/kinds.js';
import { formatValue } from '../values/format.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Thrown for a message field that is not a state value; `path` locates it. */
export class BadValue extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}`);
  }
}

const keys = new Map<string, string>();
function key(k: string): string {
  let out = keys.get(k);
  if (out === undefined) {
    out = IDENTIFIER.test(k) ? k : JSON.stringify(k);
    if (keys.size < 10_000) keys.set(k, out);
  }
  return out;
}

/** Compact canonical rendering of a state value (throws BadValue for a non-value). */
export function compact(v: unknown, path = ''): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new BadValue(path, describeInvalid(v));
      return Object.is(v, -0) ? '0' : String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `${v}n`;
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + compact(v[i], `${path}[${i}]`);
        return s + ']';
      }
      if (isImmutable(v)) return formatValue(v);
      if (kindOf(v) !== 'record') throw new BadValue(path, describeInvalid(v));
      return '{' + fields(v as Record<string, unknown>, path, undefined) + '}';
    }
    default:
      throw new BadValue(path, describeInvalid(v));
  }
}

/** `k:v,k:v` over the sorted keys of a plain object, leaving out `skip`. */
function fields(o: Record<string, unknown>, path: string, skip: string | undefined): string {
  const ks = Object.keys(o);
  if (ks.length > 1) ks.sort();
  let s = '';
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!;
    if (k === skip) continue;
    s += (s === '' ? '' : ',') + key(k) + ':' + field(o[k], path, k);
  }
  return s;
}

/** One field's value: numbers and strings inline (the common case), the rest through compact(). */
function field(v: unknown, path: string, k: string): string {
  return typeof v === 'number' && (v | 0) === v ? String(v) : typeof v === 'string' ? JSON.stringify(v) : compact(v, path + '.' + k);
}

/** A message type's fields as last met: their own order, and the sorted order with each key's `k:` prefix. */
interface FieldOrder {
  readonly own: readonly string[];
  readonly sorted: readonly string[];
  readonly prefixes: readonly string[];
}

const fieldOrders = new Map<string, FieldOrder>();

function fieldOrderOf(msg: Record<string, unknown>): FieldOrder {
  const own = Object.keys(msg);
  const sorted = own.filter((k) => k !== 'type').sort();
  return { own, sorted, prefixes: sorted.map((k, i) => (i === 0 ? '' : ',') + key(k) + ':') };
}

/** Whether `msg` has exactly the keys `own`, in that order (for…in lists no inherited keys of a plain object). */
function hasKeys(msg: Record<string, unknown>, own: readonly string[]): boolean {
  let i = 0;
  for (const k in msg) if (k !== own[i++]) return false;
  return i === own.length;
}

/**
 * `Granted{until:4}`, or just `Release` for a message without fields. Sends are hot,
 * so the sorted field order of each message type is kept while its messages keep
 * their keys in one order (they are usually built by one object literal).
 */
export function formatMessage(msg: { readonly type: string }): string {
  const o = msg as unknown as Record<string, unknown>;
  let order = fieldOrders.get(msg.type);
  if (order === undefined || !hasKeys(o, order.own)) {
    order = fieldOrderOf(o);
    if (fieldOrders.size < 10_000) fieldOrders.set(msg.type, order);
  }
  const { sorted, prefixes } = order;
  if (sorted.length === 0) return msg.type;
  let body = '';
  for (let i = 0; i < sorted.length; i++) body += prefixes[i]! + field(o[sorted[i]!], '', sorted[i]!);
  return `${msg.type}{${body}}`;
}

/** A chosen option in a label: primitives as themselves, anything else by its index. */
export function formatChoice(option: unknown, index: number): string {
  switch (typeof option) {
    case 'string':
      return IDENTIFIER.test(option) ? option : JSON.stringify(option);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(option);
    default:
      if (option === null) return 'null';
      try {
        const s = compact(option);
        return s.length <= 40 ? s : `#${index}`;
      } catch {
        return `#${index}`;
      }
  }
}

export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
