// Checking several specs: each spec is checked in a worker thread (a pool of
// `--jobs N`), so that
// - specs run in parallel, each on its own thread (and its shards with --workers),
//   and the results are reported in the order the specs were named, whatever order
//   they finish in;
// - the main thread stays free while a (synchronous) search runs, so SIGINT and
//   SIGTERM are handled at once: the main thread raises a flag in shared memory,
//   each search polls it (CheckOptions.shouldStop) and returns its partial result,
//   marked incomplete with reason 'interrupted'.
// A worker renders its result itself (text, JSON, ITF), because states (Immutable.js
// values, Records) do not survive being copied between threads; what crosses is
// plain data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpecError, describeThrown, isSpecError } from '../core/errors.js';
import { UsageError, resolveParams } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import { checkAsync, specErrorResult } from '../check/check.js';
import type { CheckOptions, CheckResult, Stats, Strategy } from '../explore/types.js';
import { EXIT, checkExitCode } from './exit-codes.js';
import { loadSpec } from '../spec-file/load.js';
import { toJsonReport } from './report/json.js';
import type { SpecProperties } from './report/junit.js';
import { renderResult, type Timing } from './report/text.js';
import { violationItf } from './save-trace.js';
import { tooLongMessage, unwrapTooLong, withCallLimit } from './call-limit.js';
import { workerHeapMb } from './resources.js';
import { nondeterminismWarnings } from './nondeterminism-lint.js';
import { paramsInForce } from './report/params-note.js';
import { WorkerProcess } from './worker-process.js';
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
  /** false: --no-liveness, safety only. */
  readonly liveness?: boolean;
  /** Search threads for a packed spec (checkAsync). */
  readonly workers?: number;
  /** --cluster URL --cluster-workers N (src/cluster/). */
  readonly cluster?: { readonly url: string; readonly workers: number; readonly startAfterMs?: number };
  readonly ignoreExpect?: boolean;
  /** The longest one call of the spec's code may run before it is a spec error (--call-timeout; jobs.ts's watchdog). */
  readonly callTimeoutMs?: number;
  /** The longest loading the spec module may take (--load-timeout; default max(callTimeoutMs, MIN_LOAD_TIMEOUT_MS)). */
  readonly loadTimeoutMs?: number;
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
  /** --checkpoint DIR, --checkpoint-every, --resume DIR (checkpoint/): one spec's search. */
  readonly checkpoint?: { readonly dir: string; readonly everyMs?: number; readonly resumeFrom?: string };
  /** When the command started (Date.now()): the stats line's time is counted from it (one spec); default: when its job started. */
  readonly startedAt?: number;
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

