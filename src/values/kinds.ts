// Which canonical kind a state value belongs to. Every other module that walks a
// state (fingerprint, ITF encoding, diff, ordering, freezing) dispatches on this.
import { isImmutable, isIndexed, isKeyed, isRecord, isSet } from './immutable.js';

/** A plain object (its prototype Object.prototype or null): a record built in JS, not an Immutable one. */
export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A composite value that cannot change, so a walk may remember what it made of it by
 * identity: a frozen plain object or array (states are frozen when kept, and taken
 * to be values all the way down), or an Immutable.js collection.
 */
export function isLastingValue(v: object): boolean {
  return Object.isFrozen(v) || !(Array.isArray(v) || isPlainRecord(v));
}

export type ValueKind =
  | 'null'
  | 'boolean'
  | 'number'
  | 'string'
  | 'bigint'
  /** arrays, Immutable Lists and Stacks: order matters */
  | 'seq'
  /** plain objects and Immutable Records: string keys, key order does not matter */
  | 'record'
  /** Immutable Maps (any keys; insertion order does not matter) */
  | 'map'
  /** Immutable Sets (insertion order does not matter) */
  | 'set'
  /** anything else: not a state value */
  | 'invalid';

export function kindOf(v: unknown): ValueKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isFinite(v) ? 'number' : 'invalid';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'bigint';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) return 'seq';
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) return 'record';
      if (isImmutable(v)) {
        if (isRecord(v)) return 'record';
        if (isKeyed(v)) return 'map';
        if (isIndexed(v)) return 'seq';
        if (isSet(v)) return 'set';
      }
      return 'invalid';
    }
    default:
      return 'invalid';
  }
}

/** Why a value is not a state value, for error messages. */
export function describeInvalid(v: unknown): string {
  if (v === undefined) return 'undefined (use null, or leave the key out)';
  if (typeof v === 'number') return `${v} (only finite numbers are state values)`;
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (typeof v === 'symbol') return `a symbol (${String(v)})`;
  if (typeof v === 'object' && v !== null) {
    const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name;
    if (v instanceof globalThis.Map || v instanceof globalThis.Set) {
      return `a JavaScript ${ctor} (use Immutable.js Map/Set, or a plain object)`;
    }
    return `an instance of class ${ctor ?? '(anonymous)'} (use plain objects, arrays or Immutable.js values)`;
  }
  return String(v);
}

/** Entries of a record-kind value (plain object or Immutable Record). */
export function recordEntries(v: object): [string, unknown][] {
  if (isRecord(v)) return [...(v as unknown as { toSeq(): Iterable<[string, unknown]> }).toSeq()];
  return Object.entries(v);
}

/** Elements of a seq-kind value. */
export function seqItems(v: object): readonly unknown[] {
  return Array.isArray(v) ? v : [...(v as Iterable<unknown>)];
}

/** Entries of a map-kind value. */
export function mapEntries(v: object): [unknown, unknown][] {
  return [...(v as unknown as { entries(): Iterable<[unknown, unknown]> }).entries()];
}

/** Elements of a set-kind value. */
export function setItems(v: object): unknown[] {
  return [...(v as Iterable<unknown>)];
}
