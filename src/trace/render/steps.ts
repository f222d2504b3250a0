// The terminal trace: one numbered line per step with its action label, then,
// indented, only what changed (before → after). The initial state is shown whole.
import type { ChalkInstance } from 'chalk';
import type { TraceStep } from '../../core/errors.js';
import { diffValues } from '../../values/diff.js';
import { formatValue } from '../../values/format.js';
import { kindOf, mapEntries, recordEntries } from '../../values/kinds.js';

export interface StepRenderOptions {
  readonly color: ChalkInstance;
  /** Longest rendering of one value before it is cut with "…". */
  readonly maxValueLength?: number;
  /** Notes per step (the spec's note()s), shown under the step's changes. */
  readonly notes?: readonly (readonly string[])[];
}

/** Top-level fields of a state, one per line: `name = value`. */
function wholeState(state: unknown, o: StepRenderOptions): string[] {
  const max = o.maxValueLength ?? 160;
  const kind = kindOf(state);
  const entries: [string, unknown][] =
    kind === 'record'
      ? recordEntries(state as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      : kind === 'map'
        ? mapEntries(state as object).map(([k, v]) => [formatValue(k), v])
        : [['state', state]];
  return entries.map(([k, v]) => `${o.color.cyan(k)} = ${formatValue(v, { maxLength: max })}`);
}

function changeLines(before: unknown, after: unknown, o: StepRenderOptions): string[] {
  const max = o.maxValueLength ?? 160;
  const changes = diffValues(before, after);
  if (changes.length === 0) return [o.color.dim('(no change)')];
  return changes.map((c) => {
    const field = o.color.cyan(c.path.replace(/^\./, ''));
    if (c.kind === 'added') return `${field} ${o.color.green('+')} ${formatValue(c.after, { maxLength: max })}`;
    if (c.kind === 'removed') return `${field} ${o.color.red('-')} ${formatValue(c.before, { maxLength: max })}`;
    return `${field}: ${formatValue(c.before, { maxLength: max })} ${o.color.dim('→')} ${o.color.bold(formatValue(c.after, { maxLength: max }))}`;
  });
}

/** Renders a trace as numbered steps with state changes. */
export function renderSteps(trace: readonly TraceStep[], o: StepRenderOptions): string[] {
  const lines: string[] = [];
  const width = String(Math.max(0, trace.length - 1)).length;
  trace.forEach((step, i) => {
    const n = String(i).padStart(width);
    if (i === 0) {
      lines.push(`  ${o.color.dim(n)}  ${o.color.bold('initial state')}`);
      for (const l of wholeState(step.state, o)) lines.push(`  ${' '.repeat(width)}     ${l}`);
      return;
    }
    lines.push(`  ${o.color.dim(n)}  ${o.color.yellow(step.action ?? '?')}`);
    for (const l of changeLines(trace[i - 1]!.state, step.state, o)) lines.push(`  ${' '.repeat(width)}     ${l}`);
    for (const note of o.notes?.[i] ?? []) lines.push(`  ${' '.repeat(width)}     ${o.color.italic.yellow(`note: ${note}`)}`);
  });
  return lines;
}
