// check() and simulate(): the programmatic entry points. Pure library calls: they
// return a result object and never print or exit. They sit above explore/ and compose
// it with the liveness pass, the replay that verifies a trace, and the cluster, so
// that the search itself depends on none of those.
import { SpecError, isSpecError, type TraceStep } from '../core/errors.js';
import { UsageError, resolveParams } from '../core/params.js';
import type { Expectation, ParamValue, Spec } from '../core/types.js';
import type { TransitionSystem } from '../explore/system.js';
import { bfs } from '../explore/bfs.js';
import { dfs } from '../explore/dfs.js';
import { spaceFor } from '../explore/spaces.js';
import { PeerLost, parallelBfs } from '../explore/parallel/coordinator.js';
import type { ShardSpace } from '../explore/parallel/shard.js';
import { Cluster } from '../cluster/coordinator.js';
import { ClusterError } from '../cluster/errors.js';
import { Search } from '../explore/search.js';
import { simulateWalks, type WalkOptions } from '../explore/simulate.js';
import { unreproducible } from '../trace/verify.js';
import { withSymmetry } from '../explore/symmetry.js';
import { validateCall } from '../explore/options.js';
import { checkExpectation, checkFaultsApply, checkSymmetrySets } from '../explore/preflight.js';
import type { CheckOptions, CheckResult, Stats, Violation } from '../explore/types.js';
import { livenessPass } from '../liveness/pass.js';
import { Checkpointer } from '../explore/checkpoint/checkpointer.js';
import { PASS_INTERRUPTED } from '../explore/state-graph.js';

export interface SimulateOptions extends Omit<CheckOptions, 'strategy' | 'maxDepth' | 'checkpoint'> {
  readonly walks?: number;
  /** Steps per walk. */
  readonly depth?: number;
  readonly seed?: number;
  /** The swarm's numbering (simulate.ts WalkOptions.first): walks firstWalk, firstWalk+1, …, each seeded by its number. */
  readonly firstWalk?: number;
}

export interface SimulateResult extends Omit<CheckResult, 'verdict' | 'complete' | 'expectation' | 'strategy'> {
  readonly verdict: 'violation' | 'none-found' | 'incomplete' | 'error';
  readonly seed: number;
  readonly walks: number;
  /** simulate --cluster (src/check/swarm.ts): the swarm that walked, and how its trace was shrunk. */
  readonly swarm?: SwarmSummary;
}

export interface SwarmSummary {
  readonly workers: number;
  /** The walks counted: all of them, or 0 … walk when walk `walk` found the violation or error. */
  readonly walksCounted: number;
  /** Workers that left mid-swarm (their chunks were walked by the others). */
  readonly workersLost?: number;
  readonly walk?: number;
  /** The violating walk's own steps, and how the trace shown was made from it (src/cluster/swarm-shrink.ts). */
  readonly walkSteps?: number;
  readonly shrink?: { readonly how: 'shortest' | 'loops-cut' | 'as-walked'; readonly states: number; readonly unproven?: string };
}

const emptyStats: Stats = {
  generatedStates: 0,
  distinctStates: 0,
  depth: 0,
  queueSize: 0,
  durationMs: 0,
  statesPerSecond: 0,
  collisionProbability: 0,
  visitedBytesPerState: 0,
};

type Prepared =
  | { readonly ok: true; readonly system: TransitionSystem<unknown>; readonly params: Record<string, ParamValue> }
  | { readonly ok: false; readonly result: CheckResult };

/** Resolves params and compiles the spec; a bad param or spec becomes an error result. */
function prepare(spec: Spec, options: CheckOptions): Prepared {
  try {
    checkFaultsApply(spec, options.faults);
    const params = resolveParams(spec.name, spec.params, options.params);
    const compiled = spec.compile(params, { faults: options.faults });
    refuseWithLiveness(compiled, options);
    refuseWithCheckpoint(options);
    checkSymmetrySets(compiled);
    if (!options.ignoreExpect) checkExpectation(spec, compiled.expect ?? spec.expect);
    const system = options.symmetry ? withSymmetry(compiled) : compiled;
    return { ok: true, system, params: { ...params } };
  } catch (e) {
    return { ok: false, result: errorResult(spec, options, e) };
  }
}

/**
 * Liveness is decided on the BFS's state graph. Symmetry reduction is refused with
 * it: a lasso in the quotient graph need not be one of the spec (TLC has the same
 * hazard), and a fairness instance names concrete nodes that symmetry merges.
 */
