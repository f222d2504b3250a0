// What a cluster's processes must agree on: the spec's source, the settings that make
// its transition system (params, fault budgets, symmetry, deadlock, recheck rate) and
// faultline's version (with how it keys states, STATE_KEYS). The coordinator sends the
// settings and the hash of all three; a worker hashes its own spec file with them and
// refuses to join on a mismatch.
// (A spec that imports other modules of its own: only the spec file is hashed.)
import { createHash } from 'node:crypto';
import type { ParamValue } from '../core/types.js';
import { faultlineVersion, STATE_KEYS } from '../explore/checkpoint/identity.js';

export interface RunSettings {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly faults?: Readonly<Record<string, number>>;
  readonly symmetry: boolean;
  readonly recheckRate?: number;
  readonly deadlock: boolean;
}

/** A value as JSON with its object keys sorted: the same settings, the same text. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export function runHash(source: Buffer | string, settings: RunSettings): string {
  return createHash('sha256').update(`faultline ${faultlineVersion()} keys ${STATE_KEYS}\n`).update(canonical(settings)).update('\n').update(source).digest('hex');
}

/** Why a worker with spec file `file` (its `source`) refuses a run of `settings` hashed `hash`; undefined when it joins. */
export function refusalOf(source: Buffer, file: string, settings: RunSettings, hash: string): string | undefined {
  const mine = runHash(source, settings);
  if (mine === hash) return undefined;
  return `its spec file ${file} is not the coordinator's (sha256 of faultline's version, the spec and its settings: ${mine.slice(0, 12)}… here, ${hash.slice(0, 12)}… there)`;
}
