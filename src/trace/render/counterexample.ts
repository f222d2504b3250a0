// The counterexample section of the terminal report: which trace is shown (the
// fault-minimal one by default), its steps, the violated property at the final
// state, and the message sequence chart.
import type { ChalkInstance } from 'chalk';
import type { TraceStep } from '../../core/errors.js';
import type { TransitionSystem } from '../../core/types.js';
import type { Violation } from '../../explore/types.js';
import { valuesLookedAt } from '../looked-at.js';
import { plural, traceModel } from '../model.js';
import { formatValue } from '../../values/format.js';
import { displayedTrace } from '../shrink.js';
import { renderChart } from './chart.js';
import { renderSteps } from './steps.js';
import { renderWorldSteps, type TraceDetail } from './world-steps.js';

export interface CounterexampleOptions {
  readonly color: ChalkInstance;
  /** compact (default) or full; 'none' prints no trace. */
  readonly detail?: TraceDetail | 'none';
  /** Print the sequence chart below the steps (protocol traces; default true). */
  readonly chart?: boolean;
  /** Show the fault-minimal trace when there is one (default true). */
  readonly minimise?: boolean;
  /** The compiled spec, for node order and note()s. */
  readonly system?: TransitionSystem<unknown>;
  readonly width?: number;
  /** "shortest" (BFS), "random walk", or nothing (DFS). */
  readonly origin?: string;
}

/** "shortest: 9 steps, 3 faults; fault-minimal: 11 steps, 1 fault" */
export function minimisedSummary(v: Violation): string | undefined {
  const m = v.minimised;
  if (m === undefined) return undefined;
  const shortest = `shortest: ${plural(m.shortest.steps, 'step')}, ${plural(m.shortest.faults, 'fault')}`;
  if (m.sameAsShortest) return `${shortest}; ${m.proven ? 'it is also fault-minimal' : 'no trace with fewer faults found'}${m.proven ? '' : ` (${m.unproven})`}`;
  return `${shortest}; fault-minimal: ${plural(m.steps, 'step')}, ${plural(m.faults, 'fault')}${m.proven ? '' : ` (fewest found; not proven: ${m.unproven})`}`;
}

/** The lines of the counterexample section (empty when there is no trace to print). */
export function renderCounterexample(v: Violation, o: CounterexampleOptions): string[] {
  const c = o.color;
  if (o.detail === 'none' || v.trace.length === 0) return [];
  const shown = displayedTrace(v, o.minimise !== false);
  const trace: TraceStep[] = shown.trace;
  const model = traceModel(trace, { system: o.system });
  const out: string[] = [''];
  const n = trace.length - 1;
  const what = [plural(n, 'step')];
  if (model.protocol && model.faults !== undefined) what.push(plural(model.faults, 'fault'));
  if (shown.minimised) what.push('fault-minimal');
  else if (o.origin) what.push(o.origin);
  if (v.loop !== undefined) what.push(v.loop === n ? 'halts and stays' : `lasso: loop of ${plural(n - v.loop, 'step')}`);
  out.push(c.bold(`Counterexample (${what.join(', ')}):`));
  const summary = minimisedSummary(v);
  if (summary && (shown.minimised || !v.minimised!.sameAsShortest || v.minimised!.shortest.faults > 0)) {
    out.push(c.dim(`  ${summary}${!shown.minimised && v.minimised && !v.minimised.sameAsShortest ? ' (shown: the shortest; --minimise on shows the other)' : ''}`));
  }
  if (model.protocol) out.push(...renderWorldSteps(trace, model, { color: c, detail: o.detail ?? 'compact', width: o.width }));
  else out.push(...renderSteps(trace, { color: c, maxValueLength: o.detail === 'full' ? Infinity : undefined, notes: model.steps.map((s) => s.notes) }));
  if (v.loop !== undefined) out.push(...loopLines(v, n, c));
  out.push(`  ${c.red('✗')} ${v.kind === 'deadlock' ? 'no action is enabled here' : `${v.property}: ${shown.message}`}`);
  if (v.liveness) out.push(...fairnessLines(v.liveness, c));
  if (v.kind === 'invariant' && o.system) {
    // The evidence: what the invariant read in the final state.
    const looked = valuesLookedAt(o.system, v.property, trace[trace.length - 1]!.state);
    const width = o.width ?? 100;
    const max = 8;
    looked.slice(0, max).forEach((x, i) => {
      const head = `    ${i === 0 ? 'it read' : '       '} ${x.what} = `;
      out.push(`${c.dim(head.slice(0, 12))}${head.slice(12)}${formatValue(x.value, { maxLength: o.detail === 'full' ? undefined : Math.max(20, width - head.length) })}`);
    });
    if (looked.length > max) out.push(c.dim(`            … and ${looked.length - max} more`));
  }
  if (o.chart !== false && model.protocol) {
    const chart = renderChart(trace, model, { color: c, width: (o.width ?? 100) - 2, loop: v.loop });
    if (chart.length) out.push('', c.bold('Sequence chart:'), ...chart.map((l) => (l === '' ? l : '  ' + l)));
  }
  return out;
}

/** The lasso's marker under the last step: where the behaviour goes on forever. */
function loopLines(v: Violation, last: number, c: ChalkInstance): string[] {
  const k = v.loop!;
  if (k === last) return [`  ${c.magenta('↻')} ${c.bold(`stays at step ${last} forever`)}: nothing fair is left to happen there (the behaviour stutters)`];
  const steps = k + 1 === last ? `step ${last}` : `steps ${k + 1}–${last}`;
  return [`  ${c.magenta('↻')} ${c.bold(`back to step ${k}`)}: step ${last} is step ${k} again, so ${steps} repeat forever`];
}

/** Why the lasso is a behaviour the spec allows: the fairness in force, and how the loop meets it. */
function fairnessLines(l: NonNullable<Violation['liveness']>, c: ChalkInstance): string[] {
  const out = [c.dim(`    fairness: ${l.fairness}`)];
  if (l.taken.length > 0) out.push(c.dim(`    taken on the loop: ${l.taken.join(', ')}`));
  if (l.disabled.length > 0) out.push(c.dim(`    enabled on the loop but disabled at some point of it (weak fairness asks no more): ${l.disabled.join(', ')}`));
  out.push(c.dim('    every fair action enabled all along the loop is taken on it; unfair actions and faults are never obliged to happen'));
  return out;
}

/** A trace's steps (the protocol form for worlds, the plain form otherwise), e.g. the trace to a spec error. */
export function renderTraceSteps(trace: readonly TraceStep[], o: Pick<CounterexampleOptions, 'color' | 'detail' | 'system' | 'width'>): string[] {
  if (trace.length === 0 || o.detail === 'none') return [];
  const model = traceModel(trace, { system: o.system });
  if (model.protocol) return renderWorldSteps(trace, model, { color: o.color, detail: o.detail ?? 'compact', width: o.width });
  return renderSteps(trace, { color: o.color, maxValueLength: o.detail === 'full' ? Infinity : undefined, notes: model.steps.map((s) => s.notes) });
}
