// `npm run bench`: faultline beside the naive reference explorer, in one run, so the
// ratio survives machine noise. Each measurement runs in its own process (fresh heap,
// honest peak RSS). Usage: node bench/run.js [--rms 6,7,8] [--repeat 1] [--protocol off]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rmsList = arg('rms', '6,7,8').split(',').map(Number);
const protocolModel = arg('protocol', 'on') !== 'off';
const repeat = Number(arg('repeat', '1'));
const naive = path.resolve(root, '../shared/bench/twophase-naive.mjs');

function run(cmd, args) {
  const out = execFileSync(process.execPath, [cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const models = [
  { name: 'two-phase (plain objects, specs/two-phase.ts)', file: 'specs/two-phase.ts' },
  { name: 'two-phase (Immutable.js Sets of Records)', file: 'bench/models/two-phase-immutable.ts' },
];

console.log(`faultline benchmark — ${os.cpus()[0]?.model ?? 'cpu'} ×${os.cpus().length}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('model | rms | distinct | generated | seconds | distinct/s | bytes/state (visited) | peak RSS MB | × naive');
console.log('---|---|---|---|---|---|---|---|---');
for (const rms of rmsList) {
  let base;
  if (fs.existsSync(naive)) {
    const runs = Array.from({ length: repeat }, () => run(naive, [String(rms)]));
    base = { ...runs[0], sec: median(runs.map((r) => r.sec)) };
    console.log(`naive reference | ${rms} | ${base.distinct} | ${base.generated} | ${base.sec.toFixed(2)} | ${Math.round(base.distinct / base.sec)} | — | ${base.rssMB} | 1.0`);
  }
  for (const m of models) {
    const runs = Array.from({ length: repeat }, () => run('bench/measure.js', [m.file, `rms=${rms}`]));
    const r = { ...runs[0], sec: median(runs.map((x) => x.sec)) };
    const ratio = base ? (base.sec / r.sec).toFixed(1) : 'n/a';
    console.log(`${m.name} | ${rms} | ${r.distinct} | ${r.generated} | ${r.sec.toFixed(2)} | ${Math.round(r.distinct / r.sec)} | ${r.bytesPerState} | ${r.rssMB} | ${ratio}`);
  }
}

if (protocolModel) {
  // The protocol layer's model: a leader and two followers replicating a log under
  // drop and crash budgets (bench/models/protocol-bench.ts; defaults: 1.12M states).
  const runs = Array.from({ length: repeat }, () => run('bench/measure.js', ['bench/models/protocol-bench.ts']));
  const r = { ...runs[0], sec: median(runs.map((x) => x.sec)) };
  console.log(`protocol-bench (3 nodes, drop+crash) | — | ${r.distinct} | ${r.generated} | ${r.sec.toFixed(2)} | ${Math.round(r.distinct / r.sec)} | ${r.bytesPerState} | ${r.rssMB} | —`);
}
