// Checking several specs: each spec is checked in a worker thread (a pool of
// `--jobs N`), so that
// - specs run in parallel, each single-threaded, and the results are reported in
//   the order the specs were named, whatever order they finish in;
// - the main thread stays free while a (synchronous) search runs, so SIGINT and
//   SIGTERM are handled at once: the main thread raises a flag in shared memory,
//   each search polls it (CheckOptions.shouldStop) and returns its partial result,
//   marked incomplete with reason 'interrupted'.
// A worker renders its result itself (text, JSON, ITF), because states (Immutable.js
// values, Records) do not survive being copied between threads; what crosses is
// plain data.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SpecError, describeThrown, isSpecError } from '../core/errors.js';
import { UsageError } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import { checkAsync, specErrorResult } from '../explore/check.js';
import type { CheckOptions, CheckResult, Stats, Strategy } from '../explore/types.js';
import { EXIT, checkExitCode } from './exit-codes.js';
import { loadSpec } from '../spec-file/load.js';
import { toJsonReport } from './report/json.js';
import type { SpecProperties } from './report/junit.js';
import { renderResult } from './report/text.js';
import { violationItf } from './save-trace.js';
import { traceProducts, type TraceProducts, type TraceSettings } from './report/trace-outputs.js';

/** What every spec of one `check` invocation is checked with: plain data, so it can be sent to a worker. */
export interface JobSettings {
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly faults?: Readonly<Record<string, number>>;
  readonly strategy: Strategy;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  readonly maxMemoryBytes?: number;
  readonly deadlock?: boolean;
  readonly symmetry?: boolean;
  /** Search threads for a packed spec (checkAsync). */
  readonly workers?: number;
  readonly ignoreExpect?: boolean;
  readonly typecheck: boolean;
  /** Type errors per spec file, when the files were type-checked together beforehand ('' = clean). */
  readonly typeErrors?: Readonly<Record<string, string>>;
  /** Report progress (JobEvents.onProgress). */
  readonly progress: boolean;
  readonly progressIntervalMs?: number;
  /** Colour in `text`. */
  readonly color: boolean;
  /** Print every action's coverage count. */
  readonly coverage?: boolean;
  readonly requireComplete: boolean;
  /** Print the stack of an unexpected error (--verbose). */
  readonly verbose?: boolean;
  /** Compute the ITF document of each violation (--save-trace). */
  readonly saveTrace: boolean;
  /** Counterexample display, fault-minimising and files (--trace, --no-chart, --minimise, --trace-out, --mermaid, --html). */
  readonly trace?: TraceSettings;
}

/** The outcome of checking one spec file: plain data, rendered where the states were. */
export interface JobOutcome {
  /** Position of the spec in the list given to runJobs. */
  readonly index: number;
  readonly file: string;
  /** The result, its trace states in ITF's JSON encoding (as in the --json document). */
  readonly result: CheckResult;
  /** The --json document. */
  readonly json: Record<string, unknown>;
  /** The human report, coloured if JobSettings.color. */
  readonly text: string;
  /** The human report without colour (JUnit failure bodies, annotations, matchers). */
  readonly plain: string;
  /** This spec's exit code (exit-codes.ts). */
  readonly exit: number;
  /** The spec's properties, when it loaded (a JUnit test case each). */
  readonly properties?: SpecProperties;
  /** The violation's trace as an ITF document (JobSettings.saveTrace). */
  readonly itf?: Record<string, unknown>;
  /** Why `itf` could not be made, if it could not. */
  readonly itfError?: string;
}

/** A spec that was never checked: --bail stopped the run, or a signal interrupted it first. */
export interface NotChecked {
  readonly index: number;
  readonly file: string;
  readonly reason: 'bail' | 'interrupted';
}

