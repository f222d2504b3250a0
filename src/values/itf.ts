// The Informal Trace Format (ITF) of Apalache and Quint: its value encoding is used
// for every state faultline writes as JSON (reports, --trace-out), so JSON traces
// and ITF files agree, and `replay` reads either back.
// https://apalache-mc.org/docs/adr/015adr-trace.html
//
// Departures from ITF, because faultline states are JavaScript values:
// - null is written as JSON null (ITF has no null; TLA+ has no such value);
// - non-integer numbers are written as JSON numbers (ITF integers only).
// Decoding cannot tell an integer number beyond ±2^53 (encoded as #bigint, to keep
// its exact value for other tools) from a bigint: it decodes as a bigint.
import { Map as IMap, Set as ISet } from './immutable.js';
import { NonCanonicalError, isNonCanonical } from './fingerprint.js';
import { compareValues, sortedRecordEntries } from './compare.js';
import { describeInvalid, kindOf, mapEntries, seqItems, setItems } from './kinds.js';
import { indexSegment, keySegment, mapKeySegment } from './path.js';

export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/**
 * Encodes a state value as JSON-able ITF: records → objects with sorted keys, seqs →
 * arrays, Immutable Maps → {"#map": [[k, v], ...]} sorted by key, Sets → {"#set": [...]}
 * sorted, bigints and integers beyond the safe range → {"#bigint": "123"}.
 * Throws NonCanonicalError (with its path) for a value that is not a state value or
 * a record key starting with "#" (ITF reserves those).
 */
export function toITF(value: unknown): unknown {
  switch (kindOf(value)) {
    case 'null':
    case 'boolean':
    case 'string':
      return value;
    case 'number': {
      const n = value as number;
      if (Number.isInteger(n) && !Number.isSafeInteger(n)) return { '#bigint': BigInt(n).toString() };
      return n === 0 ? 0 : n; // no -0
    }
    case 'bigint':
      return { '#bigint': (value as bigint).toString() };
    case 'seq':
      return seqItems(value as object).map((x, i) => within(indexSegment(i), () => toITF(x)));
    case 'record':
      return Object.fromEntries(
        sortedRecordEntries(value as object).map(([k, x]) => {
          if (k.startsWith('#')) {
            throw new NonCanonicalError(`a record with key ${JSON.stringify(k)} (ITF reserves keys starting with "#")`);
          }
          return [k, within(keySegment(k), () => toITF(x))];
        }),
      );
    // Maps and sets are encoded before they are sorted: encoding reports a bad key or
    // element with its path, where sorting would fail to compare it.
    case 'map': {
      const encoded = mapEntries(value as object).map(([k, x]) => ({
        k,
        x,
        pair: [within('.keys()', () => toITF(k)), within(() => mapKeySegment(k), () => toITF(x))],
      }));
      encoded.sort((a, b) => compareValues(a.k, b.k) || compareValues(a.x, b.x));
      return { '#map': encoded.map((e) => e.pair) };
    }
    case 'set': {
      const encoded = setItems(value as object).map((x) => ({ x, e: within('.values()', () => toITF(x)) }));
      encoded.sort((a, b) => compareValues(a.x, b.x));
      return { '#set': encoded.map((e) => e.e) };
    }
    default:
      throw new NonCanonicalError(describeInvalid(value));
  }
}

/** Runs f, prefixing the path of a NonCanonicalError/ItfError it throws with `segment`. */
function within<T>(segment: string | (() => string), f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isNonCanonical(e) || e instanceof ItfError) {
      e.path = (typeof segment === 'string' ? segment : segment()) + e.path;
    }
    throw e;
  }
}

/** Malformed ITF input; `path` locates it in the JSON (".states[2].x"). */
export class ItfError extends Error {
  path = '';
  constructor(public what: string) {
    super(); // no message argument: an own `message` would shadow the getter
    this.name = 'ItfError';
  }
  override get message(): string {
    return this.path === '' ? `invalid ITF: ${this.what}` : `invalid ITF at ${this.path}: ${this.what}`;
  }
}

const BIGINT = /^-?[0-9]+$/;

