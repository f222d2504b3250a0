// What the CLI does with a counterexample besides checking: shrink it to the
// fewest faults (--minimise), choose how the terminal shows it (--trace, --no-chart),
// and write it to files (--trace-out ITF, --mermaid, --html). Runs where the
// states are (a job worker for `check`, the main thread for `simulate`/`replay`).
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { TraceStep } from '../../core/errors.js';
import type { Spec, TransitionSystem } from '../../core/types.js';
import type { SimulateResult } from '../../check/check.js';
import type { CheckResult, Violation } from '../../explore/types.js';
import { resultItf } from '../../trace/itf.js';
import { plural, traceModel } from '../../trace/model.js';
import { minimisedSummary } from '../../trace/render/counterexample.js';
import { renderHtml } from '../../trace/render/html.js';
import { renderMermaid } from '../../trace/render/mermaid.js';
import { displayedTrace, withMinimised, type ShrinkProgress } from '../../trace/shrink.js';
import { writeFileAtomic } from '../output-files.js';
import type { TextReportOptions } from './text.js';

export type TraceDetailFlag = 'compact' | 'full' | 'none';

/** The trace flags of `check`/`simulate`: plain data (sent to job workers). */
export interface TraceSettings {
  /** --trace: compact (default), full, none. */
  readonly detail?: TraceDetailFlag;
  /** --no-chart gives false. */
  readonly chart?: boolean;
  /** --minimise on|faults|off (default on for check): false shows the shortest (BFS) trace and searches no other. */
  readonly minimise?: boolean;
  /**
   * How far the fault-minimising searches go: `bounded` (--minimise on, the default:
   * the check's own size, see minimiseBounds) or `full` (--minimise faults: to the end,
   * within --max-time and --max-memory only).
   */
  readonly minimiseSearch?: 'bounded' | 'full';
  /** Time for the fault-minimising searches (default: minimiseBounds). */
  readonly minimiseTimeMs?: number;
  /** How often they report progress, once they have run that long (default 2 s). */
  readonly minimiseProgressMs?: number;
  /**
   * Whether anything the user asked for shows the counterexample (the terminal report
   * unless --trace none or --json, a trace file, --save-trace, --junit, --annotations).
   * false: the fault-minimal trace is not searched for (default true).
   */
  readonly traceShown?: boolean;
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
  /** Time of the fault-minimising searches, when they ran. */
  readonly minimiseMs?: number;
}

/** --minimise on: the searches explore at most this many distinct states, or the check's own count if larger. */
export const MINIMISE_MIN_STATES = 50_000;
/** --minimise on: a backstop in time (or the check's search time if longer); the state bound normally ends them first. */
export const MINIMISE_MIN_TIME_MS = 10_000;

/**
 * The bounds of the fault-minimising searches. `bounded` costs about what the
 * check cost: the states bound is deterministic (the trace shown does not depend on
 * the machine's load); `full` is bounded only by the check's own --max-time.
 */
export function minimiseBounds(
  mode: 'bounded' | 'full',
  check: { readonly distinctStates: number; readonly durationMs: number },
  limits: { readonly maxTimeMs?: number; readonly minimiseTimeMs?: number } = {},
): { stateBudget?: number; maxTimeMs: number; unprovenHint?: string } {
  if (mode === 'full') return { maxTimeMs: limits.minimiseTimeMs ?? limits.maxTimeMs ?? Infinity, unprovenHint: 'a larger --max-time or --max-memory searches further' };
  const stateBudget = Math.max(MINIMISE_MIN_STATES, check.distinctStates);
  return {
    stateBudget,
    maxTimeMs: limits.minimiseTimeMs ?? Math.min(limits.maxTimeMs ?? Infinity, Math.max(MINIMISE_MIN_TIME_MS, check.durationMs)),
    unprovenHint: `--minimise on stops at the check's own size (${stateBudget.toLocaleString('en-US')} states); --minimise faults searches to the end`,
  };
}

