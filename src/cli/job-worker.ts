// A job worker (see jobs.ts): checks the spec files the main thread sends it, one
// at a time, and posts back each outcome. The search polls the shared stop flag, so
// a signal on the main thread ends it with a partial (interrupted) result.
import { parentPort, workerData } from 'node:worker_threads';
import { StopFlag, checkSpecFile, type FromWorker, type JobWorkerData, type ToWorker } from './jobs.js';

const port = parentPort;
if (port === null) throw new Error('job-worker.js runs in a worker thread (see jobs.ts)');
const { settings, stop } = workerData as JobWorkerData;
const shouldStop = StopFlag.reader(stop);
const post = (m: FromWorker): void => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'run') return;
  checkSpecFile(m.index, m.file, settings, {
    shouldStop,
    onProgress: (stats) => post({ type: 'progress', index: m.index, stats }),
  }).then(
    (outcome) => post({ type: 'done', outcome }),
    (e: unknown) =>
      post({
        type: 'internal',
        index: m.index,
        message: e instanceof Error ? e.message : String(e),
        stack: e instanceof Error ? e.stack : undefined,
      }),
  );
});
