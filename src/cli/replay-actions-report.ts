// The report of `faultline replay --by-actions` (src/trace/replay-actions.ts): one
// verdict sentence first — the violation still happens, the fix blocks the run at a
// step, or the property holds all along it — then the evidence.
import path from 'node:path';
import type { Spec } from '../core/types.js';
import type { Violation } from '../explore/types.js';
import { renderCounterexample } from '../trace/render/counterexample.js';
import { actionReplayExitCode, type ActionReplayResult } from '../trace/replay-actions.js';
import { formatValue } from '../values/format.js';
import { encodeChanges, encodeSteps } from './report/replay-json.js';
import { chalkFor, paramsText } from './report/text.js';
import type { TraceDetailFlag } from './report/trace-outputs.js';

const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
/** `all 8 steps`, `the 1 step`. */
const allSteps = (n: number) => (n === 1 ? 'the 1 step' : `all ${n} steps`);

/** `oneLeaderPerTerm`, `a deadlock`, or undefined: what the trace was saved for. */
function savedFor(r: ActionReplayResult): string | undefined {
  if (r.saved?.kind === 'deadlock') return 'a deadlock';
  return r.saved?.property;
}

/** The one-sentence verdict (plain text; the JSON document has it too). */
export function actionReplayVerdict(r: ActionReplayResult): string {
  const what = savedFor(r);
  switch (r.outcome) {
    case 'reproduced': {
      const v = r.violation!;
      const prop = v.kind === 'deadlock' ? 'a deadlock' : v.property;
      const other = what !== undefined && what !== prop ? ` (the trace was saved for ${what})` : '';
      return `the violation still happens: the trace's actions reach ${prop} at step ${v.step}${other}: ${v.message}`;
    }
    case 'blocked': {
      const b = r.blocked!;
      return `the fix blocks this trace at step ${b.step}: ${b.action} is no longer enabled`;
    }
    case 'changed': {
      const b = r.blocked!;
      return `the trace no longer fits at step ${b.step}: ${b.action} is not enabled, but ${b.similar!.join(', ')} is — the fix changed the message, so this trace cannot tell whether it blocks the run`;
    }
    case 'passes':
      if (r.lassoNote !== undefined) return `${allSteps(r.steps)} of the trace replay${r.steps === 1 ? 's' : ''} by ${r.steps === 1 ? 'its action' : 'their actions'}, and the lasso is no longer a counterexample${what === undefined ? '' : ` of ${what}`}: ${r.lassoNote}`;
      return (
        `${allSteps(r.steps)} of the trace replay${r.steps === 1 ? 's' : ''} by ${r.steps === 1 ? 'its action' : 'their actions'} and no property fails` +
        (what === undefined ? '' : r.missingProperty !== undefined ? `; but the spec no longer declares ${what}, which the trace was saved for` : `: ${what} now holds all along the trace`)
      );
    case 'error':
      return `cannot replay by actions: ${r.error?.message ?? 'unknown error'}`;
  }
}

