// One benchmark measurement in a fresh process: loads a spec, runs check(), prints
// one JSON line with the statistics and the peak RSS of this process.
// Usage: node bench/measure.js <spec.ts> [name=value ...]
import { loadSpec } from '../dist/cli/load.js';
import { check } from '../dist/explore/check.js';

const [file, ...assignments] = process.argv.slice(2);
const params = Object.fromEntries(assignments.map((a) => a.split('=')));
const spec = await loadSpec(file, { typecheck: false });
const r = check(spec, { params, ignoreExpect: true, recheckRate: 0 });
if (r.verdict === 'error') {
  console.error(r.error.message);
  process.exit(2);
}
console.log(
  JSON.stringify({
    verdict: r.verdict,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    sec: r.stats.durationMs / 1000,
    distinctPerSec: r.stats.statesPerSecond,
    bytesPerState: r.stats.visitedBytesPerState,
    rssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
