// A cluster worker (`faultline worker spec.ts --cluster URL`): hosts shards of a search
// coordinated elsewhere — one when every worker has joined, several while fewer
// workers than shards are there (a worker that joins later takes one of them over).
// A shard's level runs without returning to the event loop (Shard.level() reads its
// mail synchronously), and the engine's client is async, so each shard runs on a
// thread of its own — the very shard thread of `--workers`
// (explore/parallel/shard-worker.ts), with its message channels and the shared mail
// counters — and this process's main thread relays: the coordinator's messages to
// the shards, their replies to the coordinator, their batches for shard t to t's
// thread (here) or t's process (the route the coordinator sends), and batches from
// the others into the channel the shard reads them from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CONTROL_MAIL, CONTROL_STOP, type FromShard, type ShardData, type ShardMail } from '../explore/parallel/messages.js';
import type { Batch } from '../explore/parallel/exchange.js';
import { Bus, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import type { ClusterMessage, ToWorker } from './protocol.js';
import { refusalOf, type RunSettings } from './run-hash.js';
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

/** A shard thread of this process, and this thread's end of its channel to every other shard. */
interface Hosted {
  readonly thread: Worker;
  readonly ports: (MessagePort | undefined)[];
  released: boolean;
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
  let settings: RunSettings | undefined;
  let shards = 0;
  /** Every shard's process, as the coordinator last said. */
  let route: readonly string[] = [];
  const hosted = new Map<number, Hosted>();
  let control: Int32Array | undefined;
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
  const shardName = (s: number) => `shard ${s + 1} of ${shards}`;

  /** Puts a batch from shard `from` into the channel shard `to` (a thread here) reads, and wakes it. */
  const deliver = (to: number, from: number, batch: Batch, transfer: ArrayBuffer[] = []): void => {
    const h = hosted.get(to);
    const port = h?.ports[from];
    if (h === undefined || h.released || port === undefined) return fail(`a batch for ${shardName(to)}, which this worker does not host`);
    port.postMessage({ from, batch } satisfies ShardMail, transfer);
    Atomics.add(control!, CONTROL_MAIL + to, 1);
    Atomics.notify(control!, CONTROL_MAIL + to);
  };

  /** Relays shard `from`'s batches for shard `to`: to its thread if it is here, else to its process. */
  const relay = (from: number, to: number, mail: ShardMail): void => {
    if (over) return;
    const host = route[to];
    if (host === id) return deliver(to, from, mail.batch, [mail.batch.records.buffer as ArrayBuffer]);
    if (host === undefined) return fail(`${shardName(from)} sent a batch to ${shardName(to)} before the coordinator said where it is`);
    void bus.send(host, { t: 'batch', from, to, batch: mail.batch }).then(
      (n) => n === 0 && fail(`the worker of ${shardName(to)} (${host}) is gone`),
      (e: unknown) => fail(`cannot reach the engine: ${(e as Error).message}`),
    );
  };

  /** Refuses the run (another spec or settings): tells the coordinator why, then exits 2. */
  const refuse = (message: string): void => {
    toCoordinator({ t: 'refused', message });
    over = true;
    options.note(`refused to join: ${message}`);
    setTimeout(() => finish(2), 100);
  };

  const welcome = (w: Extract<ToWorker, { t: 'welcome' }>): void => {
    const refusal = refusalOf(source, file, w.settings, w.hash);
    if (refusal !== undefined) return refuse(refusal);
    settings = w.settings;
    shards = w.shards;
    // Shared by this process's shard threads: the stop word and one mail counter per shard.
    control = new Int32Array(new SharedArrayBuffer((CONTROL_MAIL + w.shards) * 4));
    toCoordinator({ t: 'accepted' });
    options.note(`joined a search of ${w.shards} shard${w.shards === 1 ? '' : 's'} (${id}), spec ${path.relative(process.cwd(), file) || file}`);
  };

  /** Starts the thread of shard `s`: one channel per other shard, its port1 end to the thread, its port2 end relayed here. */
  const host = (s: number): void => {
    if (hosted.has(s) && !hosted.get(s)!.released) return fail(`asked to host ${shardName(s)} twice`);
    const threadEnds: (MessagePort | undefined)[] = [];
    const ports: (MessagePort | undefined)[] = [];
    for (let t = 0; t < shards; t++) {
      if (t === s) {
        threadEnds.push(undefined);
        ports.push(undefined);
        continue;
      }
      const { port1, port2 } = new MessageChannel();
      threadEnds.push(port1);
      ports.push(port2);
      port2.on('message', (mail: ShardMail) => relay(s, t, mail));
    }
    const data: ShardData = { file, ...settings!, index: s, shards, ports: threadEnds, control: control!.buffer as SharedArrayBuffer };
    const thread = new Worker(shardWorkerUrl, { workerData: data, transferList: threadEnds.filter((p): p is MessagePort => p !== undefined) });
    const h: Hosted = { thread, ports, released: false };
    hosted.set(s, h);
    // Once this worker has stopped (a lost or duplicated batch), nothing of its shards counts any more.
    thread.on('message', (m: FromShard) => !over && !h.released && toCoordinator({ t: 'reply', shard: s, m }));
    thread.on('error', (e) => fail(`the search thread of ${shardName(s)} failed: ${e.message}`));
    thread.on('exit', (code) => {
      if (!h.released) fail(`the search thread of ${shardName(s)} exited (code ${code})`);
    });
    options.note(`hosts ${shardName(s)}`);
  };

  /** Shard `s` now lives in another process (it was dumped and loaded there): its thread ends. */
  const release = (s: number): void => {
    const h = hosted.get(s);
    if (h === undefined || h.released) return fail(`asked to give up ${shardName(s)}, which this worker does not host`);
    h.released = true;
    for (const p of h.ports) p?.close();
    h.thread.unref();
    void h.thread.terminate();
    hosted.delete(s);
    options.note(`${shardName(s)} moved to another worker`);
  };

  const receive = (m: Envelope<ClusterMessage>): void => {
    const body = m.body as ToWorker;
    if (over) return;
    if (coordinator === undefined) {
      if (body.t === 'bye') {
        // A coordinator whose search has every worker it can use.
        over = true;
        options.note(`not needed: ${body.reason}`);
        finish(0);
        return;
      }
      if (body.t === 'swarm') {
        coordinator = m.from;
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
      case 'host':
        // For the tests: this process dies by SIGKILL as a shard is moving to it.
        if (process.env.FAULTLINE_CLUSTER_KILL_ON_HOST === '1') process.kill(process.pid, 'SIGKILL');
        host(body.shard);
        break;
      case 'release':
        release(body.shard);
        break;
      case 'route':
        route = body.hosts;
        // In order before the next level's message: the threads forget their exchange with the moved shards' old threads.
        if (body.moved.length > 0) for (const h of hosted.values()) h.thread.postMessage({ type: 'moved', shards: body.moved });
        toCoordinator({ t: 'routed' });
        break;
      case 'shard': {
        // For the tests: this process dies by SIGKILL as the level at that depth starts (the others are in it).
        if (body.m.type === 'level' && String(body.m.depth) === process.env.FAULTLINE_CLUSTER_KILL_AT_DEPTH) process.kill(process.pid, 'SIGKILL');
        const h = hosted.get(body.shard);
        if (h === undefined) return fail(`a message for ${shardName(body.shard)}, which this worker does not host`);
        h.thread.postMessage(body.m);
        break;
      }
      case 'batch':
        if (m.from !== route[body.from]) return fail(`a batch from ${m.from}, which does not host ${shardName(body.from)}`);
        // Copied, not transferred: the deserialised records may be a view of the socket's
        // own buffer, which a transfer would detach under the engine client's parser.
        deliver(body.to, body.from, body.batch);
        break;
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
    for (const h of hosted.values()) {
      h.released = true;
      h.thread.unref();
      await h.thread.terminate();
    }
    await bus.close();
  }
}
