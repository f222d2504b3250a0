// What a checkpointed search was started with (the spec file, and the params and
// budgets given), so that `faultline check --resume DIR` needs nothing else.
import { UsageError } from '../../core/params.js';
import type { ParamValue } from '../../core/types.js';
import { readCheckpointHeader } from './file.js';

export interface Origin {
  readonly file: string;
  readonly params: Record<string, ParamValue>;
  readonly faults?: Record<string, number>;
}

/** The origin as the header keeps it (JSON: a bigint param as its digits). */
export function originOf(file: string | undefined, params: Readonly<Record<string, ParamValue>> | undefined, faults: Readonly<Record<string, number>> | undefined): unknown {
  return JSON.parse(JSON.stringify({ file, params: params ?? {}, faults }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
}

export function checkpointOrigin(dir: string): Origin {
  const origin = readCheckpointHeader(dir).origin as Partial<Origin> | undefined;
  if (typeof origin?.file !== 'string') throw new UsageError(`--resume ${dir}: the checkpoint does not name its spec file (it was written by the library API): name the spec file too`);
  return { file: origin.file, params: origin.params ?? {}, faults: origin.faults };
}
