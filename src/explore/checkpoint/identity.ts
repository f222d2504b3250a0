// What a checkpoint must have been written by for a search to resume from it: the
// same faultline, the same spec source and the same search (params, budgets, and
// the flags that change the state space). Bounds (--max-depth, --max-states,
// --max-time) are not part of it: raising one and resuming is how a search that a
// bound stopped goes on.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/params.js';
import type { ParamValue } from '../../core/types.js';
import type { CheckOptions } from '../types.js';

export type Identity = Readonly<Record<string, unknown>>;

let version: string | undefined;

/**
 * How faultline keys states: raised whenever a state's fingerprint changes
 * (values/fingerprint.ts, packed/hash.ts, a codec's fingerprintWords), so that a
 * checkpoint's visited set, or a cluster worker, keyed the old way is refused: its
 * states would look new where they are not, and the counts would be wrong without a
 * word. test/explore/state-keys.test.ts pins sample keys and fails when they change.
 * Raised to 2 when a protocol world's key in a parallel search became the XOR of its
 * parts' shares; checkpoints written before this field existed are refused too.
 */
export const STATE_KEYS = 2;

/** This faultline's version (package.json, two folders above src/ or dist/explore/checkpoint). */
export function faultlineVersion(): string {
  if (version === undefined) {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
    version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  }
  return version;
}

export function identityOf(specName: string, options: CheckOptions, params: Readonly<Record<string, ParamValue>>, liveness: boolean, layout: string): Identity {
  return {
    faultline: faultlineVersion(),
    keys: STATE_KEYS,
    spec: specName,
    source: options.file === undefined ? null : crypto.createHash('sha256').update(fs.readFileSync(options.file)).digest('hex'),
    params: JSON.parse(JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))),
    faults: options.faults ?? null,
    symmetry: options.symmetry === true,
    deadlock: options.deadlock === true,
    liveness,
    compactFrontier: options.compactFrontier !== false,
    layout,
  };
}

const WHAT: Record<string, string> = {
  faultline: 'faultline version',
  keys: 'how faultline fingerprints states (it changed since)',
  spec: 'spec',
  source: 'spec file (its source changed since)',
  params: 'params',
  faults: 'fault budgets (--faults)',
  symmetry: '--symmetry',
  deadlock: '--deadlock',
  liveness: 'liveness checking (--no-liveness)',
  compactFrontier: 'queue representation',
  layout: 'state layout (a checkpoint written without --workers is resumed without it)',
};

/** Refuses a checkpoint written by another search, naming what differs. */
export function checkIdentity(dir: string, saved: Identity | undefined, mine: Identity): void {
  if (saved === undefined) throw new UsageError(`--resume ${dir}: the checkpoint does not say what wrote it`);
  const differs = Object.keys(mine).filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(mine[k]));
  if (differs.length === 0) return;
  const show = (v: unknown) => (v === undefined ? 'none' : typeof v === 'string' && v.length === 64 ? `${v.slice(0, 12)}…` : JSON.stringify(v));
  const lines = differs.map((k) => `${WHAT[k] ?? k}: the checkpoint has ${show(saved[k])}, this check ${show(mine[k])}`);
  throw new UsageError(`--resume ${dir}: the checkpoint was written by another search, so it cannot be continued here:\n  ${lines.join('\n  ')}`);
}
