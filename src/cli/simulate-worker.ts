// Runs `faultline simulate` off the main thread (see simulate-run.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { simulateReport, type SimulateFlags } from './simulate-run.js';

const port = parentPort!;
const { file, flags } = workerData as { file: string; flags: SimulateFlags };
const { stdout, exit } = await simulateReport(file, flags, {
  onLoaded: () => port.postMessage({ type: 'loaded' }),
  onProgress: (stats) => port.postMessage({ type: 'progress', stats }),
});
port.postMessage({ type: 'done', stdout, exit });
