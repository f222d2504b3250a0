// A worker thread in a child process of its own (worker-host.ts runs the thread), seen
// from the faultline process as the worker itself: messages, errors, exit, phase and
// heartbeat (WorkerStatus), and the process's resident memory. `check` runs its job
// workers this way (jobs.ts), simulate, list and replay their command worker
// (spec-thread.ts).
//
// Why a process and not just a thread: a worker thread's heap limit (resources.ts)
// turns a heap that grows into a clean ERR_WORKER_OUT_OF_MEMORY, but one allocation
// bigger than what is left of the heap (a spec's `new Array(2 ** 31)` filled with
// objects, a state space that explodes under a big -p) makes V8 abort the whole
// process (exit 134): every report lost. Measured: `check` of such a spec with
// --max-memory 400m aborted after 11 s with no JSON. In a child process, the abort
// ends that process only; its spec gets an out-of-memory error naming the params,
// and V8's dump on stderr is not shown. The cost: one process start per worker,
// measured within the noise of `check specs/diehard.ts` (1.8-2.4 s either way).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { StopFlag } from './worker-status.js';

export type ToWorkerHost =
  /** The thread's script and its workerData; the host adds `stop` and `status` (shared memory of its own). */
  | { readonly type: 'start'; readonly script: string; readonly workerData: Record<string, unknown>; readonly heapMb?: number }
  | { readonly type: 'post'; readonly message: unknown }
  | { readonly type: 'stop' };

export type FromWorkerHost =
  | { readonly type: 'worker'; readonly message: unknown }
  | { readonly type: 'worker-error'; readonly code?: string; readonly message: string }
  | { readonly type: 'worker-exit'; readonly code: number }
  | { readonly type: 'status'; readonly phase: number; readonly beat: number; readonly rssBytes: number };

/** What V8 prints when it aborts the process for lack of heap: from this line on, stderr is V8's dump. */
const V8_FATAL = /^(<--- Last few GCs --->|FATAL ERROR:)/;
const OUT_OF_MEMORY = /heap out of memory|Allocation failed/;
/** How often the stop flag is looked at (it is raised by a signal on the main thread). */
const STOP_TICK_MS = 20;

const hostUrl = new URL('./worker-host.js', import.meta.url);

export class WorkerProcess extends EventEmitter {
  private readonly child: ChildProcess;
  private phaseSeen = 0;
  private beatSeen = 0;
  /** The process's resident memory, as last reported. */
  rssBytes = 0;
  private exited = false;
  private readonly exitedPromise: Promise<void>;
  private readonly stopTimer: NodeJS.Timeout;

  /** `stop`: raised on this thread, it is raised in the worker (the search returns its partial result). */
  constructor(script: URL, workerData: Record<string, unknown>, options: { readonly stop?: StopFlag; readonly heapMb?: number }) {
    super();
    this.child = fork(hostUrl, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.send({ type: 'start', script: script.href, workerData, heapMb: options.heapMb });
    const stop = options.stop;
    let stopSent = false;
    this.stopTimer = setInterval(() => {
      if (stopSent || !stop?.raised) return;
      stopSent = true;
      this.send({ type: 'stop' });
    }, STOP_TICK_MS);

    // The worker's stderr (warnings, notes) goes on to ours, line by line, up to V8's dump.
    let pending = '';
    let fatal = false;
    let outOfMemory = false;
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (chunk: string) => {
      if (fatal) {
        outOfMemory ||= OUT_OF_MEMORY.test(chunk);
        return;
      }
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const [i, line] of lines.entries()) {
        if (V8_FATAL.test(line)) {
          fatal = true;
          outOfMemory = OUT_OF_MEMORY.test(lines.slice(i).join('\n') + pending);
          return;
        }
        process.stderr.write(line + '\n');
      }
    });

    this.child.on('message', (m: FromWorkerHost) => {
      if (m.type === 'status') {
        this.phaseSeen = m.phase;
        this.beatSeen = m.beat;
        this.rssBytes = m.rssBytes;
      } else if (m.type === 'worker') this.emit('message', m.message);
      else if (m.type === 'worker-error') this.emit('error', Object.assign(new Error(m.message), { code: m.code }));
      else if (m.type === 'worker-exit') this.emit('exit', m.code);
    });
    this.exitedPromise = new Promise((resolve) => {
      // 'close': the stderr pipe is drained, so V8's dump (if any) has been read.
      this.child.on('close', (code, signal) => {
        this.exited = true;
        clearInterval(this.stopTimer);
        if (pending && !fatal) process.stderr.write(pending);
        if (code !== 0) {
          const why = outOfMemory ? 'JavaScript heap out of memory (V8 aborted the worker process)' : `the worker process ended with ${signal ?? `exit code ${code}`}`;
          this.emit('error', Object.assign(new Error(why), { code: outOfMemory ? 'ERR_WORKER_OUT_OF_MEMORY' : undefined }));
        }
        this.emit('exit', code ?? 1);
        resolve();
      });
    });
    this.child.on('error', (e) => this.emit('error', e));
  }

  /** The worker's phase and heartbeat (WorkerStatus), as last reported. */
  get status(): { readonly phase: number; readonly beat: number } {
    return { phase: this.phaseSeen, beat: this.beatSeen };
  }

  postMessage(message: unknown): void {
    this.send({ type: 'post', message });
  }

  /** Ends the process at once (it holds no state worth saving). */
  terminate(): Promise<void> {
    clearInterval(this.stopTimer);
    if (!this.exited) this.child.kill('SIGKILL');
    return this.exitedPromise;
  }

  private send(m: ToWorkerHost): void {
    if (this.child.connected) this.child.send(m);
  }
}