/**
 * Decodes an ITF value: objects → frozen plain objects (records), arrays and #tup →
 * frozen arrays, #map → Immutable Map, #set → Immutable Set, #bigint → bigint.
 * Throws ItfError for anything else (including #unserializable).
 */
export function fromITF(json: unknown): unknown {
  if (json === null || typeof json === 'boolean' || typeof json === 'string') return json;
  if (typeof json === 'number') {
    if (!Number.isFinite(json)) throw new ItfError(`${json} is not a number ITF can hold`);
    return json;
  }
  if (Array.isArray(json)) return Object.freeze(json.map((x, i) => within(indexSegment(i), () => fromITF(x))));
  if (!isObject(json)) throw new ItfError(`${describeJson(json)} is not a JSON value`);
  const keys = Object.keys(json);
  const o = json as Record<string, unknown>;
  const tag = keys.find((k) => k.startsWith('#'));
  if (tag === undefined) {
    return Object.freeze(Object.fromEntries(keys.map((k) => [k, within(keySegment(k), () => fromITF(o[k]))])));
  }
  if (keys.length !== 1) throw new ItfError(`"${tag}" must be the only key of its object`);
  const body = o[tag];
  const at = (f: () => unknown): unknown => within(`["${tag}"]`, f);
  switch (tag) {
    case '#bigint':
      if (typeof body !== 'string' || !BIGINT.test(body)) throw fail(`["${tag}"]`, 'expected a string of decimal digits');
      return BigInt(body);
    case '#tup':
      return at(() => fromITF(array(body)));
    case '#set': {
      const items = at(() => fromITF(array(body))) as unknown[];
      const set = ISet(items);
      if (set.size !== items.length) throw fail(`["${tag}"]`, 'duplicate set element');
      return set;
    }
    case '#map': {
      const pairs = at(() =>
        array(body).map((p, i) =>
          within(indexSegment(i), () => {
            if (!Array.isArray(p) || p.length !== 2) throw new ItfError('expected a [key, value] pair');
            return [within('[0]', () => fromITF(p[0])), within('[1]', () => fromITF(p[1]))] as [unknown, unknown];
          }),
        ),
      ) as [unknown, unknown][];
      const map = IMap(pairs);
      if (map.size !== pairs.length) throw fail(`["${tag}"]`, 'duplicate map key');
      return map;
    }
    case '#unserializable':
      throw new ItfError(`an unserializable value (${JSON.stringify(body)})`);
    default:
      throw new ItfError(`unknown ITF form "${tag}"`);
  }
}

function fail(segment: string, what: string): ItfError {
  const e = new ItfError(what);
  e.path = segment;
  return e;
}

function array(x: unknown): unknown[] {
  if (!Array.isArray(x)) throw new ItfError('expected an array');
  return x;
}

/** The trace-level "#meta" of an ITF document; any further JSON-able fields are kept. */
export interface ItfMeta {
  source?: string;
  description?: string;
  [key: string]: unknown;
}

/**
 * An ITF trace document. Each state must be a record (its keys are the ITF vars;
 * every state must have the same ones). `actions[i]`, if given, labels the step
 * that reached states[i] (null or undefined for an initial state), as in TraceStep;
 * it is written as the state's "#meta".action.
 */
export function itfTrace(
  states: readonly unknown[],
  meta: ItfMeta = {},
  actions?: readonly (string | null | undefined)[],
  loop?: number,
): { '#meta': Record<string, unknown>; vars: string[]; states: Record<string, unknown>[]; loop?: number } {
  if (actions !== undefined && actions.length !== states.length) {
    throw new Error(`itfTrace: ${actions.length} actions for ${states.length} states (give one per state, null for the first)`);
  }
  const records = states.map((s, i) => {
    if (kindOf(s) !== 'record') throw new Error(`itfTrace: state ${i} is a ${kindOf(s)}, but ITF states are records of variables`);
    return toITF(s) as Record<string, unknown>;
  });
  const vars = records.length === 0 ? [] : Object.keys(records[0]!); // sorted by toITF
  const out = records.map((r, i) => {
    const got = Object.keys(r);
    if (got.length !== vars.length || got.some((k, j) => k !== vars[j])) {
      throw new Error(`itfTrace: state ${i} has variables [${got.join(', ')}] but state 0 has [${vars.join(', ')}]`);
    }
    const action = actions?.[i];
    const stateMeta = action === null || action === undefined ? { index: i } : { index: i, action };
    return { '#meta': stateMeta, ...r };
  });
  const defined = Object.entries(meta).filter(([k, v]) => v !== undefined && k !== 'format' && k !== 'format-description');
  return {
    '#meta': { format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION, ...Object.fromEntries(defined) },
    vars,
    states: out,
    // ITF's lasso field: the last state is the state at this index again, and the steps after it repeat forever.
    ...(loop === undefined ? {} : { loop }),
  };
}