function refuseWithLiveness(system: TransitionSystem<unknown>, options: CheckOptions): void {
  const names = (system.liveness ?? []).map((p) => p.name);
  if (names.length === 0 || options.liveness === false) return;
  if (options.symmetry) {
    throw new UsageError(
      `--symmetry cannot be used with liveness properties (${names.join(', ')}): a cycle of symmetric representatives need not be a behaviour of the spec. Drop --symmetry.`,
    );
  }
  if (options.strategy === 'dfs') {
    throw new UsageError(`liveness properties (${names.join(', ')}) are checked on the breadth-first search's state graph: drop --strategy dfs.`);
  }
}

/** Checkpoints are of the breadth-first search's state (checkpoint/). */
function refuseWithCheckpoint(options: CheckOptions): void {
  if (options.checkpoint === undefined) return;
  const flag = options.checkpoint.resumeFrom !== undefined ? '--resume' : '--checkpoint';
  if (options.strategy === 'dfs') throw new UsageError(`${flag} continues a breadth-first search: drop --strategy dfs`);
}

function errorResult(spec: Spec, options: CheckOptions, e: unknown, stats = emptyStats): CheckResult {
  return specErrorResult(e, {
    spec: spec.name,
    file: options.file,
    params: { ...spec.params, ...(options.params ?? {}) },
    strategy: options.strategy ?? 'bfs',
    stats,
  });
}

/**
 * The result for a spec or usage error (also one met before the spec loaded, where
 * only the file is known). Anything else thrown is a faultline bug and is rethrown.
 */
export function specErrorResult(
  e: unknown,
  where: { spec: string; file?: string; params?: Record<string, ParamValue>; strategy?: CheckResult['strategy']; stats?: Stats },
): CheckResult {
  if (!(e instanceof UsageError) && !isSpecError(e)) throw e;
  const err = e as Partial<SpecError> & Error;
  return {
    verdict: 'error',
    spec: where.spec,
    file: where.file,
    params: where.params ?? {},
    strategy: where.strategy ?? 'bfs',
    stats: where.stats ?? emptyStats,
    complete: false,
    constraintInForce: false,
    error: {
      message: err.message,
      file: where.file,
      role: err.role,
      handler: err.handler,
      action: err.action,
      trace: err.trace,
    },
    coverage: [],
  };
}

function coverageOf(system: TransitionSystem<unknown>, search: Search<unknown>) {
  return system.actions.map((a, i) => ({ action: a.name, fault: a.fault === true, count: search.counts.coverage[i]! }));
}

/** 512 MiB, 1 KiB, 1.5 GiB: never "0 MiB" for a small bound. */
export function sizeText(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) [v, u] = [v / 1024, u + 1];
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

const boundMessages = {
  maxDepth: (o: CheckOptions) => `stopped at the depth bound (--max-depth ${o.maxDepth}); states beyond it were not explored`,
  maxStates: (o: CheckOptions) => `stopped at the state bound (--max-states ${o.maxStates}) before exploring every state`,
  maxTime: (o: CheckOptions) => `stopped at the time bound (--max-time ${(o.maxTimeMs ?? 0) / 1000}s) before exploring every state`,
  maxMemory: (o: CheckOptions) =>
    `stopped at the memory bound (--max-memory ${sizeText(o.maxMemoryBytes ?? 0)}) before exploring every state`,
  interrupted: () => 'interrupted before exploring every state',
};

export function evaluateExpectation(
  expected: Expectation,
  verdict: CheckResult['verdict'],
  violation: Violation | undefined,
): { expected: Expectation; met: boolean; message: string } {
  if (expected === 'holds') {
    const met = verdict === 'ok';
    const what =
      verdict === 'violation' ? `it violates ${violation!.property}` : verdict === 'incomplete' ? 'the search was incomplete' : verdict === 'error' ? 'the check failed with an error' : 'it holds';
    return { expected, met, message: met ? 'expected to hold; it holds' : `expected to hold; ${what}` };
  }
  const met = verdict === 'violation' && violation!.property === expected.violates;
  const what =
    verdict === 'violation'
      ? `it violates ${violation!.property}`
      : verdict === 'ok'
        ? 'it holds'
        : verdict === 'incomplete'
          ? 'no violation was found before the search stopped'
          : 'the check failed with an error';
  return {
    expected,
    met,
    message: `expected a violation of ${expected.violates}; ${met ? 'found it' : what}`,
  };
}

