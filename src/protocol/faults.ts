// The fault model: the rows of the design's fault table, their budgets (spec
// defaults overridden by `--faults`), and the checks that refuse budgets which
// make no sense for the chosen time model.
import { SpecError } from '../core/errors.js';

/** Each fault has one name: spec budget key = CLI key = trace label. */
export type FaultName = 'drop' | 'duplicate' | 'crash' | 'pause' | 'partition' | 'delay' | 'clockJump';

/** In the order of the design's fault table (and of the successor enumeration). */
export const FAULT_NAMES: readonly FaultName[] = ['drop', 'duplicate', 'crash', 'pause', 'partition', 'delay', 'clockJump'];

export type Budgets = Readonly<Record<FaultName, number>>;

export function isFaultName(s: string): s is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(s);
}

function checkBudgets(budgets: unknown, origin: string, specName: string): Partial<Record<FaultName, number>> {
  if (budgets === undefined || budgets === null) return {};
  if (typeof budgets !== 'object') throw new SpecError(`protocol "${specName}": ${origin} must be an object of fault budgets`, { handler: 'faults' });
  const out: Partial<Record<FaultName, number>> = {};
  for (const [name, n] of Object.entries(budgets)) {
    if (!isFaultName(name)) {
      throw new SpecError(
        `protocol "${specName}": unknown fault "${name}" in ${origin}; the faults are ${FAULT_NAMES.join(', ')}`,
        { handler: 'faults' },
      );
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new SpecError(
        `protocol "${specName}": the budget of fault ${name} in ${origin} must be a non-negative integer, got ${JSON.stringify(n)}`,
        { handler: 'faults' },
      );
    }
    out[name] = n;
  }
  return out;
}

export interface TimeModel {
  readonly timed: boolean;
  readonly maxDelay: number | undefined;
  readonly maxJump: number | undefined;
  readonly clockNodes: number;
}

/** The budgets in force: the spec's, overridden by `--faults`, checked against the time model. */
export function resolveBudgets(
  specName: string,
  fromSpec: unknown,
  overrides: Readonly<Record<string, number>> | undefined,
  time: TimeModel,
): Budgets {
  const merged = { ...checkBudgets(fromSpec, 'the spec\'s faults', specName), ...checkBudgets(overrides, '--faults', specName) };
  const budgets = Object.fromEntries(FAULT_NAMES.map((f) => [f, merged[f] ?? 0])) as Record<FaultName, number>;
  const refuse = (fault: FaultName, why: string) =>
    new SpecError(`protocol "${specName}": a ${fault} budget (${budgets[fault]}) ${why}`, { handler: 'faults' });
  if (!time.timed) {
    if (budgets.pause > 0) {
      throw refuse(
        'pause',
        'is refused in async mode: without time a pause adds no behaviour (any node may already be arbitrarily slow). ' +
          "Use time: { mode: 'timed', maxTime } to explore process pauses, or set pause to 0",
      );
    }
    if (budgets.clockJump > 0) throw refuse('clockJump', "needs timed mode (time: { mode: 'timed', ... }): async nodes have no clocks");
    if (budgets.delay > 0) throw refuse('delay', "needs timed mode with maxDelay: in async mode every message may already take any time");
  } else {
    if (budgets.delay > 0 && time.maxDelay === undefined) {
      throw refuse('delay', 'needs time.maxDelay: a message can only be late relative to a delivery bound');
    }
    if (budgets.clockJump > 0 && time.maxJump === undefined) {
      throw refuse('clockJump', 'needs time.maxJump (a jump sets a clock offset anywhere in -maxJump..maxJump)');
    }
    if (budgets.clockJump > 0 && time.clockNodes === 0) {
      throw refuse('clockJump', 'has no node to act on: no role declares clock: true');
    }
  }
  return Object.freeze(budgets);
}
