// What a spec declares, checked against what it defines before any search: a typo
// here would otherwise turn into a wrong verdict ("expectation not met") or a
// silently ignored setting.
import { SpecError } from '../core/errors.js';
import { UsageError } from '../core/params.js';
import { suggestion } from '../core/definition-keys.js';
import type { Expectation, Spec, TransitionSystem } from '../core/types.js';

/** Every property name a spec defines: each property list of describe() (not its actions). */
function propertyNames(spec: Spec): string[] {
  const d = spec.describe() as unknown as Record<string, unknown>;
  return Object.entries(d)
    .filter(([k, v]) => k !== 'actions' && Array.isArray(v))
    .flatMap(([, v]) => (v as unknown[]).filter((n): n is string => typeof n === 'string'));
}

/** `expect` must be 'holds' or { violates: P } with P a property of the spec (or 'deadlock'). */
export function checkExpectation(spec: Spec, expected: Expectation | undefined): void {
  if (expected === undefined || expected === 'holds') return;
  const where = `spec "${spec.name}": expect`;
  if (typeof expected !== 'object' || expected === null || typeof (expected as { violates?: unknown }).violates !== 'string') {
    throw new SpecError(`${where} must be 'holds' or { violates: 'PropertyName' }, got ${JSON.stringify(expected)}`, { handler: 'expect' });
  }
  const names = [...propertyNames(spec), 'deadlock'];
  if (!names.includes(expected.violates)) {
    throw new SpecError(
      `${where}: { violates: ${JSON.stringify(expected.violates)} } names no property of the spec; ${suggestion(expected.violates, names)}`,
      { handler: 'expect' },
    );
  }
}

/** Fault budgets belong to protocols: on a spec()/packed() spec they would be ignored. */
export function checkFaultsApply(spec: Spec, faults: Readonly<Record<string, number>> | undefined): void {
  if (faults === undefined || Object.keys(faults).length === 0 || spec.kind === 'protocol') return;
  throw new UsageError(
    `fault budgets (--faults ${Object.entries(faults).map(([k, v]) => `${k}=${v}`).join(',')}) apply to protocol() specs only; "${spec.name}" is a spec()/packed() spec, whose actions are all it does`,
  );
}

/** Each symmetry set lists distinct values, and no value is in two sets. */
export function checkSymmetrySets(system: TransitionSystem<unknown>): void {
  const sets = system.symmetry;
  if (sets === undefined) return;
  const where = `spec "${system.name}": symmetry`;
  if (!Array.isArray(sets)) throw new SpecError(`${where} must be a list of sets of values, got ${typeof sets}`, { handler: 'symmetry' });
  const setOf = new Map<string, number>();
  sets.forEach((set, i) => {
    if (!Array.isArray(set)) throw new SpecError(`${where}: set ${i + 1} must be an array of values`, { handler: 'symmetry' });
    for (const value of set) {
      const seen = setOf.get(value);
      if (seen === i) throw new SpecError(`${where}: set ${i + 1} lists ${JSON.stringify(value)} twice [${set.join(', ')}]`, { handler: 'symmetry' });
      if (seen !== undefined) {
        throw new SpecError(
          `${where}: ${JSON.stringify(value)} is in set ${seen + 1} [${sets[seen]!.join(', ')}] and in set ${i + 1} [${set.join(', ')}]; a value is interchangeable within one set only`,
          { handler: 'symmetry' },
        );
      }
      setOf.set(value, i);
    }
  });
}
