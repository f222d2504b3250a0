// The body of `faultline simulate`: load, walk, render. Runs in a worker thread
// (command-worker.ts, via spec-commands.ts), so that SIGINT, SIGTERM and --max-time end the command even
// when the spec's code never returns: the main thread terminates the worker.
import type { ParamValue } from '../core/types.js';
import { parseAssignments } from '../core/params.js';
import { simulate, type SimulateResult } from '../check/check.js';
import { loadCommandSpec } from './loaded-spec.js';
import { unwrapTooLong } from './call-limit.js';
import { EXIT, simulateExitCode } from './exit-codes.js';
import { parseFaults } from './flags.js';
import { defaultMaxMemory } from './resources.js';
import { errorResultFor } from './jobs.js';
import { toJsonReport } from './report/json.js';
import { colorWanted, renderResult } from './report/text.js';
import { traceProducts, traceSettingsFrom, type TraceFlags } from './report/trace-outputs.js';
import type { Stats } from '../explore/types.js';
import { UsageError } from '../core/params.js';
import { DEFAULT_SHRINK_STATES } from '../cluster/swarm-coordinator.js';
import { simulateOnCluster } from '../check/swarm.js';

/** The flags of `simulate` (commander's plain object). */
export interface SimulateFlags extends TraceFlags {
  param?: string[];
  faults?: string[];
  typecheck: boolean;
  json?: boolean;
  progress?: boolean;
  coverage?: boolean;
  maxTime?: number;
  maxMemory?: number;
  callTimeout?: number;
  loadTimeout?: number;
  deadlock?: boolean;
  symmetry?: boolean;
  walks: number;
  depth: number;
  seed: number;
  /** The swarm (src/cluster/swarm-coordinator.ts): the engine's URL, how many workers, the shrinking search's budget. */
  cluster?: string;
  clusterWorkers?: number;
  shrinkStates?: number;
}

/** --cluster URL --cluster-workers N [--shrink-states S]: a swarm, or a usage error for a half-given one. */
export function checkSwarmFlags(flags: SimulateFlags): void {
  if (flags.cluster === undefined) {
    if (flags.clusterWorkers !== undefined) throw new UsageError('--cluster-workers goes with --cluster <url>');
    if (flags.shrinkStates !== undefined) throw new UsageError('--shrink-states goes with --cluster <url> (simulate shows its own walk as it is)');
    return;
  }
  if (flags.clusterWorkers === undefined) throw new UsageError('--cluster: say how many workers to wait for with --cluster-workers <n>');
}

/** Runs the simulation; returns what to print on stdout and the exit code. */
export async function simulateReport(
  file: string,
  flags: SimulateFlags,
  hooks: { readonly onLoaded?: () => void; readonly onProgress?: (s: Stats) => void; readonly onSearched?: () => void; readonly onBeat?: () => void } = {},
): Promise<{ stdout: string; exit: number }> {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  let result: SimulateResult;
  let traced: ReturnType<typeof traceProducts<SimulateResult>> | undefined;
  try {
    const spec = await loadCommandSpec(file, { typecheck: flags.typecheck });
    hooks.onLoaded?.();
    const options = {
      params,
      faults: parseFaults(flags.faults),
      walks: flags.walks,
      depth: flags.depth,
      seed: flags.seed,
      maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
      maxMemoryBytes: flags.maxMemory ?? defaultMaxMemory(),
      deadlock: flags.deadlock,
      symmetry: flags.symmetry,
      file,
      onProgress: flags.progress ? hooks.onProgress : undefined,
    };
    result =
      flags.cluster === undefined
        ? simulate(spec, options)
        : await simulateOnCluster(spec, options, {
            url: flags.cluster,
            workers: flags.clusterWorkers!,
            shrinkStates: flags.shrinkStates ?? DEFAULT_SHRINK_STATES,
            note: (line) => process.stderr.write(`faultline: cluster: ${line}\n`),
            beat: hooks.onBeat,
          });
    hooks.onSearched?.();
    result = unwrapTooLong(result);
    traced = traceProducts(spec, result, traceSettingsFrom(flags));
    for (const e of traced.errors) process.stderr.write(`faultline: ${e}\n`);
  } catch (e) {
    result = simulateErrorResult(file, flags, e);
  }
  return renderSimulate(result, flags, traced);
}

function simulateErrorResult(file: string, flags: SimulateFlags, e: unknown): SimulateResult {
  const r = errorResultFor(file, e);
  return { ...r, verdict: 'error', seed: flags.seed, walks: flags.walks };
}

/** The report of a simulation the main thread had to stop (a call that never returned, memory): `e`, as that spec's error. */
export function simulateErrorReport(file: string, flags: SimulateFlags, e: unknown): { stdout: string; exit: number } {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  return renderSimulate({ ...simulateErrorResult(file, flags, e), params }, flags, undefined);
}

function renderSimulate(result: SimulateResult, flags: SimulateFlags, traced: ReturnType<typeof traceProducts<SimulateResult>> | undefined): { stdout: string; exit: number } {
  let stdout: string;
  if (flags.json) stdout = JSON.stringify(toJsonReport(result), null, 2) + '\n';
  else {
    stdout = renderResult(result, { color: colorWanted(), coverage: flags.coverage, ...traced?.text });
    if (traced?.notices.length) stdout += traced.notices.join('\n') + '\n';
  }
  return { stdout, exit: Math.max(simulateExitCode(result), traced?.failedWrites ? EXIT.error : EXIT.ok) };
}
