// Batch throughput of the two candidate message engines for --cluster (docs/cluster.md):
// one Node process sends BATCHES batches of 64 KiB (an Int32Array of 16,384 words, what
// a shard's outbox holds) to another on this machine, through nats-server (core
// publish/subscribe) and through redis-server (PUBLISH/SUBSCRIBE, and a list with
// RPUSH/BLPOP). Each engine is started here on a free loopback port and stopped after.
// Wall time is from the receiver's "ready" to its last batch; it includes the sender
// process's own work. Not a test: run it by hand (`node bench/cluster-engines.js`).
// The Redis client (ioredis) is a dependency; the NATS one is not: `npm install --no-save nats`.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, startEngine } from './local-engine.js';

const BATCHES = Number(process.env.BATCHES) || 4000;
const WORDS = 16384;
const ROUNDS = Number(process.env.ROUNDS) || 3;
const self = fileURLToPath(import.meta.url);

/** In a child: the sender or the receiver of one engine and mode. */
let done = false;
async function child(role, mode, port) {
  const batch = new Int32Array(WORDS);
  for (let i = 0; i < WORDS; i++) batch[i] = i * 2654435761;
  const bytes = new Uint8Array(batch.buffer);
  if (mode === 'nats') {
    const { connect } = await import('nats');
    const nc = await connect({ servers: `127.0.0.1:${port}` });
    if (role === 'receiver') {
      let n = 0;
      let sum = 0;
      // A callback, as the Redis receiver (the async iterator measured the same: 1.73-1.99 s).
      await new Promise((resolve) => {
        nc.subscribe('bench.batch', {
          callback: (_err, m) => {
            sum += m.data.length;
            if (++n === BATCHES) resolve();
          },
        });
        nc.flush().then(() => process.send('ready'));
      });
      process.send({ n, sum });
      await nc.close();
    } else {
      for (let i = 0; i < BATCHES; i++) {
        nc.publish('bench.batch', bytes);
        if (i % 64 === 63) await nc.flush();
      }
      await nc.flush();
      await nc.close();
    }
    return;
  }
  const { Redis } = await import('ioredis');
  // No reconnection: a subscriber Redis drops (past its pub/sub output buffer limit,
  // 32 MB by default) has lost messages; the run fails instead of waiting for them.
  const r = new Redis({ host: '127.0.0.1', port, retryStrategy: () => null });
  r.on('error', () => {});
  r.on('end', () => {
    if (role === 'receiver' && !done) {
      process.send({ error: 'the receiver was disconnected (slow subscriber)' });
      process.exit(1);
    }
  });
  if (mode === 'redis-pubsub') {
    if (role === 'receiver') {
      let n = 0;
      let sum = 0;
      await r.subscribe('bench.batch');
      r.on('messageBuffer', (_ch, data) => {
        sum += data.length;
        if (++n === BATCHES) {
          done = true;
          process.send({ n, sum });
          r.disconnect();
        }
      });
      process.send('ready');
    } else {
      const buf = Buffer.from(bytes.buffer);
      for (let i = 0; i < BATCHES; i++) {
        r.publish('bench.batch', buf);
        if (i % 64 === 63) await r.ping();
      }
      await r.ping();
      r.disconnect();
    }
    return;
  }
  // redis-list: each batch is pushed on the receiver's list and popped by it.
  if (role === 'receiver') {
    await r.del('bench.list');
    process.send('ready');
    let n = 0;
    let sum = 0;
    while (n < BATCHES) {
      const [, data] = await r.blpopBuffer('bench.list', 0);
      sum += data.length;
      n++;
    }
    done = true;
    process.send({ n, sum });
    r.disconnect();
  } else {
    const buf = Buffer.from(bytes.buffer);
    for (let i = 0; i < BATCHES; i++) {
      r.rpush('bench.list', buf);
      if (i % 64 === 63) await r.ping();
    }
    await r.ping();
    r.disconnect();
  }
}

async function once(mode, port) {
  const receiver = fork(self, ['child', 'receiver', mode, String(port)]);
  await new Promise((resolve) => receiver.once('message', resolve));
  const t0 = performance.now();
  const sender = fork(self, ['child', 'sender', mode, String(port)]);
  const got = await new Promise((resolve) => receiver.once('message', resolve));
  const ms = performance.now() - t0;
  await new Promise((resolve) => (sender.exitCode !== null ? resolve() : sender.once('exit', resolve)));
  if (got.error) throw new Error(`${mode}: ${got.error}`);
  if (got.n !== BATCHES || got.sum !== BATCHES * WORDS * 4) throw new Error(`${mode}: received ${got.n} batches, ${got.sum} bytes`);
  return ms;
}

async function main() {
  const rows = [];
  // Without the NATS client a child would die before saying 'ready', and the run would wait for ever.
  const natsClient = await import('nats').then(() => true, () => false);
  if (!natsClient) console.log('NATS skipped: its client is not installed (npm install --no-save nats)');
  for (const [engine, modes] of [
    ...(natsClient ? [['nats', ['nats']]] : []),
    ['redis', ['redis-pubsub', 'redis-list']],
  ]) {
    const port = await freePort();
    const server = await startEngine(engine, port);
    try {
      for (const mode of modes) {
        const times = [];
        const failures = [];
        for (let r = 0; r < ROUNDS; r++) {
          try {
            times.push(await once(mode, port));
          } catch (e) {
            failures.push(e.message);
          }
        }
        const mib = (BATCHES * WORDS * 4) / 2 ** 20;
        const best = Math.min(...times);
        rows.push({ mode, ms: [...times.map((t) => t.toFixed(0)), ...failures.map(() => 'failed')].join(' / '), 'best MiB/s': (mib / (best / 1000)).toFixed(0), 'best batches/s': ((BATCHES / best) * 1000).toFixed(0) });
      }
    } finally {
      server.kill('SIGTERM');
    }
  }
  console.log(`${BATCHES} batches of ${WORDS * 4} bytes, ${ROUNDS} rounds each, between two processes on this machine`);
  console.table(rows);
}

if (process.argv[2] === 'child') {
  child(process.argv[3], process.argv[4], Number(process.argv[5])).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  await main();
}