/** An expected liveness violation under --no-liveness: not met, and not because "it holds". */
function expectationNotChecked(expected: Expectation, verdict: CheckResult['verdict'], liveness: CheckResult['liveness']): ReturnType<typeof evaluateExpectation> | undefined {
  if (expected === 'holds' || verdict === 'violation' || !liveness?.skipped || !liveness.properties.includes(expected.violates)) return undefined;
  return { expected, met: false, message: `expected a violation of ${expected.violates}; not checked (--no-liveness)` };
}

/** Runs a search (BFS by default) over the spec's reachable states. */
export function check(spec: Spec, options: CheckOptions = {}): CheckResult {
  validateCall('check', spec, options);
  const prepared = prepare(spec, options);
  if (!prepared.ok) return prepared.result;
  return search(spec, options, prepared.system, prepared.params);
}

/** One thread's search of a compiled system, by the strategy and representation that fit. */
function search(spec: Spec, options: CheckOptions, system: TransitionSystem<unknown>, params: Record<string, ParamValue>): CheckResult {
  const s = new Search(system, options);
  // With liveness properties (s.graph) the BFS records the state graph; the packed search does not.
  if (options.strategy === 'dfs' && s.checker.graph === undefined) dfs(s);
  else {
    let bfsSpace: ReturnType<typeof spaceWithCheckpoints>;
    try {
      bfsSpace = spaceWithCheckpoints(s, spec, options, params, false);
    } catch (e) {
      return { ...errorResult(spec, options, e), params };
    }
    bfs(s, bfsSpace.space, bfsSpace.checkpointer);
  }
  return finish(spec, options, system, params, s);
}

/**
 * The space a breadth-first search keeps its states in, and its checkpointer when
 * options.checkpoint asks for one (restored from the checkpoint when resuming; a
 * UsageError when that does not fit). `words`: the parallel search's layout. A
 * checkpoint written in that layout (by a search with --workers) is resumed in it.
 */
function spaceWithCheckpoints(s: Search<unknown>, spec: Spec, options: CheckOptions, params: Record<string, ParamValue>, words: boolean): { space: ShardSpace; checkpointer?: Checkpointer } {
  const resumeFrom = options.checkpoint?.resumeFrom;
  const space = spaceFor(s, words || (resumeFrom !== undefined && Checkpointer.layoutIn(resumeFrom) === 'words'));
  return { space, checkpointer: options.checkpoint && Checkpointer.for(s, space, spec.name, params) };
}

/**
 * check() with worker threads: a spec loaded from a file (options.file) is searched
 * by options.workers threads, with the same counts, verdict and trace as one thread.
 * Liveness and DFS searches run on one thread (check()).
 */
export async function checkAsync(spec: Spec, options: CheckOptions = {}): Promise<CheckResult> {
  validateCall('checkAsync', spec, options);
  if (options.cluster !== undefined) return checkOnCluster(spec, options, options.cluster);
  const workers = options.workers ?? 1;
  if (workers <= 1 || options.file === undefined || options.strategy === 'dfs') return check(spec, options);
  const prepared = prepare(spec, options);
  if (!prepared.ok) return prepared.result;
  const { system, params } = prepared;
  if ((system.liveness?.length ?? 0) > 0 && options.liveness !== false) return search(spec, options, system, params);
  const s = new Search(system, { ...options, liveness: false });
  let shared: ReturnType<typeof spaceWithCheckpoints>;
  try {
    shared = spaceWithCheckpoints(s, spec, options, params, true);
  } catch (e) {
    return { ...errorResult(spec, options, e), params };
  }
  const threads = await parallelBfs(s, { file: options.file, params, workers, ...shared });
  // Its states hold values that cannot move between threads: one thread searches again.
  if (threads === 0) return search(spec, options, system, params);
  const result = finish(spec, options, system, params, s);
  // A search over before the worker threads took over was one thread's.
  return threads > 1 ? { ...result, workers: threads } : result;
}

/**
 * checkAsync() on a cluster (src/cluster/): the parallel search with its shards on
 * worker processes that joined through the engine, the same counts, verdict and trace.
 * A worker lost mid-search, or one that refuses the spec, is an error result (exit 2).
 */
