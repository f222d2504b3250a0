// The library API checks its arguments as the CLI checks its flags: check(spec, {
// maxDepth: NaN }) or check('spec.ts') is a UsageError that says what was expected,
// never a silent default or a TypeError from deep inside the search.
import { UsageError } from '../core/params.js';
import { suggestion } from '../core/definition-keys.js';
import { isSpec } from '../core/types.js';
import type { CheckOptions } from './types.js';

/** The options of simulate() (as in check.ts, which re-exports the full interface). */
interface SimulateOnly {
  readonly walks?: number;
  readonly depth?: number;
  readonly seed?: number;
  readonly firstWalk?: number;
}

/** Returns what the value should have been, or undefined when it is fine. */
type Rule = (value: unknown) => string | undefined;

const nonNegativeInt: Rule = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? undefined : 'a non-negative integer');
const positiveInt: Rule = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'an integer ≥ 1');
const nonNegative: Rule = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : 'a non-negative number');
const boolean: Rule = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const fn: Rule = (v) => (typeof v === 'function' ? undefined : 'a function');
const string: Rule = (v) => (typeof v === 'string' ? undefined : 'a string');
const record: Rule = (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'an object of name → value');
const budgets: Rule = (v) =>
  record(v) ?? (Object.values(v as object).every((n) => nonNegativeInt(n) === undefined) ? undefined : 'an object of fault name → non-negative integer');
const strategy: Rule = (v) => (v === 'bfs' || v === 'dfs' ? undefined : "'bfs' or 'dfs'");
const fraction: Rule = (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a number from 0 to 1');

// Typed by CheckOptions' keys: an option added to the interface without a rule here
// does not compile.
const CHECK_RULES: { readonly [K in keyof Required<CheckOptions>]: Rule } = {
  params: record,
  faults: budgets,
  strategy,
  maxDepth: nonNegativeInt,
  maxStates: nonNegativeInt,
  maxTimeMs: nonNegative,
  maxMemoryBytes: nonNegative,
  workers: positiveInt,
  cluster: (v) =>
    record(v) ??
    (string((v as { url?: unknown }).url) === undefined &&
    positiveInt((v as { workers?: unknown }).workers) === undefined &&
    ((v as { startAfterMs?: unknown }).startAfterMs === undefined || nonNegative((v as { startAfterMs?: unknown }).startAfterMs) === undefined)
      ? undefined
      : '{ url: string, workers: integer ≥ 1, startAfterMs?: number ≥ 0 }'),
  symmetry: boolean,
  liveness: boolean,
  deadlock: boolean,
  ignoreExpect: boolean,
  recheckRate: fraction,
  compactFrontier: boolean,
  onProgress: fn,
  progressIntervalMs: nonNegative,
  shouldStop: fn,
  file: string,
  checkpoint: (v) =>
    record(v) ??
    (typeof (v as { dir?: unknown }).dir === 'string' &&
    ((v as { everyMs?: unknown }).everyMs === undefined || nonNegative((v as { everyMs?: unknown }).everyMs) === undefined) &&
    ['undefined', 'string'].includes(typeof (v as { resumeFrom?: unknown }).resumeFrom)
      ? undefined
      : '{ dir: string, everyMs?: number, resumeFrom?: string }'),
};

const { strategy: _strategy, maxDepth: _maxDepth, checkpoint: _checkpoint, cluster: _cluster, ...shared } = CHECK_RULES;
const SIMULATE_RULES: { readonly [K in keyof Required<Omit<CheckOptions, 'strategy' | 'maxDepth' | 'checkpoint' | 'cluster'> & SimulateOnly>]: Rule } = {
  ...shared,
  walks: nonNegativeInt,
  depth: nonNegativeInt,
  seed: nonNegativeInt,
  firstWalk: nonNegativeInt,
};

/** `NaN`, `"file.ts"`, `null`, `an array`: what a wrong value was, in a few words. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') return 'a Promise';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Throws a UsageError unless `spec` is a spec and `options` fits the call's options.
 * `call` is how the user wrote it: 'check', 'checkAsync' or 'simulate'.
 */
export function validateCall(call: 'check' | 'checkAsync' | 'simulate', spec: unknown, options: unknown): void {
  if (!isSpec(spec)) {
    const file = typeof spec === 'string' ? `; to check a spec file, import its default export, or run \`faultline check ${spec}\`` : '';
    throw new UsageError(
      `${call}(spec, options) needs a spec (the value spec({...}), packed({...}) or protocol({...}) returns), got ${describeValue(spec)}${file}`,
    );
  }
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`${call}(spec, options): options must be an object such as { maxDepth: 10 }, got ${describeValue(options)}`);
  }
  const rules: Readonly<Record<string, Rule>> = call === 'simulate' ? SIMULATE_RULES : CHECK_RULES;
  for (const [key, value] of Object.entries(options)) {
    const rule = rules[key];
    if (rule === undefined) throw new UsageError(`${call}(spec, options): unknown option "${key}"; ${suggestion(key, Object.keys(rules))}`);
    if (value === undefined) continue;
    const expected = rule(value);
    if (expected !== undefined) throw new UsageError(`${call}(spec, options): ${key} must be ${expected}, got ${describeValue(value)}`);
  }
}
