// Param overrides: `-p name=value` strings (or values from the API) checked
// against the types of the spec's declared defaults.
import { SpecError } from './errors.js';
import type { ParamValue, Params } from './types.js';

/** A usage error: wrong command-line input (exit code 2, like a spec error). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `name=value` pairs from the command line; values stay strings until typed. */
export function parseAssignments(pairs: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs.flatMap((p) => (what === 'fault' ? p.split(',') : [p]))) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`bad ${what} assignment "${pair}": expected name=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function describeType(v: ParamValue): string {
  if (Array.isArray(v)) return 'a comma-separated list';
  if (typeof v === 'number' && Number.isInteger(v)) return 'an integer';
  return `a ${typeof v}`;
}

/** A value as the user wrote it: NaN stays NaN (JSON would say null). */
function shown(v: unknown): string {
  return typeof v === 'number' || typeof v === 'bigint' || v === undefined ? String(v) : JSON.stringify(v);
}

function coerce(name: string, raw: ParamValue, def: ParamValue, specName: string): ParamValue {
  const bad = () =>
    new UsageError(
      `param ${name} of spec "${specName}" must be ${describeType(def)} (default ${shown(def)}), got ${shown(raw)}`,
    );
  if (typeof def === 'number') {
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw bad();
    if (Number.isInteger(def) && !Number.isInteger(n)) throw bad();
    return n;
  }
  if (typeof def === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw bad();
  }
  if (typeof def === 'string') {
    if (typeof raw !== 'string') throw bad();
    return raw;
  }
  // A list: numbers if the default's elements are numbers.
  const items = typeof raw === 'string' ? (raw === '' ? [] : raw.split(',').map((s) => s.trim())) : raw;
  if (!Array.isArray(items)) throw bad();
  const numeric = def.length > 0 && def.every((x) => typeof x === 'number');
  if (!numeric) return items.map(String);
  const nums = items.map(Number);
  if (nums.some((n) => !Number.isFinite(n))) throw bad();
  return nums;
}

/** The spec's defaults with the overrides applied; unknown names and bad types are usage errors. */
export function resolveParams<P extends Params>(
  specName: string,
  defaults: P,
  overrides: Readonly<Record<string, ParamValue>> = {},
): P {
  for (const [name, def] of Object.entries(defaults)) {
    const fine = typeof def === 'string' || typeof def === 'boolean' || (typeof def === 'number' && Number.isFinite(def)) || Array.isArray(def);
    if (!fine) {
      throw new SpecError(`spec "${specName}": param ${name} has the default ${shown(def)}; a param is a finite number, a boolean, a string or a list`, {
        handler: 'params',
      });
    }
  }
  const out: Record<string, ParamValue> = { ...defaults };
  for (const [name, raw] of Object.entries(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      const known = Object.keys(defaults);
      throw new UsageError(
        `unknown param "${name}" for spec "${specName}"; ${known.length ? `its params are: ${known.join(', ')}` : 'it declares no params'}`,
      );
    }
    out[name] = coerce(name, raw, defaults[name]!, specName);
  }
  return Object.freeze(out) as P;
}
