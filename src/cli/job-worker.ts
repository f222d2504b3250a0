// A job worker (see jobs.ts): checks the spec files the main thread sends it, one
// at a time, and posts back each outcome. The search polls the shared stop flag, so
// a signal on the main thread ends it with a partial (interrupted) result; each poll
// also bumps the worker's heartbeat, which the main thread's watchdog reads.
import { parentPort, workerData } from 'node:worker_threads';
import { PHASE, StopFlag, WorkerStatus, checkSpecFile, type FromWorker, type JobWorkerData, type ToWorker } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('job-worker.js runs in a worker thread (see jobs.ts)');
const { settings, stop, status, diagnoseMs } = workerData as JobWorkerData;
const stopped = StopFlag.reader(stop);
const heart = WorkerStatus.writer(status);
const shouldStop = (): boolean => {
  heart.beat();
  return stopped();
};
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'run') return;
  checkSpecFile(m.index, m.file, settings, {
    shouldStop,
    onProgress: (stats) => post({ type: 'progress', index: m.index, stats }),
    onParams: (params) => post({ type: 'params', index: m.index, params }),
    onStderr: (line) => post({ type: 'stderr', index: m.index, line }),
    phase: heart.phase,
    diagnoseMs,
  }).then(
    (outcome) => {
      heart.phase(PHASE.idle);
      post({ type: 'done', outcome });
    },
    (e: unknown) => {
      heart.phase(PHASE.idle);
      post({
        type: 'internal',
        index: m.index,
        message: e instanceof Error ? e.message : String(e),
        stack: e instanceof Error ? e.stack : undefined,
      });
    },
  );
});
