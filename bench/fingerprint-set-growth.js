// The search's fingerprint set on its own: inserts N pseudo-random fingerprints,
// timing every add, so `maxAddMs` is the longest pause a search would see from the
// set (its incremental growth included); then looks them all up again. On a shared
// machine a wall-clock pause may be the scheduler's, not the set's: the CPU time of
// every window of 1024 adds is measured too (`maxWindowCpuMs`: the most work any
// window did; a pause the set caused shows as CPU time in its window), and each
// doubling (allocating the new table) is timed apart (`growMs`).
// Prints one JSON line. Usage: npm run build && node bench/fingerprint-set-growth.js [N=30000000] [ids]
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { FingerprintSet } from '../dist/explore/fingerprint-set.js';
import { fmix32 } from '../dist/values/mix.js';

const N = Number(process.argv[2] ?? 30_000_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`bad N: ${process.argv[2]}`);
const ids = process.argv[3] === 'ids';
const laneA = (i) => fmix32(i ^ 0x2545f491) | 0;
const laneB = (i) => fmix32(Math.imul(i, 0x9e3779b1) + 0x7f4a7c15) | 0;

const set = new FingerprintSet(1 << 12, ids);
const r3 = (x) => Math.round(x * 1000) / 1000;
// Each doubling: where, and its wall time (the table is allocated there; the entries move over the next adds).
const grows = [];
const grow = FingerprintSet.prototype.grow;
if (typeof grow !== 'function') throw new Error('FingerprintSet has no grow(): update this bench');
set.grow = function () {
  const t0 = performance.now();
  grow.call(this);
  grows.push({ at: this.size, ms: r3(performance.now() - t0) });
};
let sysMs = 0;
const cpuMs = () => {
  const u = process.cpuUsage();
  sysMs = u.system / 1000;
  return (u.user + u.system) / 1000;
};
// Garbage collections (their pauses land in whichever add is running): the longest, and any overlapping the longest add.
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration, kind: e.detail?.kind });
}).observe({ entryTypes: ['gc'] });
const WINDOW = 1024;
let maxAddStart = 0;
let maxAddMs = 0;
let maxAt = 0;
let maxWindowCpuMs = 0;
let maxWindowAt = 0;
let maxWindowSysMs = 0;
let windowCpu = cpuMs();
let windowSys = sysMs;
let t = performance.now();
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  const added = set.add(laneA(i), laneB(i), i);
  const dt = performance.now() - t0;
  if (dt > maxAddMs) [maxAddMs, maxAt, maxAddStart] = [dt, i, t0];
  if (!added) throw new Error(`insert ${i}: reported as known`);
  if (i % WINDOW === WINDOW - 1) {
    const c = cpuMs();
    if (c - windowCpu > maxWindowCpuMs) [maxWindowCpuMs, maxWindowAt, maxWindowSysMs] = [c - windowCpu, i + 1 - WINDOW, sysMs - windowSys];
    windowCpu = c;
    windowSys = sysMs;
  }
}
const insertSec = (performance.now() - t) / 1000;
const bytesPerState = set.bytes / set.size;
t = performance.now();
for (let i = 0; i < N; i++) if (set.add(laneA(i), laneB(i))) throw new Error(`re-add ${i}: reported as new`);
const hitSec = (performance.now() - t) / 1000;
await new Promise((resolve) => setTimeout(resolve, 10)); // the observer's last entries
const gcKinds = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental', 16: 'weak callbacks' };
const longestGc = gcs.reduce((m, g) => (g.ms > m.ms ? g : m), { ms: 0 });
const inMaxAdd = gcs.filter((g) => g.start < maxAddStart + maxAddMs && g.start + g.ms > maxAddStart);
console.log(
  JSON.stringify({
    n: N,
    ids,
    insertSec: r3(insertSec),
    maxAddMs: r3(maxAddMs),
    maxAddAt: maxAt,
    maxWindowCpuMs: r3(maxWindowCpuMs),
    maxWindowAt,
    // Of which in the kernel (page faults: a new table's pages are zeroed on first touch).
    maxWindowSysMs: r3(maxWindowSysMs),
    growMs: grows,
    longestGcMs: r3(longestGc.ms),
    longestGcKind: gcKinds[longestGc.kind] ?? longestGc.kind,
    // Collections during the longest add: how much of it they were.
    gcInMaxAddMs: r3(inMaxAdd.reduce((s, g) => s + g.ms, 0)),
    hitSec: r3(hitSec),
    bytesPerState: r3(bytesPerState),
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