async function checkOnCluster(spec: Spec, options: CheckOptions, cluster: NonNullable<CheckOptions['cluster']>): Promise<CheckResult> {
  let joined: Cluster | undefined;
  let params: Record<string, ParamValue> | undefined;
  let checkpointer: Checkpointer | undefined;
  try {
    if (options.file === undefined) throw new UsageError('--cluster checks a spec loaded from a file (every worker loads the file too)');
    if (options.strategy === 'dfs') throw new UsageError('--cluster runs the breadth-first search: drop --strategy dfs');
    if ((options.workers ?? 1) > 1) throw new UsageError(`--cluster spreads the search over its workers' processes: drop --workers ${options.workers}`);
    const prepared = prepare(spec, options);
    if (!prepared.ok) return prepared.result;
    const { system } = prepared;
    params = prepared.params;
    const liveness = (system.liveness ?? []).map((p) => p.name);
    if (liveness.length > 0 && options.liveness !== false) {
      throw new UsageError(`--cluster checks safety only for now: the liveness properties (${liveness.join(', ')}) need one process's state graph; add --no-liveness`);
    }
    const s = new Search(system, { ...options, liveness: false });
    // Checkpoints as with --workers: at level boundaries, in the words layout (one process or a cluster resumes them).
    const shared = spaceWithCheckpoints(s, spec, options, params, true);
    checkpointer = shared.checkpointer;
    const settings = { params, faults: options.faults, symmetry: system.canonical !== undefined, recheckRate: options.recheckRate, deadlock: options.deadlock === true };
    joined = await Cluster.join(cluster, options.file, settings, options.shouldStop, (line) => process.stderr.write(`faultline: cluster: ${line}\n`));
    const c = joined;
    const shards = await parallelBfs(s, { file: options.file, params, workers: cluster.workers, ...shared, startPeers: (control) => c.startPeers(control), atBoundary: (depth) => c.atBoundary(depth) });
    if (shards === 0) throw new ClusterError("its states hold values that cannot be sent to other processes (Immutable.js Records): check it without --cluster");
    const result = finish(spec, options, system, params, s);
    return shards > 1 ? { ...result, workers: shards } : result;
  } catch (e) {
    const err = e instanceof PeerLost ? new ClusterError(`the search stopped, without a result: ${e.message}${resumeHint(checkpointer)}`) : e;
    return params === undefined ? errorResult(spec, options, err) : { ...errorResult(spec, options, err), params };
  } finally {
    await joined?.close();
  }
}

/** After a lost worker: where the search can go on from, when a checkpoint was written. */
function resumeHint(checkpointer: Checkpointer | undefined): string {
  const cp = checkpointer?.stats;
  if (cp === undefined || cp.written === 0) return '';
  return `. Its last checkpoint (${cp.states.toLocaleString('en-US')} states) is in ${cp.dir}: --resume ${cp.dir} goes on from it, with --cluster or without`;
}