/** A stop flag in shared memory: raised on the main thread, polled by searches in workers. */
export class StopFlag {
  readonly buffer = new SharedArrayBuffer(4);
  private readonly cell = new Int32Array(this.buffer);
  raise(): void {
    Atomics.store(this.cell, 0, 1);
  }
  get raised(): boolean {
    return Atomics.load(this.cell, 0) !== 0;
  }
  /** A reader of a flag made elsewhere (in a worker). */
  static reader(buffer: SharedArrayBuffer): () => boolean {
    const cell = new Int32Array(buffer);
    return () => Atomics.load(cell, 0) !== 0;
  }
}

/**
 * A result for a spec file that could not be checked at all (it does not load, a bad
 * param). Anything else thrown while checking it (a value faultline did not expect
 * from the spec, or a faultline bug) is an error of that spec too, so the other
 * specs' reports are complete: its message says which.
 */
export function errorResultFor(file: string, e: unknown): CheckResult {
  const where = { spec: path.basename(file).replace(/\.ts$/, ''), file };
  if (e instanceof UsageError || isSpecError(e)) return specErrorResult(e, where);
  return specErrorResult(new SpecError(`faultline failed while checking this spec (${describeThrown(e)}); if the spec is valid, this is a bug in faultline: please report it with --verbose's stack trace`), where);
}

function portable(result: CheckResult): { json: Record<string, unknown>; result: CheckResult } {
  let json: Record<string, unknown>;
  try {
    json = toJsonReport(result);
  } catch (e) {
    // A state ITF cannot hold (a key starting with "#"): keep the report, not the states.
    const note = `(not representable in ITF: ${e instanceof Error ? e.message : String(e)})`;
    const strip = <T extends { trace?: readonly { action: string | null }[] }>(x: T | undefined): T | undefined =>
      x && x.trace ? { ...x, trace: x.trace.map((s) => ({ action: s.action, state: note })) } : x;
    json = { ...toJsonReport({ ...result, violation: undefined, error: undefined }), violation: strip(result.violation), error: strip(result.error) };
  }
  const { schema: _schema, ...rest } = json;
  return { json, result: rest as unknown as CheckResult };
}

/**
 * Loads and checks one spec file, and renders what the CLI reports about it. Runs in
 * a job worker (it is also usable in-process). Spec and usage errors become error
 * results; anything else thrown is a faultline bug and propagates.
 */
export async function checkSpecFile(
  index: number,
  file: string,
  settings: JobSettings,
  hooks: { readonly shouldStop?: () => boolean; readonly onProgress?: (stats: Stats) => void } = {},
): Promise<JobOutcome> {
  let result: CheckResult;
  let properties: SpecProperties | undefined;
  let traced: TraceProducts<CheckResult> | undefined;
  try {
    const spec = await loadSpec(file, { typecheck: settings.typecheck, typeErrors: settings.typeErrors?.[file] });
    const d = spec.describe();
    properties = { invariants: [...d.invariants], actionProperties: [...d.actionProperties], sometimes: [...d.sometimes] };
    const options: CheckOptions = {
      params: settings.params,
      faults: settings.faults,
      strategy: settings.strategy,
      maxDepth: settings.maxDepth,
      maxStates: settings.maxStates,
      maxTimeMs: settings.maxTimeMs,
      maxMemoryBytes: settings.maxMemoryBytes,
      deadlock: settings.deadlock,
      symmetry: settings.symmetry,
      workers: settings.workers,
      ignoreExpect: settings.ignoreExpect,
      file,
      onProgress: settings.progress ? hooks.onProgress : undefined,
      progressIntervalMs: settings.progressIntervalMs,
      shouldStop: hooks.shouldStop,
    };
    result = await checkAsync(spec, options);
    traced = traceProducts(spec, result, settings.trace ?? {}, { shouldStop: hooks.shouldStop });
    result = traced.result;
    for (const e of traced.errors) process.stderr.write(`faultline: ${e}\n`);
  } catch (e) {
    if (settings.verbose && !isSpecError(e) && !(e instanceof UsageError)) process.stderr.write(`${e instanceof Error ? e.stack : describeThrown(e)}\n`);
    result = errorResultFor(file, e);
  }
  let itf: Record<string, unknown> | undefined;
  let itfError: string | undefined;
  if (settings.saveTrace) {
    try {
      itf = violationItf(result);
    } catch (e) {
      itfError = describeThrown(e);
    }
  }
  try {
    const plain = renderResult(result, { color: false, coverage: settings.coverage, ...traced?.text });
    const notices = traced?.notices.length ? traced.notices.join('\n') + '\n' : '';
    const text = (settings.color ? renderResult(result, { color: true, coverage: settings.coverage, ...traced?.text }) : plain) + notices;
    return {
      index,
      file,
      ...portable(result),
      text,
      plain,
      // A report file that could not be written is exit 2, whatever the verdict.
      exit: Math.max(checkExitCode(result, settings.requireComplete), traced?.failedWrites ? EXIT.error : 0),
      properties,
      itf,
      itfError,
    };
  } catch (e) {
    // The spec's states could not be rendered (a getter that throws...): its error alone.
    return errorOutcome(index, file, e, settings);
  }
}

