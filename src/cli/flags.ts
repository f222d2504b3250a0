// Parsers for command-line flag values, shared by the commands.
import { UsageError, parseAssignments } from '../core/params.js';

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A non-negative integer flag value. */
export function nonNegativeInt(name: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0) throw new UsageError(`${name} must be a non-negative integer, got "${raw}"`);
    return v;
  };
}

/** A positive integer flag value. */
export function atLeastOne(name: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a positive integer, got "${raw}"`);
    return v;
  };
}

/** A positive number of seconds (fractions allowed: 0.5). */
export function positiveSeconds(name: string) {
  return (raw: string): number => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UsageError(`${name} must be a positive number of seconds, got "${raw}"`);
    return v;
  };
}

/** `10m`, `30s`, `1h`, `0.5s` or a number of seconds, as milliseconds. */
export function parseDuration(name: string) {
  return (raw: string): number => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(raw.trim());
    if (!m) throw new UsageError(`${name} must be a duration such as 10m, 30s or 1h, got "${raw}"`);
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'h'];
    return Math.round(Number(m[1]) * unit);
  };
}

/** `2g`, `512m`, `100k` or a number of bytes. */
export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(raw.trim());
  if (!m) throw new UsageError(`--max-memory must be a size such as 2g or 512m, got "${raw}"`);
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}

/** `--faults drop=2,crash=0` (repeatable) as budgets. */
export function parseFaults(raw: string[] | undefined): Record<string, number> | undefined {
  if (!raw || raw.length === 0) return undefined;
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(parseAssignments(raw, 'fault'))) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`fault budget ${name}=${value} must be a non-negative integer`);
    out[name] = n;
  }
  return out;
}

/** `-p goal=3 -p goal=4`: a name given twice is a usage error (the last one used to win silently). */
export function noRepeatedNames(flag: string, raw: readonly string[] | undefined): void {
  const seen = new Set<string>();
  for (const item of raw ?? []) {
    for (const part of flag === '--faults' ? item.split(',') : [item]) {
      const name = part.split('=')[0]!.trim();
      if (name === '') continue;
      if (seen.has(name)) throw new UsageError(`${flag} ${name} is given more than once`);
      seen.add(name);
    }
  }
}
