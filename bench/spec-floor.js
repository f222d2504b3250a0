// The floor of a spec's own cost: how long its successor function alone takes over
// every reachable state, with no hashing, no visited set and no frontier. No checker
// running that spec can be faster than this, so it bounds the speed-up any explorer
// can reach on it. States are told apart by their canonical fingerprint (values/), which
// serves every state kind: JSON.stringify does not (a protocol world's JSON is not
// canonical, and the search for protocol-bench then ran out of memory).
// Usage: node bench/spec-floor.js <spec.ts> [name=value ...] [--passes 3] [--faults k=n,...]
import { loadSpec } from '../dist/spec-file/load.js';
import { resolveParams } from '../dist/core/params.js';
import { fingerprint } from '../dist/values/fingerprint.js';

const args = process.argv.slice(2);
const p = args.indexOf('--passes');
const passes = p >= 0 ? Number(args.splice(p, 2)[1]) : 3;
const fl = args.indexOf('--faults');
const faults = fl >= 0 ? Object.fromEntries(args.splice(fl, 2)[1].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) : undefined;
const [file, ...assignments] = args;
// Defaults and overrides resolved as the check does (a protocol's fault budgets are params).
const spec = await loadSpec(file, { typecheck: false });
const params = resolveParams(spec.name, spec.params, Object.fromEntries(assignments.map((a) => a.split('='))));
const system = spec.compile(params, { faults });

// Every reachable state the search expands, kept in memory (found untimed). A state
// that fails the spec's constraint (e.g. a protocol's maxInFlight) is not expanded, as
// in the search; without that skip protocol-bench's space is unbounded.
const within = system.constraint ?? (() => true);
const seen = new Set();
const states = [];
const admit = (t, next) => {
  const key = fingerprint(t);
  if (seen.has(key)) return;
  seen.add(key);
  if (within(t)) (next.push(t), states.push(t));
};
let frontier = [];
for (const s of system.initialStates()) admit(s, frontier);
while (frontier.length > 0) {
  const next = [];
  for (const s of frontier) system.successors(s, (t) => admit(t, next));
  frontier = next;
}
const distinct = seen.size;
seen.clear();

const secs = [];
// CPU seconds too: on a shared machine they move less than wall time.
const cpus = [];
let generated = 0;
for (let r = 0; r < passes; r++) {
  generated = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const s of states) system.successors(s, () => void generated++);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1e6);
  secs.push((performance.now() - t0) / 1000);
}
secs.sort((a, b) => a - b);
cpus.sort((a, b) => a - b);
console.log(JSON.stringify({ expanded: states.length, distinct, generated, passes: secs.map((s) => Number(s.toFixed(2))), medianSec: Number(secs[Math.floor(passes / 2)].toFixed(2)), medianCpuSec: Number(cpus[Math.floor(passes / 2)].toFixed(2)) }));
