// The explorer's click latency: starts `faultline explore` on a spec (default
// specs/paxos.fixed.ts), then clicks along random paths through the JSON API
// exactly as the page does (POST /api/state with the path plus one enabled action)
// and prints the median, 90th percentile and maximum round-trip. Not a test: the
// machine's load decides the numbers.
// Usage: node bench/explore-clicks.js [--spec specs/paxos.fixed.ts] [--clicks 300] [--depth 25] [--seed 7]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const spec = arg('spec', 'specs/paxos.fixed.ts');
const clicks = Number(arg('clicks', '300'));
const depth = Number(arg('depth', '25'));
let seed = Number(arg('seed', '7'));
const random = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

const child = spawn(process.execPath, ['bin/faultline.js', 'explore', spec, '--no-typecheck', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    const m = /^open (http:\/\/[^/]+)\//m.exec(out);
    if (m) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`explore exited with ${code}`)));
});

async function state(p) {
  const t = performance.now();
  const r = await fetch(base + '/api/state', { method: 'POST', body: JSON.stringify({ path: p }) });
  const body = await r.json();
  return { ms: performance.now() - t, body };
}

try {
  let p = [];
  let { body } = await state(p);
  const times = [];
  let longest = 0;
  let widest = 0;
  for (let i = 0; i < clicks; i++) {
    if (body.actions.length === 0 || p.length >= depth) {
      p = [];
      ({ body } = await state(p));
    }
    widest = Math.max(widest, body.actions.length);
    p = [...p, body.actions[random(body.actions.length)].key];
    const r = await state(p);
    times.push(r.ms);
    body = r.body;
    longest = Math.max(longest, p.length);
  }
  times.sort((a, b) => a - b);
  const q = (f) => times[Math.min(times.length - 1, Math.floor(f * times.length))].toFixed(1);
  console.log(`${spec}: ${clicks} clicks along random paths (up to ${longest} steps, up to ${widest} actions enabled): median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms per click (API round-trip)`);
} finally {
  child.kill('SIGINT');
}
