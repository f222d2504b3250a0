// A cluster worker (`faultline worker spec.ts --cluster URL`): one shard of a search
// coordinated elsewhere. A shard's level runs without returning to the event loop
// (Shard.level() reads its mail synchronously), and the engine's client is async, so
// the shard runs on a thread of its own — the very shard thread of `--workers`
// (explore/parallel/shard-worker.ts), with its message channels and shared mail
// counter — and this process's main thread relays: the coordinator's messages to the
// shard, the shard's replies to the coordinator, its batches for shard s to s's
// process, and batches from the others into the channel the shard reads them from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CONTROL_MAIL, CONTROL_STOP, type FromShard, type ShardData, type ShardMail } from '../explore/parallel/messages.js';
import { Bus, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import type { ClusterMessage, ToWorker } from './protocol.js';
import { runHash } from './run-hash.js';
import { joinSwarm, type SwarmWorker } from './swarm-worker.js';

const shardWorkerUrl = new URL('../explore/parallel/shard-worker.js', import.meta.url);
/** How often a worker repeats its hello until a coordinator answers, and checks that its coordinator is still there. */
const HELLO_MS = 300;
const WATCH_MS = 300;

export interface WorkerOptions {
  readonly url: string;
  readonly file: string;
  /** Lines for the user (stderr). */
  readonly note: (line: string) => void;
}

/** Serves one search; resolves with the exit code (0 when the coordinator said bye, 2 on a failure). */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const file = path.resolve(options.file);
  let source: Buffer;
  try {
    source = fs.readFileSync(file);
  } catch (e) {
    throw new ClusterError(`cannot read the spec file ${options.file}: ${(e as Error).message}`);
  }
  const id = processId();
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let coordinator: string | undefined;
  let shard: Worker | undefined;
  let ports: (MessagePort | undefined)[] = [];
  let control: Int32Array | undefined;
  let index = -1;
  let workers: readonly string[] = [];
  let over = false;
  /** When the coordinator runs a swarm (simulate --cluster) instead of a search: swarm-worker.ts. */
  let swarm: SwarmWorker | undefined;

  const fail = (why: string): void => {
    if (over) return;
    over = true;
    options.note(`stopped: ${why}`);
    if (coordinator !== undefined) void bus.send(coordinator, { t: 'lost', message: why }).catch(() => 0).then(() => finish(2));
    else finish(2);
  };
  const toCoordinator = (body: ClusterMessage): void => {
    void bus.send(coordinator!, body).then(
      (n) => n === 0 && fail('the coordinator is gone'),
      (e: unknown) => fail(`cannot reach the engine: ${(e as Error).message}`),
    );
  };

  const welcome = (w: Extract<ToWorker, { t: 'welcome' }>): void => {
    const mine = runHash(source, w.settings);
    if (mine !== w.hash) {
      const message = `its spec file ${file} is not the coordinator's (sha256 of faultline's version, the spec and its settings: ${mine.slice(0, 12)}… here, ${w.hash.slice(0, 12)}… there)`;
      toCoordinator({ t: 'refused', message });
      over = true;
      options.note(`refused to join: ${message}`);
      setTimeout(() => finish(2), 100);
      return;
    }
    index = w.index;
    workers = w.workers;
    control = new Int32Array(new SharedArrayBuffer((CONTROL_MAIL + w.shards) * 4));
    // One channel per other shard: its port1 end goes to the shard thread (as between threads), its port2 end stays here.
    const mineEnds: (MessagePort | undefined)[] = [];
    ports = [];
    for (let s = 0; s < w.shards; s++) {
      if (s === w.index) {
        mineEnds.push(undefined);
        ports.push(undefined);
        continue;
      }
      const { port1, port2 } = new MessageChannel();
      mineEnds.push(port1);
      ports.push(port2);
      const to = workers[s]!;
      port2.on('message', (mail: ShardMail) => {
        if (over) return;
        void bus.send(to, { t: 'batch', from: index, batch: mail.batch }).then(
          (n) => n === 0 && fail(`worker ${s + 1} of ${w.shards} (${to}) is gone`),
          (e: unknown) => fail(`cannot reach the engine: ${(e as Error).message}`),
        );
      });
    }
    const data: ShardData = {
      file,
      ...w.settings,
      index: w.index,
      shards: w.shards,
      ports: mineEnds,
      control: control.buffer as SharedArrayBuffer,
    };
    shard = new Worker(shardWorkerUrl, { workerData: data, transferList: mineEnds.filter((p): p is MessagePort => p !== undefined) });
    // Once this worker has stopped (a lost or duplicated batch), nothing of its shard counts any more.
    shard.on('message', (m: FromShard) => !over && toCoordinator({ t: 'reply', m }));
    shard.on('error', (e) => fail(`its search thread failed: ${e.message}`));
    shard.on('exit', (code) => {
      if (!over) fail(`its search thread exited (code ${code})`);
    });
    toCoordinator({ t: 'accepted' });
    options.note(`joined as worker ${w.index + 1} of ${w.shards} (${id}), spec ${path.relative(process.cwd(), file) || file}`);
  };

  const receive = (m: Envelope<ClusterMessage>): void => {
    const body = m.body as ToWorker;
    if (over) return;
    if (coordinator === undefined) {
      if (body.t === 'swarm') {
        coordinator = m.from;
        const refuse = (message: string): void => {
          toCoordinator({ t: 'refused', message });
          over = true;
          options.note(`refused to join: ${message}`);
          setTimeout(() => finish(2), 100);
        };
        swarm = joinSwarm(body, { file, source, id, note: options.note, send: toCoordinator, fail, refuse });
        return;
      }
      if (body.t !== 'welcome') return;
      coordinator = m.from;
      welcome(body);
      return;
    }
    if (m.from !== coordinator && body.t !== 'batch') return;
    switch (body.t) {
      case 'shard':
        // For the tests: this process dies by SIGKILL as the level at that depth starts (the others are in it).
        if (body.m.type === 'level' && String(body.m.depth) === process.env.FAULTLINE_CLUSTER_KILL_AT_DEPTH) process.kill(process.pid, 'SIGKILL');
        shard?.postMessage(body.m);
        break;
      case 'batch': {
        const port = ports[body.from];
        if (port === undefined || m.from !== workers[body.from]) return fail(`a batch from an unknown sender ${m.from}`);
        // Copied, not transferred: the deserialised records may be a view of the socket's
        // own buffer, which a transfer would detach under the engine client's parser.
        port.postMessage({ from: body.from, batch: body.batch } satisfies ShardMail);
        Atomics.add(control!, CONTROL_MAIL + index, 1);
        Atomics.notify(control!, CONTROL_MAIL + index);
        break;
      }
      case 'stop':
        Atomics.store(control!, CONTROL_STOP, 1);
        break;
      case 'bye':
        over = true;
        options.note(`done: ${body.reason}`);
        finish(0);
        break;
      case 'walks':
      case 'walk-limit':
        swarm?.receive(body);
        break;
      case 'welcome':
      case 'swarm':
        break; // a second coordinator's: this worker serves one search
    }
  };

  const bus = await Bus.open<ClusterMessage>(options.url, id, [inboxOf(id)], receive, (why) => fail(why));
  // For the tests: the first batch this worker sends another is published twice (the receiver must notice).
  if (process.env.FAULTLINE_CLUSTER_DUPLICATE_BATCH === '1') bus.duplicateOnce = (b) => b.t === 'batch';
  options.note(`waiting for a coordinator at ${shownUrl(options.url)}`);
  const hello = { t: 'hello' as const, host: os.hostname(), pid: process.pid, file };
  const timer = setInterval(() => {
    if (coordinator === undefined) void bus.announce(hello).catch(() => {});
    else
      void bus.listening(coordinator).then(
        (yes) => {
          // A bye may still be on its way when the coordinator has left: give it a moment.
          if (!yes) setTimeout(() => fail('the coordinator left the cluster'), 200);
        },
        () => {},
      );
  }, Math.min(HELLO_MS, WATCH_MS));
  void bus.announce(hello).catch(() => {});
  try {
    return await finished;
  } finally {
    clearInterval(timer);
    await swarm?.close();
    if (shard) {
      shard.unref();
      await shard.terminate();
    }
    await bus.close();
  }
}