/** The outcome of a spec whose check failed with `e`: an error result, rendered plainly. */
export function errorOutcome(index: number, file: string, e: unknown, settings: Pick<JobSettings, 'color' | 'requireComplete'>): JobOutcome {
  const { json, result } = portable(errorResultFor(file, e));
  const plain = renderResult(result, { color: false });
  return { index, file, result, json, text: settings.color ? renderResult(result, { color: true }) : plain, plain, exit: checkExitCode(result, settings.requireComplete) };
}

/** Messages between the main thread and a job worker. */
export type ToWorker = { readonly type: 'run'; readonly index: number; readonly file: string };
export type FromWorker =
  | { readonly type: 'progress'; readonly index: number; readonly stats: Stats }
  | { readonly type: 'done'; readonly outcome: JobOutcome }
  | { readonly type: 'internal'; readonly index: number; readonly message: string; readonly stack?: string };

export interface JobWorkerData {
  readonly settings: JobSettings;
  readonly stop: SharedArrayBuffer;
}

export interface RunJobsOptions {
  /** Workers (default: the number of cores), never more than there are specs. */
  readonly jobs?: number;
  /** Stop at the first spec whose exit code is not 0: cancel the others. */
  readonly bail?: boolean;
  /** Raised (by a signal handler) to stop: running searches return partial results, no new spec starts. */
  readonly stop?: StopFlag;
  readonly onProgress?: (outcomeIndex: number, file: string, stats: Stats) => void;
  /** Each outcome as soon as it and every spec named before it are reported: in the order of `files`. */
  readonly onOutcome?: (outcome: JobOutcome) => void;
}

export interface JobsReport {
  /** In the order of `files`; a spec cancelled by --bail or not started before a signal is in notChecked instead. */
  readonly outcomes: JobOutcome[];
  readonly notChecked: NotChecked[];
}

