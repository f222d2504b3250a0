// The time model. Async (default): no time; timers fire at any point after being
// set. Timed: discrete real time 0..maxTime advanced by `tick`, invisible to
// nodes; nodes with a clock read now() = time + offset (skewed within ±maxSkew
// initially, moved by clockJump within ±maxJump) and monotonic() = time since
// their last start. Local steps are prompt: `tick` waits while an up node has an
// enabled step or a due timer (see compile.ts).
import { SpecError } from '../core/errors.js';
import { TIME_KEYS, checkKeys } from '../core/definition-keys.js';
import type { TimeOptions } from './define.js';

export interface ResolvedTime {
  readonly timed: boolean;
  readonly maxTime: number;
  readonly maxSkew: number;
  readonly maxJump: number | undefined;
  readonly maxDelay: number | undefined;
}

const ASYNC: ResolvedTime = { timed: false, maxTime: 0, maxSkew: 0, maxJump: undefined, maxDelay: undefined };

export function resolveTime(specName: string, t: TimeOptions | undefined): ResolvedTime {
  if (t === undefined) return ASYNC;
  const where = `protocol "${specName}": time`;
  if (typeof t !== 'object' || t === null) throw new SpecError(`${where} must be { mode: 'async' } or { mode: 'timed', maxTime, ... }`, { handler: 'time' });
  checkKeys(t, TIME_KEYS, where, { handler: 'time' });
  if (t.mode === 'async') {
    const extra = Object.keys(t).filter((k) => k !== 'mode');
    if (extra.length > 0) throw new SpecError(`${where}: ${extra.join(', ')} only apply in timed mode (mode: 'timed')`, { handler: 'time' });
    return ASYNC;
  }
  if (t.mode !== 'timed') throw new SpecError(`${where}.mode must be 'async' or 'timed', not ${JSON.stringify((t as { mode: unknown }).mode)}`, { handler: 'time' });
  const int = (name: keyof typeof t, v: unknown, required: boolean): number | undefined => {
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new SpecError(`${where}.${String(name)} must be a non-negative integer${required ? ' (required in timed mode)' : ''}, got ${JSON.stringify(v)}`, {
        handler: 'time',
      });
    }
    return v;
  };
  return {
    timed: true,
    maxTime: int('maxTime', t.maxTime, true)!,
    maxSkew: int('maxSkew', t.maxSkew, false) ?? 0,
    maxJump: int('maxJump', t.maxJump, false),
    maxDelay: int('maxDelay', t.maxDelay, false),
  };
}

/** -k..k */
export function range(k: number): number[] {
  return Array.from({ length: 2 * k + 1 }, (_, i) => i - k);
}
