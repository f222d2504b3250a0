// `npm run bench`: faultline beside the naive reference explorer, in one run, so the
// ratio survives machine noise. Each measurement runs in its own process (fresh heap,
// honest peak RSS).
// Usage: node bench/run.js [--rms 7,8 | --rms none] [--repeat 1] [--workers 1,2] [--protocol off] [--natural off] [--liveness off] [--checkpoint off] [--cluster off]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startEngine } from './local-engine.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rmsList = arg('rms', '7,8') === 'none' ? [] : arg('rms', '7,8').split(',').map(Number);
const workerCounts = arg('workers', '1,2').split(',').map(Number);
const protocolModel = arg('protocol', 'on') !== 'off';
const natural = arg('natural', 'on') !== 'off';
const livenessModels = arg('liveness', 'on') !== 'off';
const checkpoints = arg('checkpoint', 'on') !== 'off';
const clusterRows = arg('cluster', 'on') !== 'off';
const repeat = Number(arg('repeat', '1'));
const naive = path.resolve(root, '../shared/bench/twophase-naive.mjs');

function run(cmd, args) {
  const out = execFileSync(process.execPath, [cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const measure = (args) => {
  const runs = Array.from({ length: repeat }, () => run('bench/measure.js', args));
  return { ...runs[0], sec: median(runs.map((x) => x.sec)) };
};

// The packed spec is the fastest style; the other two are the natural styles of the README.
const models = [
  { name: 'two-phase, packed (specs/two-phase.packed.ts)', file: 'specs/two-phase.packed.ts', parallel: true },
  ...(natural
    ? [
        { name: 'two-phase, plain objects (specs/two-phase.ts)', file: 'specs/two-phase.ts', parallel: true },
        // Its states hold Immutable.js Records, which cannot cross threads: one thread only.
        { name: 'two-phase, Immutable.js Sets of Records', file: 'bench/models/two-phase-immutable.ts' },
      ]
    : []),
];

// One-thread distinct states/s of each core model at the largest rms, for the protocol comparison.
const coreRates = new Map();

console.log(`faultline benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('model | rms | workers | distinct | generated | seconds | CPU s | distinct/s | bytes/state (visited) | peak RSS MB | × naive');
console.log('---|---|---|---|---|---|---|---|---|---|---');
for (const rms of rmsList) {
  let base;
  if (fs.existsSync(naive)) {
    const runs = Array.from({ length: repeat }, () => run(naive, [String(rms)]));
    base = { ...runs[0], sec: median(runs.map((r) => r.sec)) };
    console.log(`naive reference | ${rms} | 1 | ${base.distinct} | ${base.generated} | ${base.sec.toFixed(2)} | — | ${Math.round(base.distinct / base.sec)} | — | ${base.rssMB} | 1.0`);
  }
  for (const m of models) {
    for (const workers of m.parallel ? workerCounts : [1]) {
      const r = measure([m.file, '--workers', String(workers), `rms=${rms}`]);
      const ratio = base ? (base.sec / r.sec).toFixed(1) : 'n/a';
      // A search over before the worker threads were up was one thread's (measure.js reports the threads used).
      const shown = r.workers === workers ? String(workers) : `${workers} (${r.workers} used)`;
      console.log(`${m.name} | ${rms} | ${shown} | ${r.distinct} | ${r.generated} | ${r.sec.toFixed(2)} | ${r.cpuSec} | ${Math.round(r.distinct / r.sec)} | ${r.bytesPerState} | ${r.rssMB} | ${ratio}`);
      if (workers === 1) coreRates.set(m.file, { rms, rate: r.distinct / r.sec });
    }
  }
}

if (protocolModel) {
  // The protocol layer's model: a leader and two followers replicating a log under
  // drop and crash budgets (bench/models/protocol-bench.ts; defaults: 546,798 distinct states
  // within maxInFlight, 1,123,864 with those beyond it, which are checked but not counted).
  const r = measure(['bench/models/protocol-bench.ts']);
  for (const workers of workerCounts) {
    const p = workers === 1 ? r : measure(['bench/models/protocol-bench.ts', '--workers', String(workers)]);
    console.log(`protocol-bench (3 nodes, drop+crash) | — | ${p.workers === workers ? workers : `${workers} (${p.workers} used)`} | ${p.distinct} | ${p.generated} | ${p.sec.toFixed(2)} | ${p.cpuSec} | ${Math.round(p.distinct / p.sec)} | ${p.bytesPerState} | ${p.rssMB} | —`);
  }
  // The issue's protocol target: paxos.fixed, 2 rounds, drop only (1,245,986 states).
  for (const workers of workerCounts) {
    const p = measure(['specs/paxos.fixed.ts', '--workers', String(workers), '--no-liveness', '--faults', 'drop=1,duplicate=0,crash=0', 'rounds=2']);
    console.log(`paxos.fixed rounds=2, drop=1 | — | ${p.workers === workers ? workers : `${workers} (${p.workers} used)`} | ${p.distinct} | ${p.generated} | ${p.sec.toFixed(2)} | ${p.cpuSec} | ${Math.round(p.distinct / p.sec)} | ${p.bytesPerState} | ${p.rssMB} | —`);
  }
  // The protocol layer's target: at least half the core layer's distinct states/s.
  const rate = r.distinct / r.sec;
  const against = models.filter((m) => coreRates.has(m.file)).map((m) => `${(rate / coreRates.get(m.file).rate).toFixed(2)}× ${m.name} (rms=${coreRates.get(m.file).rms})`);
  if (against.length > 0) console.log(`\nprotocol-bench distinct states/s: ${against.join('; ')}`);
}

if (livenessModels) {
  // The liveness pass's cost: the same spec checked with and without its liveness
  // property (--no-liveness), interleaved, so the ratio survives machine noise. The
  // issue's target: at most 2× the safety-only check in time and in peak memory.
  console.log('\nliveness model | safety-only s | with liveness s | × time | safety-only RSS MB | with liveness RSS MB | × memory | edges | graph B/state | graph B/edge | pass s');
  console.log('---|---|---|---|---|---|---|---|---|---|---');
  const cases = [
    { name: 'two-phase rms=7, eventually allDecided, weak fairness', args: ['bench/models/two-phase-liveness.ts', 'rms=7'] },
    { name: 'paxos.fixed, eventually someValueChosen, protocol defaults', args: ['bench/models/paxos-liveness.ts'] },
  ];
  for (const c of cases) {
    const safety = measure([...c.args, '--no-liveness']);
    const live = measure(c.args);
    const perState = live.graphBytes / live.distinct;
    console.log(
      `${c.name} (${live.verdict}, ${live.distinct} states) | ${safety.sec.toFixed(2)} | ${live.sec.toFixed(2)} | ${(live.sec / safety.sec).toFixed(2)} | ${safety.rssMB} | ${live.rssMB} | ${(live.rssMB / safety.rssMB).toFixed(2)} | ${live.edges} | ${perState.toFixed(1)} | ${(live.graphBytes / live.edges).toFixed(1)} | ${live.passSec.toFixed(2)}`,
    );
  }
}

if (checkpoints) {
  // What a checkpoint costs (--checkpoint): one written where a state bound stops the
  // search (its size and write time), then read back by a resumed search that goes
  // to the end (read time); per million states kept, for each kind of state.
  console.log('\ncheckpoint of | states in it | write s | MB | bytes/state | write s per M states | resume: read s | read s per M states | resumed search s (read included) | distinct at the end');
  console.log('---|---|---|---|---|---|---|---|---|---');
  const cases = [
    { name: 'two-phase packed rms=8', args: ['specs/two-phase.packed.ts', 'rms=8'], at: 1_500_000 },
    // With workers, a state bound in a shared level saves that level's start (gathered from the shards).
    { name: 'two-phase packed rms=8, 2 workers', args: ['specs/two-phase.packed.ts', '--workers', '2', 'rms=8'], at: 1_500_000 },
    { name: 'two-phase plain objects rms=8', args: ['specs/two-phase.ts', '--no-liveness', 'rms=8'], at: 1_500_000 },
    { name: 'two-phase plain objects rms=8, 2 workers', args: ['specs/two-phase.ts', '--no-liveness', '--workers', '2', 'rms=8'], at: 1_500_000 },
    { name: 'protocol-bench (protocol worlds)', args: ['bench/models/protocol-bench.ts'], at: 400_000 },
    { name: 'protocol-bench, 2 workers', args: ['bench/models/protocol-bench.ts', '--workers', '2'], at: 400_000 },
    { name: 'two-phase rms=7 with its liveness graph', args: ['bench/models/two-phase-liveness.ts', 'rms=7'], at: 250_000 },
  ];
  for (const c of cases) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-checkpoint-'));
    try {
      fs.rmSync(dir, { recursive: true });
      const stop = run('bench/measure.js', [...c.args, '--max-states', String(c.at), '--checkpoint', dir]);
      const cp = stop.checkpoint;
      const end = run('bench/measure.js', [...c.args, '--resume', dir]);
      const r = end.checkpoint.resumed;
      console.log(
        `${c.name} | ${cp.states} | ${(cp.writeMs / 1000).toFixed(2)} | ${(cp.bytes / 2 ** 20).toFixed(1)} | ${(cp.bytes / cp.states).toFixed(1)} | ${(cp.writeMs / 1000 / (cp.states / 1e6)).toFixed(2)} | ${(r.readMs / 1000).toFixed(2)} | ${(r.readMs / 1000 / (cp.states / 1e6)).toFixed(2)} | ${end.sec.toFixed(2)} | ${end.distinct}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (clusterRows) {
  // The cluster (check --cluster): the same search with its shards on worker processes
  // that exchange successors through a Redis server started here on loopback, against
  // one process, interleaved. Redis's own count of the bytes it received from every
  // client (INFO stats: total_net_input_bytes, before and after) gives the traffic per
  // generated state: batches, replies and the liveness polls, on the wire.
  const redis = execFileSync('sh', ['-c', 'command -v redis-server || true'], { encoding: 'utf8' }).trim();
  if (redis === '') console.log('\n(cluster rows skipped: redis-server is not installed)');
  else {
    const { Redis } = await import('ioredis');
    const port = await freePort();
    const server = await startEngine('redis', port, ['--client-output-buffer-limit', 'pubsub 512mb 512mb 0']);
    const url = `redis://127.0.0.1:${port}`;
    const stats = new Redis(url);
    const received = async () => Number(/total_net_input_bytes:(\d+)/.exec(await stats.info('stats'))[1]);
    const execAsync = (args) =>
      new Promise((resolve, reject) => {
        // Its notes (waiting for workers, joined) stay out of the table; shown if it fails.
        const c = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.on('data', (d) => (out += d));
        c.stderr.on('data', (d) => (err += d));
        c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`measure.js exited ${code}: ${err}`))));
      });
    console.log('\ncluster model | processes | distinct | generated | search s | × one process | bytes into Redis per generated state | coordinator peak RSS MB');
    console.log('---|---|---|---|---|---|---|---');
    const cases = [{ name: 'two-phase plain objects rms=8', file: 'specs/two-phase.ts', args: ['--no-liveness', 'rms=8'], clusters: [2] }];
    try {
      for (const c of cases) {
        for (let i = 0; i < repeat; i++) {
          const one = run('bench/measure.js', [c.file, ...c.args]);
          console.log(`${c.name} | 1 (one thread) | ${one.distinct} | ${one.generated} | ${one.sec.toFixed(2)} | 1.00 | — | ${one.rssMB}`);
          for (const n of c.clusters) {
            const workers = Array.from({ length: n }, () => spawn(process.execPath, ['bin/faultline.js', 'worker', c.file, '--cluster', url], { cwd: root, stdio: 'ignore' }));
            const before = await received();
            const r = await execAsync(['bench/measure.js', c.file, '--cluster', url, '--cluster-workers', String(n), ...c.args]);
            const bytes = (await received()) - before;
            await Promise.all(workers.map((w) => (w.exitCode !== null ? undefined : new Promise((resolve) => w.once('exit', resolve)))));
            console.log(`${c.name} | ${n} workers + coordinator | ${r.distinct} | ${r.generated} | ${r.sec.toFixed(2)} | ${(one.sec / r.sec).toFixed(2)} | ${(bytes / r.generated).toFixed(1)} | ${r.rssMB}`);
          }
        }
      }
    } finally {
      stats.disconnect();
      server.kill('SIGTERM');
    }
  }
}
