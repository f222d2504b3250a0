// The packed search's fingerprint set on its own: inserts N pseudo-random
// fingerprints, timing every add, so `maxAddMs` is the longest pause a search would
// see from the set (its incremental growth included); then looks them all up again.
// Prints one JSON line. Usage: npm run build && node bench/fingerprint-set-growth.js [N=30000000]
import { performance } from 'node:perf_hooks';
import { FingerprintSet } from '../dist/explore/fingerprint-set.js';
import { fmix32 } from '../dist/values/mix.js';

const N = Number(process.argv[2] ?? 30_000_000);
if (!Number.isInteger(N) || N < 1) throw new Error(`bad N: ${process.argv[2]}`);
const laneA = (i) => fmix32(i ^ 0x2545f491) | 0;
const laneB = (i) => fmix32(Math.imul(i, 0x9e3779b1) + 0x7f4a7c15) | 0;

const set = new FingerprintSet();
let maxAddMs = 0;
let maxAt = 0;
let t = performance.now();
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  const added = set.add(laneA(i), laneB(i));
  const dt = performance.now() - t0;
  if (dt > maxAddMs) [maxAddMs, maxAt] = [dt, i];
  if (!added) throw new Error(`insert ${i}: reported as known`);
}
const insertSec = (performance.now() - t) / 1000;
const bytesPerState = set.bytes / set.size;
t = performance.now();
for (let i = 0; i < N; i++) if (set.add(laneA(i), laneB(i))) throw new Error(`re-add ${i}: reported as new`);
const hitSec = (performance.now() - t) / 1000;
const r3 = (x) => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({ n: N, insertSec: r3(insertSec), maxAddMs: r3(maxAddMs), maxAddAt: maxAt, hitSec: r3(hitSec), bytesPerState: r3(bytesPerState) }));
