// The longest pause of a real search: runs a check on one thread and times the gaps
// between its polls of `shouldStop` (every 64th expansion), so `maxGapMs` bounds
// every stop the search makes between two expansions: a growth of the fingerprint
// set or of a queue, a level's end, a garbage collection, and on a shared machine the
// scheduler's (the process's CPU time in each gap tells them apart). Prints one JSON line.
// The longest gaps are matched with what ran in them: garbage collections, doublings
// of the fingerprint set and of a level's records (each timed), the start of a level.
// Usage: npm run build && node bench/search-pauses.js <spec.ts> [name=value ...]
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { loadSpec } from '../dist/spec-file/load.js';
import { check } from '../dist/check/check.js';
import { FingerprintSet } from '../dist/explore/fingerprint-set.js';
import { Records } from '../dist/explore/records.js';
import { LevelLoop } from '../dist/explore/bfs.js';

/** What ran when: [start, ms, what]. */
const events = [];
const timed = (proto, name, what) => {
  const f = proto[name];
  if (typeof f !== 'function') throw new Error(`no ${name}() to time: update this bench`);
  proto[name] = function (...args) {
    const t0 = performance.now();
    const r = f.apply(this, args);
    events.push([t0, performance.now() - t0, what(this)]);
    return r;
  };
};
timed(FingerprintSet.prototype, 'grow', (set) => `fingerprint set doubled at ${set.size}`);
timed(Records.prototype, 'grow', (r) => `records' first chunk doubled (${r.count} records)`);
timed(Records.prototype, 'permute', (r) => `records reordered (${r.count})`);
timed(LevelLoop.prototype, 'level', (loop) => `level ${loop.depth} (${loop.levelSize} states)`);
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) events.push([e.startTime, e.duration, `gc (kind ${e.detail?.kind})`]);
}).observe({ entryTypes: ['gc'] });

const [file, ...assignments] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: node bench/search-pauses.js <spec.ts> [name=value ...]');
const params = Object.fromEntries(assignments.map((a) => a.split('=')));
const spec = await loadSpec(file, { typecheck: false });
const gaps = [];
let polls = 0;
let maxGapMs = 0;
let maxGapAtPoll = 0;
let last = 0;
// The process's CPU time (every thread) at each poll: a gap in which the process got
// little of it was the scheduler's (a shared machine), not the search's.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let lastCpu = 0;
let maxGapCpuMs = 0;
const shouldStop = () => {
  const now = performance.now();
  const cpu = cpuMs();
  if (polls > 0) {
    const gap = now - last;
    if (gap > maxGapMs) [maxGapMs, maxGapAtPoll] = [gap, polls];
    if (cpu - lastCpu > maxGapCpuMs) maxGapCpuMs = cpu - lastCpu;
    if (gap > 20) gaps.push({ ms: gap, cpuMs: cpu - lastCpu, from: last, to: now });
  }
  polls++;
  last = now;
  lastCpu = cpu;
  return false;
};
const t = performance.now();
const r = check(spec, { file, params, ignoreExpect: true, recheckRate: 0, liveness: false, shouldStop });
if (r.verdict === 'error') {
  console.error(r.error.message);
  process.exit(2);
}
const r3 = (x) => Math.round(x * 1000) / 1000;
await new Promise((resolve) => setTimeout(resolve, 10)); // the observer's last entries
gaps.sort((a, b) => b.ms - a.ms);
// A level's own event spans the whole level: only its start falls in a gap.
const during = (g) =>
  events
    .filter(([t0, ms, what]) => (what.startsWith('level') ? t0 >= g.from && t0 < g.to : t0 < g.to && t0 + ms > g.from))
    .map(([, ms, what]) => (what.startsWith('level') ? `${what} began` : `${what}: ${r3(ms)} ms`));
console.log(
  JSON.stringify({
    verdict: r.verdict,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    sec: r3((performance.now() - t) / 1000),
    polls,
    maxGapMs: r3(maxGapMs),
    // The most CPU time the process spent between two polls (every thread: a collector's helpers too).
    maxGapCpuMs: r3(maxGapCpuMs),
    // Where it was, as a fraction of the search's polls.
    maxGapAt: r3(maxGapAtPoll / polls),
    gapsOver20Ms: gaps.length,
    gapsOver100Ms: gaps.filter((g) => g.ms > 100).length,
    longestGaps: gaps.slice(0, 8).map((g) => ({ ms: r3(g.ms), cpuMs: r3(g.cpuMs), during: during(g) })),
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
