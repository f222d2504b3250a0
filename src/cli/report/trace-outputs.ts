// What the CLI does with a counterexample besides checking: shrink it to the
// fewest faults (--minimise), choose how the terminal shows it (--trace, --no-chart),
// and write it to files (--trace-out ITF, --mermaid, --html). Runs where the
// states are (a job worker for `check`, the main thread for `simulate`/`replay`).
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { TraceStep } from '../../core/errors.js';
import type { Spec, TransitionSystem } from '../../core/types.js';
import type { SimulateResult } from '../../explore/check.js';
import type { CheckResult, Violation } from '../../explore/types.js';
import { resultItf } from '../../trace/itf.js';
import { plural, traceModel } from '../../trace/model.js';
import { minimisedSummary } from '../../trace/render/counterexample.js';
import { renderHtml } from '../../trace/render/html.js';
import { renderMermaid } from '../../trace/render/mermaid.js';
import { displayedTrace, withMinimised } from '../../trace/shrink.js';
import { writeFileAtomic } from '../output-files.js';
import type { TextReportOptions } from './text.js';

export type TraceDetailFlag = 'compact' | 'full' | 'none';

/** The trace flags of `check`/`simulate`: plain data (sent to job workers). */
export interface TraceSettings {
  /** --trace: compact (default), full, none. */
  readonly detail?: TraceDetailFlag;
  /** --no-chart gives false. */
  readonly chart?: boolean;
  /** --minimise on|off (default on for check). */
  readonly minimise?: boolean;
  /** Time for the fault-minimising searches (default 30 s). */
  readonly minimiseTimeMs?: number;
  /** --trace-out, --mermaid, --html: file paths. */
  readonly traceOut?: string;
  readonly mermaid?: string;
  readonly html?: string;
  /** Several specs in one run: the spec's name goes into each file name (`trace.itf.json` → `trace.<spec>.itf.json`). */
  readonly perSpec?: boolean;
  /** Terminal width for the trace and chart (default 100). */
  readonly width?: number;
}

export interface TraceProducts<R> {
  /** The result, with `violation.minimised` when it was computed. */
  readonly result: R;
  /** Options for renderResult. */
  readonly text: Pick<TextReportOptions, 'trace' | 'counterexample'>;
  /** Lines to print under the report ("counterexample written to …"). */
  readonly notices: string[];
  /** Problems minimising or writing the files (printed on stderr). */
  readonly errors: string[];
  /** How many of the requested files could not be written (each makes the command exit 2). */
  readonly failedWrites: number;
}

/** `trace.itf.json` + spec `lease` → `trace.lease.itf.json`; `out/chart` → `out/chart.lease`. */
export function perSpecPath(file: string, spec: string): string {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const dot = base.indexOf('.', 1);
  const safe = spec.replace(/[^A-Za-z0-9._-]+/g, '_');
  const name = dot < 0 ? `${base}.${safe}` : `${base.slice(0, dot)}.${safe}${base.slice(dot)}`;
  return path.join(dir, name);
}

function compileFor(spec: Spec | undefined, result: CheckResult | SimulateResult): TransitionSystem<unknown> | undefined {
  if (spec === undefined) return undefined;
  try {
    return spec.compile(result.params, { faults: result.faults });
  } catch {
    return undefined;
  }
}

/** The trace written to files and shown: the fault-minimal one unless --minimise off. */
function shownTrace(v: Violation, settings: TraceSettings): { trace: TraceStep[]; which: 'shortest' | 'fault-minimal' | 'random-walk' | 'dfs' } & ReturnType<typeof displayedTrace> {
  const d = displayedTrace(v, settings.minimise !== false);
  return { ...d, which: d.minimised ? 'fault-minimal' : 'shortest' };
}

/**
 * Minimises (check only, unless --minimise off), and writes the requested files.
 * `spec` is undefined when the spec did not load (then only the report is made).
 */
