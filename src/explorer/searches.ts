// "Find the shortest violation from here", on the server's side: one search at a
// time, in a worker thread (check-worker.ts) so the page stays responsive, with its
// progress, a stop (a shared flag the search polls) and its result kept for the page
// to poll. The worker is started with the server and loads the spec once, so a
// search costs what `check` costs from that state, not a spec load.
import { Worker } from 'node:worker_threads';
import type { Stats } from '../explore/types.js';
import { ApiError, type PathRequest } from './api.js';

export type ToWorker = { readonly type: 'run'; readonly id: number; readonly req: PathRequest; readonly stop: SharedArrayBuffer };

export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly stats: Stats }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly verdict: 'violation' | 'ok' | 'incomplete' | 'error';
      readonly message?: string;
      readonly stats?: Stats;
      readonly property?: string;
      readonly kind?: string;
      /** The initial state the violation starts from (a search from step 0 starts from all of them). */
      readonly init?: number;
      /** The violation's steps from the search's start, as path keys. */
      readonly keys?: string[];
      /** A lasso (a liveness violation): the step of the whole path (the path searched from, then keys) that its last state returns to. */
      readonly loop?: number;
    };

export interface SearchJob {
  readonly id: number;
  status: 'running' | 'done';
  /** Where the search started (the path it extends). */
  readonly from: PathRequest;
  readonly startedAt: number;
  finishedAt?: number;
  stats?: Stats;
  result?: Omit<Extract<FromWorker, { type: 'done' }>, 'type' | 'id'>;
  readonly stop: SharedArrayBuffer;
}

const workerUrl = new URL('./check-worker.js', import.meta.url);
const KEEP = 20;

export class Searches {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, SearchJob>();
  private nextId = 1;

  constructor(private readonly file: string) {}

  /** Starts the worker now, so that the spec is loaded before the first search. */
  warm(): void {
    this.ensureWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(workerUrl, { workerData: { file: this.file } });
    w.unref();
    w.on('message', (m: FromWorker) => {
      const job = this.jobs.get(m.id);
      if (job === undefined) return;
      if (m.type === 'progress') job.stats = m.stats;
      else {
        const { type: _t, id: _i, ...result } = m;
        job.result = result;
        job.stats = m.stats ?? job.stats;
        job.status = 'done';
        job.finishedAt = Date.now();
      }
    });
    w.on('error', (e) => this.workerLost(w, `the search stopped unexpectedly: ${e.message}`));
    w.on('exit', (code) => this.workerLost(w, `the search worker exited (code ${code})`));
    this.worker = w;
    return w;
  }

  /** The worker died (out of memory, a spec that exits): its search ends with an error; the next search starts a new one. */
  private workerLost(w: Worker, message: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    for (const job of this.jobs.values()) {
      if (job.status === 'running') {
        job.status = 'done';
        job.result = { verdict: 'error', message };
        job.finishedAt = Date.now();
      }
    }
  }

  start(req: PathRequest): SearchJob {
    for (const j of this.jobs.values()) {
      if (j.status === 'running') throw new ApiError(409, `search ${j.id} is still running; stop it first (DELETE /api/check/${j.id})`);
    }
    const job: SearchJob = { id: this.nextId++, status: 'running', from: req, startedAt: Date.now(), stop: new SharedArrayBuffer(4) };
    this.jobs.set(job.id, job);
    if (this.jobs.size > KEEP) this.jobs.delete(this.jobs.keys().next().value!);
    const msg: ToWorker = { type: 'run', id: job.id, req, stop: job.stop };
    this.ensureWorker().postMessage(msg);
    return job;
  }

  get(id: number): SearchJob {
    const job = this.jobs.get(id);
    if (job === undefined) throw new ApiError(404, `no search ${id} (searches are kept while the server runs, the last ${KEEP})`);
    return job;
  }

  /** Asks the search to stop; it answers with what it found so far (incomplete, 'interrupted'). */
  stop(id: number): SearchJob {
    const job = this.get(id);
    if (job.status === 'running') Atomics.store(new Int32Array(job.stop), 0, 1);
    return job;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

/** A job as the API shows it. */
export function jobJson(job: SearchJob): Record<string, unknown> {
  return {
    id: job.id,
    status: job.status,
    from: job.from,
    elapsedMs: (job.finishedAt ?? Date.now()) - job.startedAt,
    ...(job.stats ? { stats: { distinctStates: job.stats.distinctStates, generatedStates: job.stats.generatedStates, depth: job.stats.depth, queueSize: job.stats.queueSize, durationMs: job.stats.durationMs } } : {}),
    ...(job.result ? { result: job.result } : {}),
  };
}
