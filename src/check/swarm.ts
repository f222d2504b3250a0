// simulate() on a swarm (`simulate spec.ts --cluster URL --cluster-workers N`): the
// walks run on worker processes (src/cluster/swarm-coordinator.ts gathers them and
// hands out the chunks), their counts add up to one process's over the same walks,
// and the lowest violating walk is run again here and shrunk (cluster/swarm-shrink.ts).
// It lives with check() and simulate(), the layer that composes the search with the
// cluster, so that cluster/ never calls back up into check/.
import type { Spec } from '../core/types.js';
import { FingerprintSet } from '../explore/fingerprint-set.js';
import { systemFor } from '../explore/spaces.js';
import type { Stats } from '../explore/types.js';
import { ClusterError } from '../cluster/errors.js';
import type { RunSettings } from '../cluster/run-hash.js';
import { Swarm, type SwarmRun } from '../cluster/swarm-coordinator.js';
import type { WalkedChunk } from '../cluster/swarm-protocol.js';
import { shrinkWalk } from '../cluster/swarm-shrink.js';
import { simulate, type SimulateOptions, type SimulateResult, type SwarmSummary } from './check.js';

/** Chunks of walks added up, one at a time: the same counts as one process's over the same walks. */
class ChunkTally {
  private readonly seen = new FingerprintSet();
  readonly coverage: number[];
  generated = 0;
  depth = 0;
  walks = 0;

  constructor(actions: number) {
    this.coverage = new Array<number>(actions).fill(0);
  }

  add(c: WalkedChunk): void {
    this.generated += c.generated;
    this.depth = Math.max(this.depth, c.depth);
    this.walks += c.to - c.from;
    for (let i = 0; i < this.coverage.length; i++) this.coverage[i]! += c.coverage[i] ?? 0;
    for (let i = 0; i < c.fingerprints.length; i += 2) this.seen.add(c.fingerprints[i]!, c.fingerprints[i + 1]!);
  }

  stats(durationMs: number): Stats {
    const distinct = this.seen.size;
    return {
      generatedStates: this.generated,
      distinctStates: distinct,
      depth: this.depth,
      queueSize: 0,
      durationMs,
      statesPerSecond: durationMs > 0 ? Math.round((distinct * 1000) / durationMs) : distinct,
      collisionProbability: (distinct * Math.max(0, this.generated - distinct)) / 2 ** 64,
      visitedBytesPerState: 0,
    };
  }
}

/**
 * simulate() on a swarm of `run.workers` worker processes; the result has the counts
 * of the walks counted, the lowest walk's violation shrunk, and `swarm` saying how.
 * A lost worker, a refused spec or an unreachable engine: an error result (exit 2).
 */
export async function simulateOnCluster(spec: Spec, options: SimulateOptions & { readonly file: string }, run: SwarmRun): Promise<SimulateResult> {
  // --max-time counts from here (waiting for the workers included), as the command's watchdog does.
  const deadline = options.maxTimeMs === undefined ? Infinity : Date.now() + options.maxTimeMs;
  let started = Date.now();
  const walks = options.walks ?? 100;
  const depth = options.depth ?? 100;
  const seed = options.seed ?? 1;
  // No walk: the params resolved and the spec compiled, or the error result of a bad param.
  const base = simulate(spec, { ...options, walks: 0, onProgress: undefined });
  if (base.verdict === 'error') return base;
  const failed = (e: unknown): SimulateResult => {
    if (!(e instanceof ClusterError)) throw e;
    return { ...base, verdict: 'error', error: { message: `the simulation stopped, without a result: ${e.message}`, file: options.file } };
  };
  const settings: RunSettings = { params: base.params, faults: options.faults, symmetry: options.symmetry === true, deadlock: options.deadlock === true };
  let swarm: Swarm | undefined;
  let outcome: Awaited<ReturnType<Swarm['walk']>>;
  try {
    // Waiting for workers stops at --max-time too (a swarm that never gathered has nothing to report).
    const joining = { ...run, shouldStop: () => run.shouldStop?.() === true || Date.now() >= deadline };
    swarm = await Swarm.join(joining, options.file, settings, { depth, seed });
    started = Date.now(); // the statistics' time is the walks', as a check's is its search's
    // --progress: the counts so far, each chunk as it arrives (one above a walk that turns out to violate too: not the result's counts).
    const running = options.onProgress && new ChunkTally(base.coverage.length);
    const every = options.progressIntervalMs ?? 2000;
    let nextProgress = started + every;
    const onChunk =
      running &&
      ((r: WalkedChunk) => {
        running.add(r);
        const now = Date.now();
        if (now < nextProgress) return;
        nextProgress = now + every;
        options.onProgress!(running.stats(now - started));
      });
    outcome = await swarm.walk(walks, deadline, onChunk);
  } catch (e) {
    await swarm?.close(e instanceof Error ? `the simulation stopped: ${e.message}` : undefined);
    return failed(e);
  }
  await swarm.close();
  const counts = new ChunkTally(base.coverage.length);
  for (const c of outcome.counted) counts.add(c);
  const stats = counts.stats(Date.now() - started);
  const coverage = base.coverage.map((c, i) => ({ ...c, count: counts.coverage[i]! }));
  const summary: SwarmSummary = { workers: run.workers, walksCounted: counts.walks, ...(swarm.lostWorkers > 0 ? { workersLost: swarm.lostWorkers } : {}) };
  const counted = { ...base, walks, stats, coverage, workers: run.workers, swarm: summary };
  if (outcome.found === undefined) {
    if (outcome.timedOut) {
      const message = `stopped at the time bound (--max-time ${(options.maxTimeMs ?? 0) / 1000}s) after ${counts.walks.toLocaleString('en-US')} of ${walks.toLocaleString('en-US')} walks`;
      return { ...counted, verdict: 'incomplete', incomplete: { reason: 'maxTime', message } };
    }
    return { ...counted, verdict: 'none-found' };
  }
  // The walk that found it, again, here: its trace (or the spec's error) without sending it over the network.
  const { walk, what, by } = outcome.found;
  const again = simulate(spec, { ...options, walks: 1, firstWalk: walk, maxTimeMs: undefined, onProgress: undefined });
  const found = { ...summary, walk };
  if (again.verdict === 'error') return { ...counted, verdict: 'error', error: again.error, swarm: found };
  if (again.verdict !== 'violation' || again.violation === undefined) {
    const message =
      `walk ${walk} found ${what} on ${by}, but not when the coordinator ran it again: the spec behaves differently here ` +
      "(nondeterministic: Date.now(), Math.random() or state outside the spec's state; or a module it imports differs between the machines)";
    return { ...counted, verdict: 'error', error: { message, file: options.file }, swarm: found };
  }
  const v = again.violation;
  const shrunk = shrinkWalk(systemFor(spec, base.params, { faults: options.faults }), systemFor(spec, base.params, settings), v, {
    stateBudget: run.shrinkStates,
    maxMemoryBytes: options.maxMemoryBytes,
    shouldStop: run.shouldStop,
  });
  return {
    ...counted,
    stats: { ...stats, durationMs: Date.now() - started },
    verdict: 'violation',
    violation: shrunk.violation,
    swarm: { ...found, walkSteps: v.trace.length - 1, shrink: { how: shrunk.how, states: shrunk.states, ...(shrunk.unproven ? { unproven: shrunk.unproven } : {}) } },
  };
}