export function traceProducts<R extends CheckResult | SimulateResult>(
  spec: Spec | undefined,
  input: R,
  settings: TraceSettings,
  hooks: { readonly shouldStop?: () => boolean; readonly minimise?: boolean } = {},
): TraceProducts<R> {
  let result = input;
  const notices: string[] = [];
  const errors: string[] = [];
  let failedWrites = 0;
  const isSim = 'seed' in result;
  if (spec && !isSim && settings.minimise !== false && hooks.minimise !== false && result.verdict === 'violation' && result.violation?.kind !== 'liveness') {
    try {
      result = withMinimised(spec, result as CheckResult, {
        maxTimeMs: settings.minimiseTimeMs,
        shouldStop: hooks.shouldStop,
        deadlock: result.violation?.kind === 'deadlock',
      }) as R;
    } catch (e) {
      errors.push(`could not minimise the faults of the counterexample: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const system = compileFor(spec, result);
  const text: TraceProducts<R>['text'] = {
    trace: settings.detail ?? 'compact',
    counterexample: { chart: settings.chart !== false, minimise: settings.minimise !== false, system, width: settings.width },
  };
  const v = result.violation;
  const wants = settings.traceOut !== undefined || settings.mermaid !== undefined || settings.html !== undefined;
  if (!wants) return { result, text, notices, errors, failedWrites };
  const where = (file: string) => (settings.perSpec ? perSpecPath(file, result.spec) : file);
  if (v === undefined || v.trace.length === 0) {
    if (settings.perSpec !== true) notices.push(`no counterexample: nothing written to ${[settings.traceOut, settings.mermaid, settings.html].filter(Boolean).join(', ')}`);
    return { result, text, notices, errors, failedWrites };
  }
  const shown = shownTrace(v, settings);
  const which = isSim ? 'random-walk' : (result as CheckResult).strategy === 'dfs' && !shown.minimised ? 'dfs' : shown.which;
  const model = traceModel(shown.trace, { system });
  const write = (flag: string, file: string, content: () => string, what: string) => {
    const target = where(file);
    try {
      const data = content();
      writeFileAtomic(target, data);
      const rel = path.relative(process.cwd(), path.resolve(target));
      notices.push(`${what} written to ${rel === '' || rel.startsWith('..') ? path.resolve(target) : rel}`);
    } catch (e) {
      failedWrites++;
      errors.push(`${flag} ${target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (settings.traceOut !== undefined) {
    write('--trace-out', settings.traceOut, () => {
      const source = result.file === undefined ? undefined : path.relative(process.cwd(), path.resolve(result.file)).split(path.sep).join('/');
      const doc = resultItf(result as CheckResult, shown.trace, which, { source, faultsUsed: model.faults });
      return JSON.stringify(doc, null, 2) + '\n';
    }, `counterexample (ITF, ${plural(shown.trace.length - 1, 'step')})`);
  }
  const title = `${result.spec}: ${v.kind === 'deadlock' ? 'deadlock' : `${v.property} violated`}`;
  if (settings.mermaid !== undefined) {
    write('--mermaid', settings.mermaid, () => renderMermaid(shown.trace, model, { title, violation: { property: v.property, message: shown.message }, loop: v.loop }), 'sequence diagram (Mermaid)');
  }
  if (settings.html !== undefined) {
    const params = Object.entries(result.params)
      .map(([k, x]) => `${k}=${Array.isArray(x) ? x.join(',') : String(x)}`)
      .join(' ');
    const subtitle = [
      `✗ ${v.kind === 'deadlock' ? 'deadlock' : `${v.property}`}: ${shown.message}`,
      `${result.file ? path.relative(process.cwd(), result.file) + '  ' : ''}params: ${params || 'none'}${result.faults && Object.keys(result.faults).length ? `  fault budgets: ${Object.entries(result.faults).map(([k, x]) => `${k}=${x}`).join(' ')}` : ''}`,
      `${shown.minimised ? 'fault-minimal' : which === 'random-walk' ? 'random walk' : which === 'dfs' ? 'depth-first' : 'shortest'} trace: ${plural(shown.trace.length - 1, 'step')}${model.faults !== undefined && model.protocol ? `, ${plural(model.faults, 'fault')}` : ''}${minimisedSummary(v) ? ` (${minimisedSummary(v)})` : ''}`,
    ];
    write('--html', settings.html, () => renderHtml(shown.trace, model, { title, subtitle, violation: { property: v.property, message: shown.message }, loop: v.loop }), 'HTML report');
  }
  return { result, text, notices, errors, failedWrites };
}

/** The trace flags as commander parses them. */
export interface TraceFlags {
  trace?: TraceDetailFlag;
  chart?: boolean;
  minimise?: 'on' | 'off';
  traceOut?: string;
  mermaid?: string;
  html?: string;
}

/** Adds the trace flags to `check` (with --minimise) or `simulate`. */
export function addTraceOptions(cmd: Command, o: { minimise: boolean }): Command {
  cmd
    .addOption(new Option('--trace <detail>', 'how to print the counterexample: compact, full (every change, whole values), none').choices(['compact', 'full', 'none']).default('compact'))
    .option('--no-chart', 'omit the message sequence chart under the trace');
  if (o.minimise) {
    cmd.addOption(
      new Option('--minimise <on|off>', 'show (and export) the counterexample with the fewest faults; off: the shortest (BFS) one').choices(['on', 'off']).default('on'),
    );
  }
  return cmd
    .option('--trace-out <file>', 'write the counterexample as ITF JSON (replay it with `faultline replay`)')
    .option('--mermaid <file>', 'write the counterexample as a Mermaid sequenceDiagram')
    .option('--html <file>', 'write the counterexample as a self-contained HTML page (chart, steps, state)');
}

export function traceSettingsFrom(flags: TraceFlags, perSpec = false): TraceSettings {
  return {
    detail: flags.trace ?? 'compact',
    chart: flags.chart !== false,
    minimise: flags.minimise !== 'off',
    traceOut: flags.traceOut,
    mermaid: flags.mermaid,
    html: flags.html,
    perSpec,
    // A terminal narrower than 100 columns gets a narrower chart; files and pipes get 100.
    width: process.stdout.isTTY && process.stdout.columns ? Math.max(60, Math.min(100, process.stdout.columns)) : undefined,
  };
}
