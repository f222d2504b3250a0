// A worker process (see worker-process.ts): a child process that runs one worker thread
// (job-worker.ts for `check`, command-worker.ts for simulate, list and replay) and
// relays between it and the faultline process. The spec's code runs in that thread, so
// this process's main thread stays free: it mirrors the thread's phase and heartbeat
// and its own resident memory to the parent, raises the thread's stop flag when asked,
// and reports how the thread ended. If the spec's code makes V8 abort the process (one
// allocation bigger than what is left of the thread's heap), only this process dies:
// the parent reports that spec's error, and its other specs and reports are complete.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { StopFlag, WorkerStatus } from './worker-status.js';
import type { FromWorkerHost, ToWorkerHost } from './worker-process.js';

if (process.send === undefined) throw new Error('worker-host.js runs as a child process with an IPC channel (see worker-process.ts)');
const send = (m: FromWorkerHost, then?: () => void): void => void process.send!(m, undefined, {}, then);

// A terminal's Ctrl-C reaches the whole process group: the parent decides what a signal
// does (it asks this process to stop, or ends it), so this one does not die of it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
// The parent is gone (killed): nothing left to report to.
process.on('disconnect', () => process.exit(0));

const STATUS_TICK_MS = 50;

let worker: Worker | undefined;
const stop = new StopFlag();
const status = new WorkerStatus();

process.on('message', (m: ToWorkerHost) => {
  if (m.type === 'start') {
    const workerData = { ...m.workerData, stop: stop.buffer, status: status.buffer };
    const resourceLimits: ResourceLimits | undefined = m.heapMb === undefined ? undefined : { maxOldGenerationSizeMb: m.heapMb };
    worker = new Worker(new URL(m.script), { workerData, resourceLimits });
    worker.on('message', (message: unknown) => send({ type: 'worker', message }));
    worker.on('error', (e: Error & { code?: string }) => send({ type: 'worker-error', code: e.code, message: e.message }));
    // The thread's stdout has reached this process's (Node flushes it as the thread
    // ends): once written, the parent hears of the exit, and this process ends.
    worker.on('exit', (code) => process.stdout.write('', () => send({ type: 'worker-exit', code }, () => process.exit(0))));
    // The parent's watchdog reads the thread's phase and heartbeat, and this process's
    // resident memory, from these messages.
    setInterval(() => send({ type: 'status', phase: status.phase, beat: status.beat, rssBytes: process.memoryUsage.rss() }), STATUS_TICK_MS).unref();
  } else if (m.type === 'stop') stop.raise();
  else if (m.type === 'post') worker?.postMessage(m.message);
});
