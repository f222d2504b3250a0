// Quick speed comparison (not a test): the protocol benchmark model against the
// core-layer TwoPhase specs, in one process, by CPU time (the machines are shared).
//   npx tsx --tsconfig <a tsconfig mapping "faultline" to src/index.ts> test/protocol/speed.ts [values] [maxInFlight] [rms]
// or, after `npm run build`, `npx tsx test/protocol/speed.ts ...` (everything from dist/).
import bench from '../../bench/models/protocol-bench.js';
import twoPhase from '../../specs/two-phase.js';
import twoPhaseImmutable from '../../bench/models/two-phase-immutable.js';
import { check } from 'faultline';

const [values = 5, maxInFlight = 3, rms = 8] = process.argv.slice(2).map(Number);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function run(name: string, spec: any, params: Record<string, number>): void {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = check(spec, { params, recheckRate: 0 });
  const cpu = process.cpuUsage(cpu0);
  const sec = (cpu.user + cpu.system) / 1e6;
  console.log(
    JSON.stringify({
      name,
      params,
      verdict: r.verdict,
      distinct: r.stats.distinctStates,
      generated: r.stats.generatedStates,
      cpuSec: +sec.toFixed(2),
      wallSec: +((performance.now() - t0) / 1000).toFixed(2),
      distinctPerCpuSec: Math.round(r.stats.distinctStates / sec),
      generatedPerCpuSec: Math.round(r.stats.generatedStates / sec),
      bytesPerState: r.stats.visitedBytesPerState,
    }),
  );
}

run('protocol-bench', bench, { values, maxInFlight });
run('two-phase', twoPhase, { rms });
run('two-phase-immutable', twoPhaseImmutable, { rms });