/** The progress line of the fault-minimising searches (stderr). */
export function minimiseProgressLine(spec: string, p: ShrinkProgress): string {
  return `faultline: ${spec}: looking for a trace with fewer faults (at most ${p.budget} of the shortest trace's ${p.faults}): ${p.distinctStates.toLocaleString('en-US')} distinct states, ${(p.elapsedMs / 1000).toFixed(1)} s (--minimise off skips this)\n`;
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
  hooks: {
    readonly shouldStop?: () => boolean;
    readonly minimise?: boolean;
    /** The check's own bounds, which the fault-minimising searches keep too. */
    readonly maxTimeMs?: number;
    readonly maxStates?: number;
    readonly maxMemoryBytes?: number;
    /** A progress line of the fault-minimising searches (default: written to stderr). */
    readonly onMinimiseProgress?: (line: string) => void;
  } = {},
): TraceProducts<R> {
  let result = input;
  const notices: string[] = [];
  const errors: string[] = [];
  let failedWrites = 0;
  let minimiseMs: number | undefined;
  const isSim = 'seed' in result;
  if (
    spec &&
    !isSim &&
    settings.minimise !== false &&
    settings.traceShown !== false &&
    hooks.minimise !== false &&
    result.verdict === 'violation' &&
    result.violation?.kind !== 'liveness'
  ) {
    const started = Date.now();
    const progress = hooks.onMinimiseProgress ?? ((line: string) => void process.stderr.write(line));
    try {
      result = withMinimised(spec, result as CheckResult, {
        ...minimiseBounds(settings.minimiseSearch ?? 'bounded', result.stats, { maxTimeMs: hooks.maxTimeMs, minimiseTimeMs: settings.minimiseTimeMs }),
        maxStates: hooks.maxStates,
        maxMemoryBytes: hooks.maxMemoryBytes,
        shouldStop: hooks.shouldStop,
        deadlock: result.violation?.kind === 'deadlock',
        onProgress: (p) => progress(minimiseProgressLine(result.spec, p)),
        progressIntervalMs: settings.minimiseProgressMs,
      }) as R;
    } catch (e) {
      errors.push(`could not minimise the faults of the counterexample: ${e instanceof Error ? e.message : String(e)}`);
    }
    // Only a search that ran has a time (a spec that does not count faults, or a trace without any, has none).
    if (result.violation?.minimised !== undefined) minimiseMs = Date.now() - started;
  }
  const system = compileFor(spec, result);
  const text: TraceProducts<R>['text'] = {
    trace: settings.detail ?? 'compact',
    counterexample: { chart: settings.chart !== false, minimise: settings.minimise !== false, system, width: settings.width },
  };
  const v = result.violation;
  const wants = settings.traceOut !== undefined || settings.mermaid !== undefined || settings.html !== undefined;
  if (!wants) return { result, text, notices, errors, failedWrites, minimiseMs };
  const where = (file: string) => (settings.perSpec ? perSpecPath(file, result.spec) : file);
  if (v === undefined || v.trace.length === 0) {
    if (settings.perSpec !== true) notices.push(`no counterexample: nothing written to ${[settings.traceOut, settings.mermaid, settings.html].filter(Boolean).join(', ')}`);
    return { result, text, notices, errors, failedWrites, minimiseMs };
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
  return { result, text, notices, errors, failedWrites, minimiseMs };
}

/** The trace flags as commander parses them. */
export interface TraceFlags {
  trace?: TraceDetailFlag;
  chart?: boolean;
  minimise?: 'on' | 'faults' | 'off';
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
      new Option(
        '--minimise <on|faults|off>',
        "show (and export) the counterexample with the fewest faults: on searches as far as the check's own size, faults to the end (proven); off: the shortest (BFS) one",
      )
        .choices(['on', 'faults', 'off'])
        .default('on'),
    );
  }
  return cmd
    .option('--trace-out <file>', 'write the counterexample as ITF JSON (replay it with `faultline replay`)')
    .option('--mermaid <file>', 'write the counterexample as a Mermaid sequenceDiagram')
    .option('--html <file>', 'write the counterexample as a self-contained HTML page (chart, steps, state)');
}

/**
 * Whether any output of `check` shows the fault-minimal counterexample: the terminal
 * report (not with --json, nor --trace none), a report that embeds the text report
 * (--junit, --annotations), or a trace file (--trace-out, --mermaid, --html;
 * --save-trace keeps the shortest trace). Nothing else is worth a fault-minimising search.
 */
export function traceShownBy(flags: TraceFlags & { json?: boolean; junit?: string; annotations?: string }): boolean {
  const text = flags.trace !== 'none' && (!flags.json || flags.junit !== undefined || flags.annotations !== undefined);
  return text || flags.traceOut !== undefined || flags.mermaid !== undefined || flags.html !== undefined;
}

export function traceSettingsFrom(flags: TraceFlags, perSpec = false): TraceSettings {
  return {
    detail: flags.trace ?? 'compact',
    chart: flags.chart !== false,
    minimise: flags.minimise !== 'off',
    minimiseSearch: flags.minimise === 'faults' ? 'full' : 'bounded',
    traceOut: flags.traceOut,
    mermaid: flags.mermaid,
    html: flags.html,
    perSpec,
    // A terminal narrower than 100 columns gets a narrower chart; files and pipes get 100.
    width: process.stdout.isTTY && process.stdout.columns ? Math.max(60, Math.min(100, process.stdout.columns)) : undefined,
  };
}
