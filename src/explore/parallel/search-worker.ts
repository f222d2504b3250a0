// A search worker thread: loads the packed spec itself and runs its LevelSearch
// (level-search.ts) on what the coordinator sends it.
import { parentPort, workerData } from 'node:worker_threads';
import type { SpecError } from '../../core/errors.js';
import { loadSpec } from '../../spec-file/load.js';
import type { TransitionSystem } from '../system.js';
import { LevelSearch } from './level-search.js';
import type { FromWorker, SearchWorkerData, ToWorker } from './messages.js';

const port = parentPort!;
const data = workerData as SearchWorkerData;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function start(): Promise<void> {
  const spec = await loadSpec(data.file, { typecheck: false });
  const system: TransitionSystem<unknown> = spec.compile(data.params as never);
  if (system.packed === undefined) throw new Error(`${data.file} is not a packed spec`);
  const level = new LevelSearch(system, { control: data.control, recheckRate: data.recheckRate, deadlock: data.deadlock });
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'expand') {
        const reply = level.expand(m);
        post(reply, [reply.coverage.buffer as ArrayBuffer]);
      } else post(m.type === 'filter' ? level.filter(m) : level.rehash(m));
    } catch (e) {
      const err = e as Error;
      post({ type: 'failed', message: err?.message ?? String(e), stack: err?.stack });
    }
  });
  post({ type: 'ready', instances: system.packed.instances.length, words: system.packed.layout.words });
}

start().catch((e: unknown) => {
  const err = e as Partial<SpecError> & Error;
  post({ type: 'failed', message: err?.message ?? String(e), handler: err?.handler, stack: err?.stack });
});
