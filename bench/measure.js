// One benchmark measurement in a fresh process: loads a spec, runs the check, prints
// one JSON line with the statistics and the peak RSS of this process (all threads).
// Usage: node bench/measure.js <spec.ts> [--workers N] [--no-liveness] [--faults k=n,...]
//        [--max-states N] [--checkpoint DIR | --resume DIR] [--cluster URL --cluster-workers N] [name=value ...]
import { loadSpec } from '../dist/spec-file/load.js';
import { checkAsync } from '../dist/check/check.js';

const args = process.argv.slice(2);
const w = args.indexOf('--workers');
const workers = w >= 0 ? Number(args.splice(w, 2)[1]) : 1;
const fl = args.indexOf('--faults');
const faults = fl >= 0 ? Object.fromEntries(args.splice(fl, 2)[1].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) : undefined;
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const maxStates = flag('--max-states');
// --cluster URL --cluster-workers N: the coordinator of a cluster (its workers are started by the caller).
const clusterUrl = flag('--cluster');
const cluster = clusterUrl ? { url: clusterUrl, workers: Number(flag('--cluster-workers')) } : undefined;
const checkpointDir = flag('--checkpoint');
const resumeDir = flag('--resume');
// A checkpoint only where the search stops (at --max-states): one write of a known size.
const checkpoint = checkpointDir ? { dir: checkpointDir, everyMs: 1e12 } : resumeDir ? { dir: resumeDir, everyMs: 1e12, resumeFrom: resumeDir } : undefined;
const nl = args.indexOf('--no-liveness');
const liveness = nl < 0;
if (nl >= 0) args.splice(nl, 1);
const [file, ...assignments] = args;
const params = Object.fromEntries(assignments.map((a) => a.split('=')));
const spec = await loadSpec(file, { typecheck: false });
// The coordinating thread's own memory (its JS heap and typed arrays; shard threads have theirs), sampled: its peak.
let mainPeak = 0;
const sampleMain = () => {
  const m = process.memoryUsage();
  mainPeak = Math.max(mainPeak, m.heapUsed + m.arrayBuffers);
};
const sampler = setInterval(sampleMain, 20);
const r = await checkAsync(spec, { file, params, faults, workers, liveness, ignoreExpect: true, recheckRate: 0, maxStates: maxStates && Number(maxStates), checkpoint, cluster });
sampleMain();
clearInterval(sampler);
if (r.verdict === 'error') {
  console.error(r.error.message);
  process.exit(2);
}
console.log(
  JSON.stringify({
    verdict: r.verdict,
    workers: r.workers ?? 1,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    sec: r.stats.durationMs / 1000,
    // CPU time of the whole process (every thread, loading included): steadier than wall time on a shared machine.
    cpuSec: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e4) / 100,
    distinctPerSec: r.stats.statesPerSecond,
    bytesPerState: r.stats.visitedBytesPerState,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    mainPeakMB: Math.round(mainPeak / 1048576),
    ...(r.checkpoint ? { checkpoint: r.checkpoint } : {}),
    ...(r.liveness && !r.liveness.skipped ? { edges: r.liveness.edges, graphBytes: r.liveness.graphBytes, passSec: r.liveness.passMs / 1000 } : {}),
  }),
);
