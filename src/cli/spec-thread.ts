// Runs a command that executes the spec's code (simulate, list, replay) in a worker
// thread of a process of its own (worker-process.ts), and watches it from the main
// thread, which stays free whatever the spec's code does. So
// - SIGINT / SIGTERM end the command at once with 130 / 143 (the worker is terminated);
// - a call of the spec's code that never returns is noticed: the worker bumps a
//   heartbeat in shared memory at each call (call-limit.ts) and the main thread sees
//   it stop; module load gets --load-timeout, by default max(--call-timeout, MIN_LOAD_TIMEOUT_MS);
// - the worker's process reaching --max-memory while the spec's code runs (a huge -p
//   allocating in `compile`) ends it, and the worker's JavaScript heap is bounded
//   (resources.ts): either ends in a clean spec error naming the params, even when V8
//   aborts the worker's process (one allocation bigger than the heap has left).
// The worker posts { type: 'done', exit } and then ends by itself: its stdout reaches
// the process's before the 'exit' event (Node flushes a worker's stdio as it ends).
import { SpecError } from '../core/errors.js';
import { UsageError } from '../core/params.js';
import { PHASE, MIN_LOAD_TIMEOUT_MS, STOP_GRACE_MS } from './jobs.js';
import { WorkerProcess } from './worker-process.js';
import { workerHeapMb } from './resources.js';
import { earlySignal, onSignal, signalExit, type StopSignal } from './signals.js';

export { PHASE };

/** How a command run in a spec thread ended. */
export type ThreadEnd =
  | { readonly kind: 'done'; readonly exit: number }
  | { readonly kind: 'signal'; readonly signal: StopSignal }
  /** Loading the spec module took longer than `limitMs` (`flag` set it). */
  | { readonly kind: 'load-timeout'; readonly limitMs: number; readonly flag: '--call-timeout' | '--load-timeout' }
  /** No call of the spec's code started for `limitMs` while the command was running it. */
  | { readonly kind: 'call-timeout'; readonly limitMs: number }
  /** The worker's process reached --max-memory while the spec's code was running. */
  | { readonly kind: 'memory'; readonly rssBytes: number }
  /** The worker's heap limit, or it died otherwise. */
  | { readonly kind: 'died'; readonly outOfMemory: boolean; readonly message: string }
  /** --max-time passed and the spec's code has not returned STOP_GRACE_MS later. */
  | { readonly kind: 'max-time' };

/** Messages from a spec thread: its own ones, and these. */
export type FromSpecThread =
  | { readonly type: 'done'; readonly exit: number }
  /** An error that ended the command: re-thrown on the main thread (main.ts prints it: exit 2, or 70 for an internal one). */
  | { readonly type: 'thrown'; readonly kind: 'usage' | 'spec' | 'internal'; readonly message: string; readonly stack?: string };

export interface SpecThreadOptions {
  /** The longest one call may run (--call-timeout); a watched phase's heartbeat may stop this long. */
  readonly callLimitMs: number;
  /** The longest module load may take (--load-timeout); default max(callLimitMs, MIN_LOAD_TIMEOUT_MS). */
  readonly loadLimitMs?: number;
  /** Staleness allowed while searching: callLimitMs for a worker whose calls are not limited themselves, longer for one whose are (it reports first). */
  readonly searchLimitMs: number;
  readonly maxMemoryBytes?: number;
  readonly maxTimeMs?: number;
  /** The worker's own messages (progress...). */
  readonly onMessage?: (m: { type: string }) => void;
}

export interface SpecThreadData<T> {
  readonly data: T;
  /** The phase and heartbeat (WorkerStatus). */
  readonly status: SharedArrayBuffer;
}

const WATCHDOG_TICK_MS = 100;

/** Runs `script` (a module using specThreadMain) with `data`; resolves when it ended, whichever way. */
export function runSpecThread<T>(script: URL, data: T, options: SpecThreadOptions): Promise<ThreadEnd> {
  const early = earlySignal();
  if (early !== undefined) return Promise.resolve({ kind: 'signal', signal: early });
  const heapMb = options.maxMemoryBytes === undefined ? undefined : workerHeapMb(options.maxMemoryBytes, 1);
  const workerData: Omit<SpecThreadData<T>, 'status'> = { data };
  const worker = new WorkerProcess(script, workerData, { heapMb });
  const status = (): { phase: number; beat: number } => worker.status;
  const started = Date.now();
  let lastBeat = status().beat;
  let lastBeatAt = started;
  let exit: number | undefined;
  let thrown: Error | undefined;
  let timer: NodeJS.Timeout | undefined;

  return new Promise<ThreadEnd>((resolve, reject) => {
    let over = false;
    const end = (e: ThreadEnd): void => {
      if (over) return;
      over = true;
      if (timer) clearInterval(timer);
      onSignal((sig) => process.exit(signalExit(sig)));
      void worker.terminate();
      resolve(e);
    };
    onSignal((signal) => end({ kind: 'signal', signal }));
    worker.on('message', (m: FromSpecThread | { type: string }) => {
      if (m.type === 'done') exit = (m as { exit: number }).exit;
      else if (m.type === 'thrown') {
        const t = m as Extract<FromSpecThread, { type: 'thrown' }>;
        thrown = t.kind === 'usage' ? new UsageError(t.message) : t.kind === 'spec' ? new SpecError(t.message) : new Error(t.message);
        if (t.stack) thrown.stack = t.stack;
      } else options.onMessage?.(m);
    });
    worker.on('error', (e) => {
      const outOfMemory = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      end({ kind: 'died', outOfMemory, message: e.message });
    });
    worker.on('exit', (code) => {
      if (over) return;
      over = true;
      if (timer) clearInterval(timer);
      onSignal((sig) => process.exit(signalExit(sig)));
      if (thrown) reject(thrown);
      else if (exit !== undefined) resolve({ kind: 'done', exit });
      else resolve({ kind: 'died', outOfMemory: false, message: `the worker exited with code ${code}` });
    });
    timer = setInterval(() => {
      const now = Date.now();
      const beat = status().beat;
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastBeatAt = now;
      }
      const stale = now - lastBeatAt;
      const phase = status().phase;
      if (phase === PHASE.idle) return; // faultline's own code (rendering, writing reports)
      if (options.maxMemoryBytes !== undefined && stale >= STOP_GRACE_MS) {
        // A search polls the memory itself and stops (incomplete); this is for the spec's own code.
        const rss = worker.rssBytes;
        if (rss >= options.maxMemoryBytes) return end({ kind: 'memory', rssBytes: rss });
      }
      if (options.maxTimeMs !== undefined && phase === PHASE.search && now - started >= options.maxTimeMs + STOP_GRACE_MS && stale >= STOP_GRACE_MS) return end({ kind: 'max-time' });
      const loadLimit = options.loadLimitMs ?? Math.max(options.callLimitMs, MIN_LOAD_TIMEOUT_MS);
      if (phase === PHASE.load && stale >= loadLimit) return end({ kind: 'load-timeout', limitMs: loadLimit, flag: options.loadLimitMs === undefined ? '--call-timeout' : '--load-timeout' });
      if (phase === PHASE.search && stale >= options.searchLimitMs) return end({ kind: 'call-timeout', limitMs: options.callLimitMs });
    }, WATCHDOG_TICK_MS);
  });
}
