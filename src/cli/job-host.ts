// A job process (see job-process.ts): a child process that runs one job worker thread
// (job-worker.ts) and relays between it and the `check` process. The spec's code runs
// in that thread, so this process's main thread stays free: it mirrors the worker's
// phase and heartbeat to the parent, raises the worker's stop flag when asked, and
// reports how the worker ended. If the spec's code makes V8 abort the whole process
// (one allocation bigger than what is left of the worker's heap), only this process
// dies: the parent reports that spec's error and the others go on.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { StopFlag, WorkerStatus } from './worker-status.js';
import type { JobWorkerData } from './jobs.js';
import type { FromJobHost, ToJobHost } from './job-process.js';

if (process.send === undefined) throw new Error('job-host.js runs as a child process with an IPC channel (see job-process.ts)');
const send = (m: FromJobHost): void => void process.send!(m);

// A terminal's Ctrl-C reaches the whole process group: the parent decides what a signal
// does (it asks this process to stop), so this one does not die of it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// The parent is gone (killed): nothing left to report to.
process.on('disconnect', () => process.exit(0));

const STATUS_TICK_MS = 50;

let worker: Worker | undefined;
const stop = new StopFlag();
const status = new WorkerStatus();

process.on('message', (m: ToJobHost) => {
  if (m.type === 'start') {
    const data: JobWorkerData = { settings: m.settings, diagnoseMs: m.diagnoseMs, stop: stop.buffer, status: status.buffer };
    const resourceLimits: ResourceLimits | undefined = m.heapMb === undefined ? undefined : { maxOldGenerationSizeMb: m.heapMb };
    worker = new Worker(new URL('./job-worker.js', import.meta.url), { workerData: data, resourceLimits });
    worker.on('message', (message: unknown) => send({ type: 'worker', message }));
    worker.on('error', (e: Error & { code?: string }) => send({ type: 'worker-error', code: e.code, message: e.message }));
    worker.on('exit', (code) => send({ type: 'worker-exit', code }));
    // The parent's watchdog reads the worker's phase and heartbeat, and this process's
    // resident memory, from these messages.
    setInterval(() => send({ type: 'status', phase: status.phase, beat: status.beat, rssBytes: process.memoryUsage.rss() }), STATUS_TICK_MS);
  } else if (m.type === 'stop') stop.raise();
  else if (m.type === 'run') worker?.postMessage(m.message);
});
