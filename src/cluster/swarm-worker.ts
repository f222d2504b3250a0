// A worker's side of a swarm (`simulate --cluster`), once the coordinator's welcome
// said so (worker.ts hands it over): checks the run hash, starts the walking thread
// (swarm-walker.ts) and relays chunks of walks to it and their outcomes back.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClusterMessage } from './protocol.js';
import { refusalOf } from './run-hash.js';
import type { SwarmToWorker } from './swarm-protocol.js';
import type { FromWalker, WalkRequest, WalkerData } from './swarm-walker.js';

const walkerUrl = new URL('./swarm-walker.js', import.meta.url);

export interface SwarmWorkerContext {
  readonly file: string;
  readonly source: Buffer;
  readonly id: string;
  readonly note: (line: string) => void;
  /** To the coordinator. */
  readonly send: (body: ClusterMessage) => void;
  /** Stops this worker (exit 2), telling the coordinator why. */
  readonly fail: (why: string) => void;
  /** Refuses to join (exit 2), telling the coordinator why. */
  readonly refuse: (message: string) => void;
}

export interface SwarmWorker {
  receive(body: SwarmToWorker): void;
  close(): Promise<void>;
}

/** Joins the swarm the welcome `w` describes; undefined when it refused. */
export function joinSwarm(w: Extract<SwarmToWorker, { t: 'swarm' }>, ctx: SwarmWorkerContext): SwarmWorker | undefined {
  const refusal = refusalOf(ctx.source, ctx.file, w.settings, w.hash);
  if (refusal !== undefined) {
    ctx.refuse(refusal);
    return undefined;
  }
  const limit = new Int32Array(new SharedArrayBuffer(4));
  limit[0] = 2 ** 31 - 1;
  const data: WalkerData = { file: ctx.file, settings: w.settings, depth: w.depth, seed: w.seed, limit: limit.buffer as SharedArrayBuffer };
  const walker = new Worker(walkerUrl, { workerData: data });
  let ready = false;
  let closing = false;
  let chunks = 0;
  walker.on('message', (m: FromWalker) => {
    if (m.type === 'failed') return ctx.fail(`its walking thread failed: ${m.message}`);
    if (m.type === 'chunk') return ctx.send(m.m);
    ready = true;
    ctx.send({ t: 'accepted' });
    ctx.note(`joined the swarm as worker ${w.index + 1} of ${w.workers} (${ctx.id}), spec ${path.relative(process.cwd(), ctx.file) || ctx.file}`);
  });
  walker.on('error', (e) => ctx.fail(`its walking thread failed: ${e.message}`));
  walker.on('exit', (code) => {
    if (!closing) ctx.fail(`its walking thread exited (code ${code}${ready ? '' : ', before the spec loaded'})`);
  });
  return {
    receive(body) {
      if (body.t === 'walks') {
        // For the tests: this process dies by SIGKILL when it is given its n-th chunk (the others go on walking).
        if (++chunks === Number(process.env.FAULTLINE_CLUSTER_KILL_AT_CHUNK)) process.kill(process.pid, 'SIGKILL');
        walker.postMessage({ chunk: body.chunk, from: body.from, to: body.to } satisfies WalkRequest);
      } else if (body.t === 'walk-limit') {
        if (body.walk < Atomics.load(limit, 0)) Atomics.store(limit, 0, body.walk);
      }
    },
    async close() {
      closing = true;
      walker.unref();
      await walker.terminate();
    },
  };
}
