// A swarm worker's walking thread: loads the spec, compiles it as the coordinator did,
// and runs the chunks of walks its process relays (swarm-worker.ts). It runs off the
// process's main thread so that the engine's messages (a lower walk found something:
// stop; the coordinator gone) are heard while a chunk runs; the limit they set is
// read between walks from shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSpec } from '../spec-file/load.js';
import { Search } from '../explore/search.js';
import { systemFor } from '../explore/spaces.js';
import { Walker, randomGenerator, walkSeed } from '../explore/simulate.js';
import type { RunSettings } from './run-hash.js';
import type { SwarmToCoordinator } from './swarm-protocol.js';

export interface WalkerData {
  readonly file: string;
  readonly settings: RunSettings;
  readonly depth: number;
  readonly seed: number;
  /** Int32 [0]: the highest walk number worth running (walks above a found one are not). */
  readonly limit: SharedArrayBuffer;
}

/** Asks for one chunk. */
export interface WalkRequest {
  readonly chunk: number;
  readonly from: number;
  readonly to: number;
}

export type FromWalker = { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string } | { readonly type: 'chunk'; readonly m: SwarmToCoordinator };

const port = parentPort!;
const data = workerData as WalkerData;
const post = (m: FromWalker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function start(): Promise<void> {
  const spec = await loadSpec(data.file, { typecheck: false });
  const { settings } = data;
  const system = systemFor(spec, settings.params, settings);
  const search = new Search(system, { recheckRate: settings.recheckRate, deadlock: settings.deadlock, liveness: false });
  let fresh: number[] = [];
  const walker = new Walker(search, (a, b) => fresh.push(a, b));
  const limit = new Int32Array(data.limit);
  const above = (w: number): boolean => w > Atomics.load(limit, 0);
  // Once a walk found something this walker is spent: the chunks after it are above that walk.
  let spent = false;
  port.on('message', (req: WalkRequest) => {
    if (spent || above(req.from)) return post({ type: 'chunk', m: { t: 'abandoned', chunk: req.chunk } });
    const generated = search.counts.generated;
    const coverage = Float64Array.from(search.counts.coverage);
    search.counts.depth = 0;
    fresh = [];
    let to = req.to;
    let found: { walk: number; what: string } | undefined;
    for (let w = req.from; w < req.to; w++) {
      if (above(w)) return post({ type: 'chunk', m: { t: 'abandoned', chunk: req.chunk } });
      const trace = walker.walk(randomGenerator(walkSeed(data.seed, w)), data.depth);
      if (trace !== undefined) {
        const f = search.found;
        found = { walk: w, what: f ? `${f.kind === 'deadlock' ? 'a deadlock' : `${f.property} violated`}: ${f.message}` : `a spec error: ${search.error?.message}` };
        to = w + 1;
        spent = true;
        break;
      }
    }
    const cov = search.counts.coverage.map((n, i) => n - coverage[i]!);
    const fingerprints = Int32Array.from(fresh);
    post(
      { type: 'chunk', m: { t: 'walked', r: { chunk: req.chunk, from: req.from, to, found, generated: search.counts.generated - generated, depth: search.counts.depth, coverage: cov, fingerprints } } },
      [fingerprints.buffer, cov.buffer],
    );
  });
  post({ type: 'ready' });
}

start().catch((e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }));