export interface ParsedItfTrace {
  meta: Record<string, unknown>;
  vars: string[];
  /** Decoded states (frozen plain objects of the vars), initial state first. */
  states: unknown[];
  /** The "#meta".action of each state, null where there is none. */
  actions: (string | null)[];
  /** A lasso's loop index (top-level "loop"), when the trace has one. */
  loop?: number;
}

/**
 * Reads an ITF trace (the parsed JSON, or its text). Checks its structure: vars is
 * an array of names (a repeated name counts once), every state an object holding
 * exactly the vars (and an optional "#meta" object). A top-level "loop" (a lasso's
 * loop index) is read; other top-level fields (params) are ignored. Values decode as with fromITF; note that Quint writes every
 * integer as #bigint, so its integers decode as bigints.
 * Throws ItfError naming where the document is malformed.
 */
export function parseItfTrace(input: unknown): ParsedItfTrace {
  let doc = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new ItfError(`not JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(doc)) throw new ItfError('a trace must be a JSON object with "vars" and "states"');
  const meta = doc['#meta'] ?? {};
  if (!isObject(meta)) throw fail('["#meta"]', 'expected an object');
  if (meta['format'] !== undefined && meta['format'] !== 'ITF') {
    throw fail('["#meta"].format', `expected "ITF", got ${JSON.stringify(meta['format'])}`);
  }
  const listed = doc['vars'];
  if (!Array.isArray(listed) || listed.some((v) => typeof v !== 'string' || v.startsWith('#'))) {
    throw fail('.vars', 'expected an array of variable names');
  }
  const vars = [...new Set(listed as string[])]; // Quint has been seen to list a var twice
  const states = doc['states'];
  if (!Array.isArray(states)) throw fail('.states', 'expected an array of states');
  const actions: (string | null)[] = [];
  const decoded = states.map((s, i) =>
    within(`.states[${i}]`, () => {
      if (!isObject(s)) throw new ItfError('expected an object');
      const stateMeta = s['#meta'] ?? {};
      if (!isObject(stateMeta)) throw fail('["#meta"]', 'expected an object');
      const action = stateMeta['action'] ?? null;
      if (action !== null && typeof action !== 'string') {
        throw fail('["#meta"].action', 'expected a string');
      }
      actions.push(action);
      const extra = Object.keys(s).find((k) => k !== '#meta' && !vars.includes(k));
      if (extra !== undefined) throw new ItfError(`"${extra}" is not one of the vars`);
      const missing = vars.find((v) => !Object.hasOwn(s, v));
      if (missing !== undefined) throw new ItfError(`variable "${missing}" is missing`);
      return Object.freeze(Object.fromEntries(vars.map((v) => [v, within(keySegment(v), () => fromITF(s[v]))])));
    }),
  );
  const loop = doc['loop'];
  if (loop !== undefined && loop !== null && (!Number.isInteger(loop) || (loop as number) < 0 || (loop as number) >= decoded.length)) {
    throw fail('.loop', `expected the index of a state (0–${decoded.length - 1}), got ${JSON.stringify(loop)}`);
  }
  return typeof loop === 'number' ? { meta, vars, states: decoded, actions, loop } : { meta, vars, states: decoded, actions };
}

function isObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function describeJson(x: unknown): string {
  return typeof x === 'object' ? describeInvalid(x) : typeof x;
}
