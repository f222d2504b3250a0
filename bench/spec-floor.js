// The floor of a spec's own cost: how long its successor function alone takes over
// every reachable state, with no hashing, no visited set and no frontier. No checker
// running that spec can be faster than this, so it bounds the speed-up any explorer
// can reach on it. States are told apart by JSON.stringify, so this suits specs whose
// states serialise canonically (plain objects, as specs/two-phase.ts), not Immutable.js
// Sets, whose JSON order varies.
// Usage: node bench/spec-floor.js <spec.ts> [name=value ...] [--passes 3]
import { loadSpec } from '../dist/spec-file/load.js';

const args = process.argv.slice(2);
const p = args.indexOf('--passes');
const passes = p >= 0 ? Number(args.splice(p, 2)[1]) : 3;
const [file, ...assignments] = args;
const params = Object.fromEntries(assignments.map((a) => a.split('=')).map(([k, v]) => [k, Number.isNaN(Number(v)) ? v : Number(v)]));
const system = (await loadSpec(file, { typecheck: false })).compile(params);

// Every reachable state, found the naive way (JSON keys), kept in memory.
const seen = new Set();
const states = [];
let frontier = system.initialStates();
for (const s of frontier) if (!seen.has(JSON.stringify(s))) (seen.add(JSON.stringify(s)), states.push(s));
while (frontier.length > 0) {
  const next = [];
  for (const s of frontier) {
    system.successors(s, (t) => {
      const key = JSON.stringify(t);
      if (!seen.has(key)) (seen.add(key), next.push(t), states.push(t));
    });
  }
  frontier = next;
}
seen.clear();

const secs = [];
let generated = 0;
for (let r = 0; r < passes; r++) {
  generated = 0;
  const t0 = performance.now();
  for (const s of states) system.successors(s, () => void generated++);
  secs.push((performance.now() - t0) / 1000);
}
secs.sort((a, b) => a - b);
console.log(JSON.stringify({ states: states.length, generated, passes: secs.map((s) => Number(s.toFixed(2))), medianSec: Number(secs[Math.floor(passes / 2)].toFixed(2)) }));