/** An internal error (a faultline bug) raised while checking a spec in a worker. */
export class JobInternalError extends Error {
  constructor(message: string, workerStack?: string) {
    super(message);
    this.name = 'JobInternalError';
    if (workerStack) this.stack = workerStack;
  }
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

const workerUrl = new URL('./job-worker.js', import.meta.url);

/** Checks each spec file in a pool of worker threads. Never rejects for a spec problem (those are error outcomes). */
export function runJobs(files: readonly string[], settings: JobSettings, options: RunJobsOptions = {}): Promise<JobsReport> {
  const stop = options.stop ?? new StopFlag();
  const size = Math.max(1, Math.min(options.jobs ?? defaultJobs(), files.length));
  const outcomes: (JobOutcome | undefined)[] = new Array(files.length);
  const cancelled = new Set<number>();
  let nextToStart = 0;
  let nextToEmit = 0;
  let bailed = false;
  let failed: Error | undefined;
  let finished = false;
  const workers = new Set<Worker>();

  return new Promise<JobsReport>((resolve, reject) => {
    if (files.length === 0) return resolve({ outcomes: [], notChecked: [] });
    const busy = new Map<Worker, number>();

    const emitReady = (): void => {
      while (nextToEmit < files.length && (outcomes[nextToEmit] !== undefined || cancelled.has(nextToEmit))) {
        const o = outcomes[nextToEmit++];
        if (o) options.onOutcome?.(o);
      }
    };

    const finish = (): void => {
      if (finished || busy.size > 0) return;
      finished = true;
      const all = [...workers];
      workers.clear();
      void Promise.allSettled(all.map((w) => w.terminate())).then(() => {
        if (failed) return reject(failed);
        const notChecked: NotChecked[] = [];
        for (let i = 0; i < files.length; i++) {
          if (outcomes[i] === undefined) notChecked.push({ index: i, file: files[i]!, reason: bailed ? 'bail' : 'interrupted' });
        }
        // Whatever was held back behind a cancelled spec.
        for (const i of notChecked) cancelled.add(i.index);
        emitReady();
        resolve({ outcomes: outcomes.filter((o): o is JobOutcome => o !== undefined), notChecked });
      });
    };

    const startNext = (w: Worker): void => {
      if (failed || bailed || stop.raised || nextToStart >= files.length) {
        busy.delete(w);
        return finish();
      }
      const index = nextToStart++;
      busy.set(w, index);
      const msg: ToWorker = { type: 'run', index, file: files[index]! };
      w.postMessage(msg);
    };

    const abortAll = (): void => {
      // --bail or an internal error: the running checks are cancelled, not reported.
      for (const [w, index] of busy) {
        cancelled.add(index);
        void w.terminate();
      }
      busy.clear();
      finish();
    };

    const spawn = (): Worker => {
      const data: JobWorkerData = { settings, stop: stop.buffer };
      const w = new Worker(workerUrl, { workerData: data });
      workers.add(w);
      w.on('message', (m: FromWorker) => {
        if (finished || busy.get(w) === undefined) return; // cancelled meanwhile
        if (m.type === 'progress') {
          options.onProgress?.(m.index, files[m.index]!, m.stats);
        } else if (m.type === 'done') {
          outcomes[m.outcome.index] = m.outcome;
          if (options.bail && m.outcome.exit !== 0 && !bailed) {
            bailed = true;
            busy.delete(w);
            emitReady();
            return abortAll();
          }
          emitReady();
          startNext(w);
        } else if (m.type === 'internal') {
          // Whatever escaped checkSpecFile is that spec's error alone: the others go on.
          const index = m.index;
          outcomes[index] = errorOutcome(index, files[index]!, new JobInternalError(m.message, m.stack), settings);
          if (settings.verbose && m.stack) process.stderr.write(`${m.stack}\n`);
          emitReady();
          startNext(w);
        }
      });
      w.on('error', (e) => {
        // The worker died (out of memory, a spec that called process.exit...): an error
        // result for its spec; a fresh worker takes the remaining specs.
        const index = busy.get(w);
        workers.delete(w);
        if (index === undefined || finished) return;
        busy.delete(w);
        const file = files[index]!;
        outcomes[index] = errorOutcome(index, file, new UsageError(`the check of ${file} stopped unexpectedly: ${e.message}`), settings);
        emitReady();
        if (options.bail && !bailed) {
          bailed = true;
          return abortAll();
        }
        if (!failed && !stop.raised && nextToStart < files.length) startNext(spawn());
        else finish();
      });
      w.on('exit', (code) => {
        // A worker that exits by itself while checking a spec (process.exit in a spec).
        const index = busy.get(w);
        if (index !== undefined) w.emit('error', new Error(`the worker exited with code ${code}`));
      });
      return w;
    };

    for (let i = 0; i < size; i++) startNext(spawn());
  });
}