// The phase, heartbeat and stop flag in shared memory live in a module of their own:
// worker-host.ts needs them without loading the checker.
export { PHASE, StopFlag, WorkerStatus, type Phase } from './worker-status.js';
import { PHASE, StopFlag, type Phase } from './worker-status.js';

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
  hooks: {
    readonly shouldStop?: () => boolean;
    readonly onProgress?: (stats: Stats) => void;
    /** What the check is doing now (for the watchdog). */
    readonly phase?: (phase: Phase) => void;
    /** Diagnosing a hang: every call of the spec's code limited to this (call-limit.ts). */
    readonly diagnoseMs?: number;
    /** Once the spec loaded: the params it is checked with (a message about a worker that died names them). */
    readonly onParams?: (described: string) => void;
    /**
     * A line for stderr while the check runs (the fewest-faults search's progress). A job
     * worker posts it: its own stderr is flushed only when its busy thread yields.
     */
    readonly onStderr?: (line: string) => void;
  } = {},
): Promise<JobOutcome> {
  let result: CheckResult;
  let properties: SpecProperties | undefined;
  let traced: TraceProducts<CheckResult> | undefined;
  const jobStarted = Date.now();
  let prepareMs: number | undefined;
  let typechecked = false;
  try {
    // Type-checking is faultline's own (long, but it returns); loading runs the spec's code.
    let typeErrors = settings.typeErrors?.[file];
    const abs = path.resolve(file);
    if (typeErrors === undefined && settings.typecheck && fs.existsSync(abs) && fs.statSync(abs).isFile()) {
      hooks.phase?.(PHASE.typecheck);
      const { typecheckSpec, typeErrorMessage } = await import('../spec-file/typecheck.js');
      const errors = typecheckSpec(abs);
      typechecked = true;
      typeErrors = errors.length ? typeErrorMessage(file, errors) : '';
    }
    hooks.phase?.(PHASE.load);
    const loaded = await loadSpec(file, { typecheck: settings.typecheck, typeErrors });
    hooks.phase?.(PHASE.search);
    prepareMs = Date.now() - jobStarted;
    if (hooks.diagnoseMs === undefined) for (const w of nondeterminismWarnings(file)) process.stderr.write(`faultline: ${w}\n`);
    const spec = hooks.diagnoseMs === undefined ? loaded : withCallLimit(loaded, hooks.diagnoseMs);
    const d = spec.describe();
    properties = { invariants: [...d.invariants], actionProperties: [...d.actionProperties], sometimes: [...d.sometimes], liveness: [...(d.liveness ?? [])] };
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
      liveness: settings.liveness,
      workers: hooks.diagnoseMs === undefined ? settings.workers : 1,
      cluster: hooks.diagnoseMs === undefined ? settings.cluster : undefined,
      ignoreExpect: settings.ignoreExpect,
      file,
      checkpoint: settings.checkpoint,
      onProgress: settings.progress ? hooks.onProgress : undefined,
      progressIntervalMs: settings.progressIntervalMs,
      shouldStop: hooks.shouldStop,
    };
    const searchStarted = Date.now();
    let defaults: Readonly<Record<string, ParamValue>> = {};
    try {
      defaults = loaded.params as Readonly<Record<string, ParamValue>>;
      hooks.onParams?.(paramsInForce(resolveParams(loaded.name, defaults, settings.params), settings.params, defaults));
    } catch {
      // A bad -p value: checkAsync reports it.
    }
    result = await checkAsync(spec, options);
    if (hooks.diagnoseMs !== undefined) result = unwrapTooLong(result);
    const bound = result.incomplete?.reason;
    if (bound === 'maxStates' || bound === 'maxMemory' || bound === 'maxTime') {
      // The state space grows with the params: name those in force, and which -p set.
      result = { ...result, incomplete: { ...result.incomplete!, message: `${result.incomplete!.message}, with ${paramsInForce(result.params, settings.params, defaults)}` } };
    }
    traced = traceProducts(spec, result, settings.trace ?? {}, {
      shouldStop: hooks.shouldStop,
      // --max-time bounds the whole check: the fault-minimising searches get what the search left.
      maxTimeMs: settings.maxTimeMs === undefined ? undefined : Math.max(0, settings.maxTimeMs - (Date.now() - searchStarted)),
      maxStates: settings.maxStates,
      maxMemoryBytes: settings.maxMemoryBytes,
      onMinimiseProgress: hooks.onStderr,
    });
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
    const timing: Timing = {
      totalMs: Date.now() - (settings.startedAt ?? jobStarted),
      searchMs: result.stats.durationMs,
      ...(prepareMs === undefined ? {} : { prepareMs, typechecked }),
      ...(traced?.minimiseMs === undefined ? {} : { minimiseMs: traced.minimiseMs }),
    };
    const plain = renderResult(result, { color: false, coverage: settings.coverage, timing, ...traced?.text });
    const notices = traced?.notices.length ? traced.notices.join('\n') + '\n' : '';
    const text = (settings.color ? renderResult(result, { color: true, coverage: settings.coverage, timing, ...traced?.text }) : plain) + notices;
    const portableResult = portable(result);
    return {
      index,
      file,
      result: portableResult.result,
      // Where the command's time went (the stats line's total; stats.durationMs stays the search's own).
      json: { ...portableResult.json, timing },
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

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** `params rms=8 ...` or `the spec's default params`, for messages about a check that died. */
function describeParams(params: Readonly<Record<string, ParamValue>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "the spec's default params";
  return `params ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}`;
}

/** The outcome of a spec whose check failed with `e`: an error result (with the params given), rendered plainly. */
export function errorOutcome(index: number, file: string, e: unknown, settings: Pick<JobSettings, 'color' | 'requireComplete' | 'params'>): JobOutcome {
  const { json, result } = portable({ ...errorResultFor(file, e), params: { ...settings.params } });
  const plain = renderResult(result, { color: false });
  return { index, file, result, json, text: settings.color ? renderResult(result, { color: true }) : plain, plain, exit: checkExitCode(result, settings.requireComplete) };
}

/** Messages between the main thread and a job worker. */
export type ToWorker = { readonly type: 'run'; readonly index: number; readonly file: string };
export type FromWorker =
  | { readonly type: 'progress'; readonly index: number; readonly stats: Stats }
  | { readonly type: 'params'; readonly index: number; readonly params: string }
  | { readonly type: 'stderr'; readonly index: number; readonly line: string }
  | { readonly type: 'done'; readonly outcome: JobOutcome }
  | { readonly type: 'internal'; readonly index: number; readonly message: string; readonly stack?: string };

export interface JobWorkerData {
  readonly settings: JobSettings;
  readonly stop: SharedArrayBuffer;
  readonly status: SharedArrayBuffer;
  /** A worker that diagnoses a hang (call-limit.ts): the per-call limit. */
  readonly diagnoseMs?: number;
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

const jobWorkerUrl = new URL('./job-worker.js', import.meta.url);

/** The default of --call-timeout: far longer than any sane call of a spec's code, short enough to notice. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** Loading a module also transpiles it and its imports (about a second on a busy machine): never limited below this. */
export const MIN_LOAD_TIMEOUT_MS = 5000;
/** How long a spec may take to stop after a signal or --max-time before its worker is terminated. */
export const STOP_GRACE_MS = 1000;
/** After a signal, the longest a check that is still making progress may take to return its partial result. */
export const STOP_HARD_LIMIT_MS = 5000;
/** How often the watchdog looks at the workers. */
const WATCHDOG_TICK_MS = 100;

/** A job worker as the main thread sees it. */
interface Slot {
  /** A job worker in a process of its own (worker-process.ts): its phase and heartbeat are w.status. */
  readonly w: WorkerProcess;
  /** Diagnosing a hang (call-limit.ts): used for one spec, then terminated. */
  readonly diagnosing: boolean;
  /** The spec it is checking. */
  index?: number;
  lastBeat: number;
  lastBeatAt: number;
  /** When it started running the spec's code (loading the module). */
  loadAt?: number;
  /** The params its spec is checked with, once it loaded (paramsInForce). */
  params?: string;
  killed: boolean;
}

/**
 * Checks each spec file in a pool of worker threads. Never rejects for a spec problem
 * (those are error outcomes). A watchdog on the main thread terminates a worker whose
 * spec's code does not return: after a signal (STOP_GRACE_MS; the spec is then not
 * checked), past --max-time (an error), or when one call runs longer than
 * --call-timeout (then a fresh worker re-runs the spec with each call limited, which
 * names the call and its trace: call-limit.ts).
 */
export function runJobs(files: readonly string[], settings: JobSettings, options: RunJobsOptions = {}): Promise<JobsReport> {
  const stop = options.stop ?? new StopFlag();
  const size = Math.max(1, Math.min(options.jobs ?? defaultJobs(), files.length));
  const callLimit = settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const loadLimit = settings.loadTimeoutMs ?? Math.max(callLimit, MIN_LOAD_TIMEOUT_MS);
  /** Each job process's share of --max-memory, watched while the spec's own code runs. */
  const memoryShare = settings.maxMemoryBytes === undefined ? undefined : settings.maxMemoryBytes / size;
  const outcomes: (JobOutcome | undefined)[] = new Array(files.length);
  const cancelled = new Set<number>();
  const live = new Set<Slot>();
  let nextToStart = 0;
  let nextToEmit = 0;
  let bailed = false;
  let finished = false;
  let stopSeenAt: number | undefined;

  return new Promise<JobsReport>((resolve) => {
    if (files.length === 0) return resolve({ outcomes: [], notChecked: [] });

    const emitReady = (): void => {
      while (nextToEmit < files.length && (outcomes[nextToEmit] !== undefined || cancelled.has(nextToEmit))) {
        const o = outcomes[nextToEmit++];
        if (o) options.onOutcome?.(o);
      }
    };

    const busy = (): Slot[] => [...live].filter((s) => s.index !== undefined);

    const finish = (): void => {
      if (finished || busy().length > 0) return;
      finished = true;
      clearInterval(timer);
      const all = [...live];
      live.clear();
      void Promise.allSettled(all.map((s) => s.w.terminate())).then(() => {
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

    const canStart = (): boolean => !bailed && !stop.raised && nextToStart < files.length;

    const run = (slot: Slot, index: number): void => {
      slot.index = index;
      slot.lastBeat = slot.w.status.beat;
      slot.lastBeatAt = Date.now();
      slot.loadAt = undefined;
      slot.params = undefined;
      const msg: ToWorker = { type: 'run', index, file: files[index]! };
      slot.w.postMessage(msg);
    };

    const startNext = (slot: Slot): void => {
      if (!canStart()) {
        slot.index = undefined;
        return finish();
      }
      run(slot, nextToStart++);
    };

    /** Terminates a worker; returns the spec it was checking. */
    const kill = (slot: Slot): number | undefined => {
      const index = slot.index;
      slot.killed = true;
      slot.index = undefined;
      live.delete(slot);
      void slot.w.terminate();
      return index;
    };

    const abortAll = (): void => {
      // --bail: the running checks are cancelled, not reported.
      for (const s of busy()) cancelled.add(kill(s)!);
      finish();
    };

    /** Records a spec's outcome; false when --bail ends the run. */
    const settle = (outcome: JobOutcome): boolean => {
      outcomes[outcome.index] = outcome;
      emitReady();
      if (options.bail && outcome.exit !== 0 && !bailed) {
        bailed = true;
        abortAll();
        return false;
      }
      return true;
    };

    /** After a worker was terminated: a fresh one takes the remaining specs. */
    const replace = (): void => {
      if (canStart()) startNext(spawn(false));
      else finish();
    };

    const spawn = (diagnosing: boolean): Slot => {
      // The worker's heap is bounded (resources.ts) and it runs in a process of its own
      // (worker-process.ts): running out is this spec's error, not the command's death.
      const workerData: Omit<JobWorkerData, 'stop' | 'status'> = { settings: diagnosing ? { ...settings, progress: false } : settings, diagnoseMs: diagnosing ? callLimit : undefined };
      const w = new WorkerProcess(jobWorkerUrl, workerData, {
        stop,
        heapMb: settings.maxMemoryBytes === undefined ? undefined : workerHeapMb(settings.maxMemoryBytes, size),
      });
      const slot: Slot = { w, diagnosing, lastBeat: 0, lastBeatAt: Date.now(), killed: false };
      live.add(slot);
      w.on('message', (m: FromWorker) => {
        if (finished || slot.killed || slot.index === undefined) return; // cancelled meanwhile
        if (m.type === 'progress') {
          options.onProgress?.(m.index, files[m.index]!, m.stats);
          return;
        }
        if (m.type === 'params') {
          slot.params = m.params;
          return;
        }
        if (m.type === 'stderr') {
          process.stderr.write(m.line);
          return;
        }
        const outcome =
          m.type === 'done'
            ? m.outcome
            : // Whatever escaped checkSpecFile is that spec's error alone: the others go on.
              errorOutcome(m.index, files[m.index]!, new JobInternalError(m.message, m.stack), settings);
        if (m.type === 'internal' && settings.verbose && m.stack) process.stderr.write(`${m.stack}\n`);
        slot.index = undefined;
        if (!settle(outcome)) return;
        if (slot.diagnosing) {
          kill(slot);
          replace();
        } else startNext(slot);
      });
      w.on('error', (e) => {
        // The worker died (out of memory, a spec that called process.exit...): an error
        // result for its spec; a fresh worker takes the remaining specs.
        if (slot.killed || finished) return;
        const index = kill(slot);
        if (index === undefined) return finish();
        const why =
          (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `the check of ${files[index]} ran out of memory (${slot.params ?? describeParams(settings.params)}): its JavaScript heap is limited to ${workerHeapMb(settings.maxMemoryBytes ?? Infinity, size)} MB (--max-memory ${Math.round((settings.maxMemoryBytes ?? 0) / 2 ** 20)} MB shared by --jobs ${size}); smaller params, or a larger --max-memory`
            : `the check of ${files[index]} stopped unexpectedly (${slot.params ?? describeParams(settings.params)}): ${e.message}`;
        if (settle(errorOutcome(index, files[index]!, new UsageError(why), settings))) replace();
      });
      w.on('exit', (code) => {
        // A worker that exits by itself while checking a spec (process.exit in a spec).
        if (!slot.killed && slot.index !== undefined) w.emit('error', new Error(`the worker exited with code ${code}`));
      });
      return slot;
    };

    const watchdog = (): void => {
      if (finished) return;
      const now = Date.now();
      if (stop.raised && stopSeenAt === undefined) stopSeenAt = now;
      for (const slot of busy()) {
        const index = slot.index!;
        const file = files[index]!;
        const beat = slot.w.status.beat;
        if (beat !== slot.lastBeat) {
          slot.lastBeat = beat;
          slot.lastBeatAt = now;
        }
        const phase = slot.w.status.phase;
        if (phase >= PHASE.load && slot.loadAt === undefined) slot.loadAt = now;
        const stale = now - slot.lastBeatAt;
        if (stopSeenAt !== undefined) {
          // A signal: a check still making progress (its stop polls beat) gets up to
          // STOP_HARD_LIMIT_MS to return its partial result; one stuck in the spec's
          // code (no beat for STOP_GRACE_MS) is terminated and reported as not checked.
          const since = now - stopSeenAt;
          if ((since >= STOP_GRACE_MS && stale >= STOP_GRACE_MS) || since >= STOP_HARD_LIMIT_MS) kill(slot);
          continue;
        }
        let error: SpecError | undefined;
        if (memoryShare !== undefined && phase >= PHASE.load && stale >= STOP_GRACE_MS && slot.w.rssBytes >= memoryShare) {
          // The search polls --max-memory itself (an incomplete result); this is one call of the spec's code that keeps allocating.
          error = new SpecError(
            `the check of ${file} ran out of memory (${slot.params ?? describeParams(settings.params)}): its process reached ${mb(slot.w.rssBytes)} MB, ` +
              `${size > 1 ? `its share of --max-memory ${mb(settings.maxMemoryBytes!)} MB over --jobs ${size}` : `--max-memory ${mb(settings.maxMemoryBytes!)} MB`}, ` +
              "while the spec's own code was running (loading it, compiling it with its params, or a call); smaller params, or a larger --max-memory",
          );
        } else if (phase === PHASE.load && stale >= loadLimit) {
          error = new SpecError(tooLongMessage(`loading the spec module (its top-level code)`, loadLimit, settings.loadTimeoutMs === undefined ? '--call-timeout' : '--load-timeout'));
        } else if (phase === PHASE.search && stale >= (slot.diagnosing ? 2 * callLimit + STOP_GRACE_MS : callLimit)) {
          // (A diagnosing worker's own limit fires first: it is given time to report.)
          if (!slot.diagnosing) {
            // Name the call: the same check again, each call of the spec's code limited.
            kill(slot);
            run(spawn(true), index);
            continue;
          }
          error = new SpecError(tooLongMessage("the spec's code (faultline could not tell which call)", callLimit));
        } else if (settings.maxTimeMs !== undefined && slot.loadAt !== undefined && now - slot.loadAt >= settings.maxTimeMs + STOP_GRACE_MS && stale >= STOP_GRACE_MS) {
          error = new SpecError(
            `--max-time ${settings.maxTimeMs / 1000} s: the check did not stop, the spec's code has not returned for ${(stale / 1000).toFixed(1)} s ` +
              `(an action, init or invariant that loops? --call-timeout names it)`,
          );
        }
        if (error === undefined) continue;
        kill(slot);
        if (settle(errorOutcome(index, file, error, settings))) replace();
      }
      if (stopSeenAt !== undefined) finish();
    };
    const timer = setInterval(watchdog, WATCHDOG_TICK_MS);

    for (let i = 0; i < size; i++) startNext(spawn(false));
  });
}
