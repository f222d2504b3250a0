// Compact one-line rendering of state values for traces, diffs and messages.
// Records, maps and sets print in canonical order, so a state renders the same
// however it was built. Never throws: values that are not state values (which the
// fingerprint rejects) still render, marked with <...>, since this is also used
// to describe bad values in error messages.
import { kindOf, mapEntries, seqItems, setItems } from './kinds.js';
import { sortedMapEntries, sortedRecordEntries, sortedSetItems } from './compare.js';

export interface FormatOptions {
  /** Longest result, in UTF-16 units; longer renderings end in "…". Default: no limit. */
  maxLength?: number;
  /**
   * Whether a top-level string is JSON-quoted (default true, so "1" and 1 differ).
   * Strings inside structures are always quoted.
   */
  quote?: boolean;
}

/**
 * Renders a value: `{big: 3, small: 0}` (keys sorted), `[1, 2]`,
 * `Map{"a" → 1}`, `{"x", "y"}` (a set, sorted), `Set{}` (the empty set, so it
 * differs from the empty record `{}`), `12n` (bigint), `"text"`.
 */
export function formatValue(v: unknown, options: FormatOptions = {}): string {
  const max = options.maxLength ?? Infinity;
  if (max < 1) return '';
  if (typeof v === 'string' && options.quote === false) return clip(v, max);
  const out: Out = { s: '', limit: max, ancestors: [] };
  write(v, out);
  return clip(out.s, max);
}

interface Out {
  s: string;
  /** Once s is longer than this, the rest is not rendered (it would be clipped). */
  limit: number;
  /** Composite values being written: a cycle renders as <cycle> instead of overflowing. */
  ancestors: object[];
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A record key as written in `{key: value}`: bare when it is an identifier. */
export function formatKey(k: string): string {
  return IDENTIFIER.test(k) ? k : JSON.stringify(k);
}

function write(v: unknown, out: Out): void {
  switch (kindOf(v)) {
    case 'null':
    case 'boolean':
      out.s += String(v);
      return;
    case 'number':
      out.s += Object.is(v, -0) ? '0' : String(v);
      return;
    case 'bigint':
      out.s += `${v as bigint}n`;
      return;
    case 'string':
      out.s += JSON.stringify(v);
      return;
    case 'invalid':
      out.s += `<${describeBriefly(v)}>`;
      return;
  }
  const o = v as object;
  if (out.ancestors.includes(o)) {
    out.s += '<cycle>';
    return;
  }
  out.ancestors.push(o);
  switch (kindOf(o)) {
    case 'seq':
      writeList('[', seqItems(o), ']', out, (x) => write(x, out));
      break;
    case 'record':
      writeList('{', sortedRecordEntries(o), '}', out, ([k, x]) => {
        out.s += `${formatKey(k)}: `;
        write(x, out);
      });
      break;
    case 'map':
      writeList('Map{', sortedOrRaw(() => sortedMapEntries(o), () => mapEntries(o)), '}', out, ([k, x]) => {
        write(k, out);
        out.s += ' → ';
        write(x, out);
      });
      break;
    case 'set': {
      const items = sortedOrRaw(() => sortedSetItems(o), () => setItems(o));
      if (items.length === 0) out.s += 'Set{}';
      else writeList('{', items, '}', out, (x) => write(x, out));
      break;
    }
  }
  out.ancestors.pop();
}

function writeList<T>(open: string, items: readonly T[], close: string, out: Out, each: (x: T) => void): void {
  out.s += open;
  for (let i = 0; i < items.length && out.s.length <= out.limit; i++) {
    if (i > 0) out.s += ', ';
    each(items[i]!);
  }
  out.s += close;
}

// Sorting map keys or set elements compares them, which throws on values that are
// not state values (and overflows on cycles): then show insertion order instead.
function sortedOrRaw<T>(sorted: () => readonly T[], raw: () => readonly T[]): readonly T[] {
  try {
    return sorted();
  } catch {
    return raw();
  }
}

/** A short name for a value that is not a state value: "undefined", "function f", "Map", "NaN". */
function describeBriefly(v: unknown): string {
  if (typeof v === 'function') return v.name ? `function ${v.name}` : 'function';
  if (typeof v === 'symbol') return String(v);
  if (typeof v === 'object' && v !== null) {
    const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return ctor || 'object';
  }
  return String(v);
}
