// Trace labels. A message renders compactly and canonically — `Granted{until:4}`,
// fields sorted, strings quoted — so the rendering doubles as the message's
// identity when in-flight messages are interned (network.ts).
import { isImmutable } from 'immutable';
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
    const v = o[k];
    // numbers and strings inline (the common case), the rest through compact()
    const text =
      typeof v === 'number' && (v | 0) === v ? String(v) : typeof v === 'string' ? JSON.stringify(v) : compact(v, path + '.' + k);
    s += (s === '' ? '' : ',') + key(k) + ':' + text;
  }
  return s;
}

/** `Granted{until:4}`, or just `Release` for a message without fields. */
export function formatMessage(msg: { readonly type: string }): string {
  const body = fields(msg as unknown as Record<string, unknown>, '', 'type');
  return body === '' ? msg.type : `${msg.type}{${body}}`;
}

/** `Granted{until:4} lock→client1` */
export function formatEnvelopeText(msgText: string, from: string, to: string): string {
  return `${msgText} ${from}→${to}`;
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
