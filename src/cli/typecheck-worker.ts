// Type-checks several spec files in one compiler run, in a worker thread, so the
// main thread stays free to answer SIGINT/SIGTERM during the seconds it takes
// (the compiler is synchronous).
import { parentPort, workerData } from 'node:worker_threads';
import { typecheckSpecs, typeErrorMessage } from '../spec-file/typecheck.js';

const files = workerData as string[];
const out: Record<string, string> = {};
for (const [file, errors] of typecheckSpecs(files)) out[file] = errors.length ? typeErrorMessage(file, errors) : '';
parentPort!.postMessage(out);
