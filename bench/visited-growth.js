// Growth and lookup cost of the visited set on its own, without a spec: inserts N
// pseudo-random fingerprints, then re-adds them all (lookup hits) in a scattered
// order. Every add is timed on its own, so `maxAddMs` is the longest pause a search
// would see from the visited set (index growth included). Prints one JSON line.
// Usage: npm run build && node bench/visited-growth.js [N=30000000]
import { performance } from 'node:perf_hooks';
import { VisitedSet } from '../dist/explore/visited.js';

const N = Number(process.argv[2] ?? 30_000_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`bad N: ${process.argv[2]}`);

function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
const laneA = (i) => fmix32((i ^ 0x2545f491) >>> 0);
const laneB = (i) => fmix32((Math.imul(i, 0x9e3779b1) + 0x7f4a7c15) >>> 0);

const gcd = (x, y) => (y === 0 ? x : gcd(y, x % y));
let stride = 1_000_003 % N || 1;
while (gcd(stride, N) !== 1) stride++;

// Cost of one clock read (each timed add has two), to subtract by hand if wanted.
let tw = performance.now();
for (let i = 0; i < 1_000_000; i++) performance.now();
const clockReadNs = ((performance.now() - tw) * 1e6) / 1_000_000;

// The five slowest adds (over 1 ms) of a pass as [ms, i]. In the insert pass i is the
// size before the add, so a pause from index growth (at 3/4 of a power of two) stands
// out from JIT, GC or scheduling noise.
function slowest() {
  const top = [];
  return {
    top,
    note(ms, at) {
      if (top.length === 5 && ms <= top[4][0]) return;
      top.push([ms, at]);
      top.sort((x, y) => y[0] - x[0]);
      if (top.length > 5) top.pop();
    },
  };
}

const v = new VisitedSet();
const slowInsert = slowest();
const growthAdds = [];
let nextGrowth = 768; // VisitedSet's default index has 1024 slots
let maxInsert = 0;
let t = performance.now();
for (let i = 0; i < N; i++) {
  const a = laneA(i);
  const b = laneB(i);
  const t0 = performance.now();
  const id = v.add(a, b, i - 1);
  const dt = performance.now() - t0;
  if (dt > maxInsert) maxInsert = dt;
  if (dt > 1) slowInsert.note(dt, i);
  if (i === nextGrowth) {
    // The add that takes the size past 3/4 of the (default, power-of-two) index.
    if (i >= 1_000_000) growthAdds.push([i, Math.round(dt * 1000) / 1000]);
    nextGrowth *= 2;
  }
  if (id !== i || !v.isNew) throw new Error(`insert ${i}: id ${id}, isNew ${v.isNew}`);
}
const insertSec = (performance.now() - t) / 1000;
const bytesPerState = v.bytes / v.size;

// Re-add in a scattered order (i * stride mod N), timing each add.
const slowHit = slowest();
let maxHit = 0;
t = performance.now();
for (let i = 0, j = 0; i < N; i++, j = (j + stride) % N) {
  const a = laneA(j);
  const b = laneB(j);
  const t0 = performance.now();
  const id = v.add(a, b, 0);
  const dt = performance.now() - t0;
  if (dt > maxHit) maxHit = dt;
  if (dt > 1) slowHit.note(dt, i);
  if (id !== j || v.isNew) throw new Error(`re-add ${j}: id ${id}, isNew ${v.isNew}`);
}
const hitSec = (performance.now() - t) / 1000;

// The same pass without the clock reads: the lookup-hit throughput proper.
let check = 0;
t = performance.now();
for (let i = 0, j = 0; i < N; i++, j = (j + stride) % N) check += v.add(laneA(j), laneB(j), 0) - j;
const hitUntimedSec = (performance.now() - t) / 1000;
if (check !== 0 || v.size !== N) throw new Error('re-add pass returned wrong ids');

const r3 = (x) => Math.round(x * 1000) / 1000;
const tops = (s) => s.top.map(([ms, at]) => [r3(ms), at]);
console.log(
  JSON.stringify({
    n: N,
    clockReadNs: r3(clockReadNs),
    insert: {
      sec: r3(insertSec),
      maxAddMs: r3(maxInsert),
      bytesPerState: r3(bytesPerState),
      addsPerSec: Math.round(N / insertSec),
      slowestAdds: tops(slowInsert),
      growthAdds,
    },
    reAdd: {
      sec: r3(hitSec),
      maxAddMs: r3(maxHit),
      bytesPerState: r3(v.bytes / v.size),
      addsPerSec: Math.round(N / hitSec),
      untimedSec: r3(hitUntimedSec),
      untimedAddsPerSec: Math.round(N / hitUntimedSec),
      slowestAdds: tops(slowHit),
    },
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