function finish(
  spec: Spec,
  options: CheckOptions,
  system: TransitionSystem<unknown>,
  params: Record<string, ParamValue>,
  search: Search<unknown>,
  exhaustive = true,
): CheckResult {
  let violation: Violation | undefined;
  try {
    violation = search.violation();
  } catch (e) {
    if (!isSpecError(e)) throw e;
    search.error = e;
  }
  if (search.error) return { ...errorResult(spec, options, search.error, search.stats()), params, coverage: coverageOf(system, search) };
  let livenessIncomplete: CheckResult['incomplete'];
  let livenessStats: CheckResult['liveness'];
  const livenessNames = (system.liveness ?? []).map((p) => p.name);
  if (livenessNames.length > 0 && options.liveness === false) livenessStats = { properties: livenessNames, edges: 0, graphBytes: 0, passMs: 0, skipped: true };
  if (exhaustive && search.checker.graph !== undefined && violation === undefined && (search.stopped === undefined || search.stopped === 'maxDepth')) {
    try {
      const graph = search.checker.graph;
      graph.finish(search.links.size, `the depth bound (--max-depth ${options.maxDepth})`);
      const passStart = Date.now();
      const report = livenessPass(graph, search.links, search.counts.initialCount);
      livenessStats = { properties: livenessNames, edges: graph.edges, graphBytes: graph.bytes, passMs: Date.now() - passStart };
      if (report.violation) {
        const v = report.violation;
        violation = {
          property: v.property,
          kind: 'liveness',
          message: v.message,
          trace: v.lasso.trace,
          loop: v.lasso.loop,
          liveness: { form: v.form, fairness: graph.fairness.summary, taken: v.lasso.taken, disabled: v.lasso.disabled },
        };
      } else if (report.bounded.length > 0 && search.stopped === undefined) {
        const b = report.bounded[0]!;
        livenessIncomplete = {
          reason: 'liveness',
          message:
            `${b.property} could not be decided: some behaviour that has not met it yet is cut off by ${b.bounds.join(' and ')}; ` +
            `a behaviour stopped by a bound is not a counterexample. Raise the bound${report.bounded.length > 1 ? ` (also undecided: ${report.bounded.slice(1).map((x) => x.property).join(', ')})` : ''}`,
        };
      }
    } catch (e) {
      if (e === PASS_INTERRUPTED) search.budget.stopped = 'interrupted';
      else {
        if (!isSpecError(e)) throw e;
        search.error = e;
        return { ...errorResult(spec, options, e, search.stats()), params, coverage: coverageOf(system, search) };
      }
    }
  }
  const stats = search.stats(); // after the liveness pass: its time counts
  const complete = exhaustive && violation === undefined && search.stopped === undefined && livenessIncomplete === undefined;
  if (complete) {
    const never = search.checker.unsatisfiedSometimes();
    if (never.length > 0) {
      violation = {
        property: never[0]!,
        kind: 'sometimes',
        message: `${never[0]} is never true in any reachable state${never.length > 1 ? ` (nor are: ${never.slice(1).join(', ')})` : ''}`,
        trace: [],
      };
    }
  }
  // A reported trace must reproduce (trace/verify.ts); simulate verifies its walk itself.
  const unreproduced = exhaustive && violation !== undefined ? unreproducible(system, violation) : undefined;
  if (unreproduced) return { ...errorResult(spec, options, unreproduced, stats), params, coverage: coverageOf(system, search) };
  const verdict: CheckResult['verdict'] = violation ? 'violation' : complete ? 'ok' : 'incomplete';
  const expected = options.ignoreExpect ? undefined : (system.expect ?? spec.expect);
  return {
    verdict,
    spec: spec.name,
    file: options.file,
    params,
    faults: options.faults ? { ...options.faults } : undefined,
    strategy: options.strategy ?? 'bfs',
    stats,
    complete,
    constraintInForce: search.counts.constraintInForce,
    symmetry: options.symmetry ? (system.canonical ? (system.symmetry ?? []).filter((g) => g.length > 1) : []) : undefined,
    violation,
    incomplete: violation ? undefined : search.stopped ? { reason: search.stopped, message: boundMessages[search.stopped](options) } : livenessIncomplete,
    expectation: expected === undefined ? undefined : expectationNotChecked(expected, verdict, livenessStats) ?? evaluateExpectation(expected, verdict, violation),
    ...(livenessStats ? { liveness: livenessStats } : {}),
    coverage: coverageOf(system, search),
    ...(search.counts.checkpoint ? { checkpoint: { ...search.counts.checkpoint } } : {}),
  };
}

/** Random walks; the verdict is "violation" or "none-found" (a random search proves nothing). */
export function simulate(spec: Spec, options: SimulateOptions = {}): SimulateResult {
  validateCall('simulate', spec, options);
  const walk: WalkOptions = { walks: options.walks ?? 100, depth: options.depth ?? 100, seed: options.seed ?? 1, first: options.firstWalk };
  const prepared = prepare(spec, options);
  const base = (r: CheckResult): SimulateResult => {
    const { verdict: _v, complete: _c, expectation: _e, strategy: _s, ...rest } = r;
    return { ...rest, verdict: r.verdict === 'error' ? 'error' : 'none-found', seed: walk.seed, walks: walk.walks };
  };
  if (!prepared.ok) return base(prepared.result);
  const { system, params } = prepared;
  const search = new Search(system, { ...options, liveness: false }); // a random walk decides no liveness property
  const trace: TraceStep[] | undefined = simulateWalks(search, walk);
  const result = finish(spec, { ...options, ignoreExpect: true }, system, params, search, false);
  if (search.found) {
    const violation = search.violation(trace);
    const unreproduced = violation && unreproducible(system, violation);
    if (unreproduced) return base({ ...errorResult(spec, options, unreproduced, result.stats), params, coverage: result.coverage });
    return { ...base(result), verdict: 'violation', violation, incomplete: undefined };
  }
  if (result.verdict === 'error') return base(result);
  const stopped = search.stopped && search.stopped !== 'maxDepth';
  return {
    ...base(result),
    verdict: stopped ? 'incomplete' : 'none-found',
    violation: undefined,
    incomplete: result.incomplete,
  };
}
