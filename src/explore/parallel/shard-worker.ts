// A shard's thread: loads the spec itself, compiles it as the coordinator did, and
// runs its Shard (shard.ts) on what the coordinator sends. Batches from the other
// shards are read synchronously (receiveMessageOnPort) between expansions, so a
// level runs without returning to the event loop.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SpecError } from '../../core/errors.js';
import { loadSpec } from '../../spec-file/load.js';
import { Search } from '../search.js';
import { CONTROL_BEAT, CONTROL_MAIL, CONTROL_STOP, type FromShard, type ShardData, type ShardMail, type ToShard } from './messages.js';
import { Shard } from './shard.js';
import { spaceFor, systemFor } from '../spaces.js';

const port = parentPort!;
const data = workerData as ShardData;
const post = (m: FromShard, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function start(): Promise<void> {
  const spec = await loadSpec(data.file, { typecheck: false });
  const system = systemFor(spec, data.params, data);
  const search = new Search(system, { recheckRate: data.recheckRate, deadlock: data.deadlock, liveness: false });
  const control = new Int32Array(data.control);
  const mail = CONTROL_MAIL + data.index;
  let shard: Shard | undefined;
  const deliver = (m: ShardMail) => shard!.receive(m.from, m.batch);
  shard = new Shard(search, spaceFor(search, true), data.index, data.shards, {
    send(to, batch) {
      // Copied, not transferred: the first ArrayBuffer a thread detaches invalidates V8's
      // detaching protector, which deoptimises every function reading a typed array (the
      // hasher, the visited set, the codecs) and compiles them again with checks; measured
      // on two-phase rms=7 with 2 workers: 119 → 75 deopts, 5% less CPU (median of 3). A
      // batch is a small slice of the outbox; a level's stamps are small too.
      data.ports[to]!.postMessage({ from: data.index, batch } satisfies ShardMail);
      Atomics.add(control, CONTROL_MAIL + to, 1);
      Atomics.notify(control, CONTROL_MAIL + to);
    },
    pump(ms) {
      for (;;) {
        const seen = Atomics.load(control, mail);
        let any = false;
        for (const p of data.ports) {
          for (let m = p && receiveMessageOnPort(p); m; m = receiveMessageOnPort(p!)) {
            deliver(m.message as ShardMail);
            any = true;
          }
        }
        if (any || ms <= 0) return;
        // Nothing yet: sleep until a sender raises this shard's mail counter (or ms pass).
        if (Atomics.wait(control, mail, seen, ms) === 'timed-out') return;
      }
    },
    stopped: () => Atomics.load(control, CONTROL_STOP) !== 0,
    beat: () => void Atomics.add(control, CONTROL_BEAT, 1),
  });
  port.on('message', (m: ToShard) => {
    try {
      if (m.type === 'seed') {
        shard!.seed(m.fps, m.batch, m.links, m.fullChecksLeft);
        post({ type: 'seeded' });
      } else if (m.type === 'moved') {
        shard!.moved(m.shards);
      } else if (m.type === 'dump') {
        const dumped = shard!.dump(m.queued);
        // Transferred: the visited set can be hundreds of MB, and a dump is rare (a checkpoint).
        post(dumped, [dumped.visited.buffer as ArrayBuffer, dumped.batch.records.buffer as ArrayBuffer, dumped.links.parents.buffer as ArrayBuffer, dumped.links.actions.buffer as ArrayBuffer]);
      } else if (m.type === 'links') {
        post({ type: 'linked', ...shard!.linksAt(m.at) });
      } else {
        const done = shard!.level(m.ids, m.depth, m.probe);
        post(done);
      }
    } catch (e) {
      const err = e as Error;
      post({ type: 'failed', message: err?.message ?? String(e), name: err?.name, stack: err?.stack });
    }
  });
  post({ type: 'ready' });
}

start().catch((e: unknown) => {
  const err = e as Partial<SpecError> & Error;
  post({ type: 'failed', message: err?.message ?? String(e), handler: err?.handler, stack: err?.stack });
});