/** The human report. */
export function renderActionReplay(
  r: ActionReplayResult,
  o: { color: boolean; specFile: string; traceFile: string; detail: TraceDetailFlag; chart: boolean; spec?: Spec },
): string {
  const c = chalkFor(o.color);
  const out: string[] = [];
  const rel = (f: string) => {
    const x = path.relative(process.cwd(), path.resolve(f));
    return x === '' || x.startsWith('..') ? path.resolve(f) : x;
  };
  out.push(`${c.bold(`replay ${r.spec}`)} (${rel(o.specFile)}) ${c.dim('by the actions of')} ${rel(o.traceFile)}  params: ${paramsText(r.params)}`);
  if (r.faults) out.push(`fault budgets: ${paramsText(r.faults)}`);
  const verdict = actionReplayVerdict(r);
  const mark =
    r.outcome === 'reproduced' || r.outcome === 'error' ? c.red.bold(`✗ ${verdict}`) : r.outcome === 'changed' ? c.yellow.bold(`⚠ ${verdict}`) : c.green.bold(`✓ ${verdict}`);
  out.push(mark);
  if (r.error?.role || r.error?.handler) out.push(`  at ${[r.error.role && `role ${r.error.role}`, r.error.handler && `handler ${r.error.handler}`].filter(Boolean).join(', ')}`);
  if (r.outcome === 'reproduced' && r.violation!.step < r.steps) out.push(c.dim(`  (the trace has ${steps(r.steps)}; it fails at step ${r.violation!.step})`));
  if (r.branches > 1) out.push(c.dim(`  (the labels matched up to ${r.branches} distinct states at one step: every one was followed)`));
  if (r.outcome === 'blocked' || r.outcome === 'changed') {
    const b = r.blocked!;
    const w = String(r.steps).length;
    out.push('', c.bold(`Steps that replayed (0–${b.step - 1}):`));
    r.trace.forEach((s, i) => out.push(`  ${c.dim(String(i).padStart(w))}  ${i === 0 ? 'initial state' : s.action}`));
    out.push(`  ${c.red(String(b.step).padStart(w))}  ${c.red(b.action)}  ${c.red('✗ not enabled')}`);
    const list = b.enabled.length ? b.enabled.slice(0, 20).join(', ') + (b.enabled.length > 20 ? `, … (${b.enabled.length} in all)` : '') : 'nothing (no action is enabled)';
    out.push('', `${c.bold(`Enabled after step ${b.step - 1}`)}: ${list}`);
    if (r.outcome === 'blocked') out.push(c.dim('  (a renamed action blocks a trace too: if the fix should not block it, compare the labels)'));
  }
  const d = r.firstDifference;
  if (d !== undefined && r.outcome !== 'error') {
    const at = d.step === 0 ? 'in the initial state' : `after step ${d.step} (${d.action})`;
    out.push('', c.bold(`The spec's states first differ from the saved trace's ${at}:`));
    for (const ch of d.changes.slice(0, 8)) {
      const field = c.cyan(ch.path.replace(/^\./, '') || '(the whole state)');
      if (ch.kind === 'added') out.push(`  ${field}: only in the saved trace: ${formatValue(ch.after, { maxLength: 100 })}`);
      else if (ch.kind === 'removed') out.push(`  ${field}: only in the spec: ${formatValue(ch.before, { maxLength: 100 })}`);
      else out.push(`  ${field}: ${formatValue(ch.before, { maxLength: 60 })} ${c.dim('(spec) vs')} ${formatValue(ch.after, { maxLength: 60 })} ${c.dim('(saved)')}`);
    }
    if (d.changes.length > 8) out.push(c.dim(`  … and ${d.changes.length - 8} more`));
  }
  if (r.outcome === 'reproduced') {
    const v = r.violation!;
    const violation: Violation = { property: v.property, kind: v.kind, message: v.message, trace: r.trace, loop: v.kind === 'liveness' ? r.loop : undefined };
    let system;
    try {
      system = o.spec?.compile(r.params, { faults: r.faults });
    } catch {
      system = undefined;
    }
    out.push(...renderCounterexample(violation, { color: c, detail: o.detail, chart: o.chart, system, origin: 'replayed by actions' }));
  }
  return out.join('\n') + '\n';
}

/** The --json document. */
export function actionReplayJson(r: ActionReplayResult, specFile: string, traceFile: string): Record<string, unknown> {
  const d = r.firstDifference;
  return {
    schema: 1,
    command: 'replay',
    mode: 'actions',
    outcome: r.outcome,
    exit: actionReplayExitCode(r),
    verdict: actionReplayVerdict(r),
    spec: r.spec,
    file: specFile,
    traceFile,
    params: r.params,
    ...(r.faults ? { faults: r.faults } : {}),
    steps: r.steps,
    replayed: Math.max(0, r.trace.length - 1),
    saved: r.saved,
    branches: r.branches,
    ...(r.violation ? { violation: r.violation } : {}),
    ...(r.blocked ? { blocked: r.blocked } : {}),
    ...(r.missingProperty ? { missingProperty: r.missingProperty } : {}),
    ...(r.loop !== undefined ? { loop: r.loop } : {}),
    ...(r.lassoNote ? { lassoNote: r.lassoNote } : {}),
    ...(d
      ? {
          firstDifference: {
            step: d.step,
            action: d.action,
            changes: encodeChanges(d.changes),
          },
        }
      : {}),
    ...(r.error ? { error: r.error } : {}),
    trace: encodeSteps(r.trace),
  };
}
