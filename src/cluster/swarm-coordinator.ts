// Swarm simulation (`simulate spec.ts --cluster URL --cluster-workers N`): the random
// walks of `simulate`, spread over worker processes (`faultline worker spec.ts
// --cluster URL`, the same command that serves a check).
//
// - Walk w (0 … W-1) has a generator of its own, seeded by walkSeed(seed, w)
//   (explore/simulate.ts): a walk is the same whichever worker runs it, so the walks
//   are the same on any number of workers, and a rerun with the seed finds the same walk.
// - The walks go out in chunks of consecutive numbers, lowest first, at most
//   IN_FLIGHT per worker (a worker that is done asks for more by answering): fast
//   workers take more, and no chunk waits for a slow one.
// - The verdict is the lowest-numbered walk that found a violation or an error of
//   the spec: when walk v found one, the workers are told that walks above v need not
//   run, and the coordinator waits for every chunk below v. So the verdict, the walk
//   and the counts (the walks 0 … v, or all W) do not depend on N or on timing.
// - The coordinator runs walk v again itself (the trace never crosses the network,
//   and a spec that behaves differently on a worker is caught), then shrinks it
//   (swarm-shrink.ts).
// A worker lost mid-swarm stops it with a message naming the worker, exit 2, as a
// lost worker stops a check (its chunks' walks would be missing from the count).
import fs from 'node:fs';
import type { Spec } from '../core/types.js';
import { simulate, type SimulateOptions, type SimulateResult, type SwarmSummary } from '../check/check.js';
import { FingerprintSet } from '../explore/fingerprint-set.js';
import { systemFor } from '../explore/spaces.js';
import type { Stats } from '../explore/types.js';
import { Bus, JOIN_CHANNEL, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import { Gathering, isAnswer, watchSubscribed } from './gather.js';
import type { ClusterMessage } from './protocol.js';
import { runHash, type RunSettings } from './run-hash.js';
import { shrinkWalk } from './swarm-shrink.js';
import { waitUntil } from './wait.js';
import type { WalkedChunk } from './swarm-protocol.js';

export interface SwarmRun {
  /** redis://[:token@]host:port */
  readonly url: string;
  /** How many workers to wait for. */
  readonly workers: number;
  /** Distinct states the shrinking breadth-first search may visit (0: only cut loops). */
  readonly shrinkStates: number;
  /** Lines for the user (stderr). */
  readonly note?: (line: string) => void;
  /** Called while waiting on the workers (the spec thread's watchdog must see it alive). */
  readonly beat?: () => void;
  /** Polled while waiting: true stops the swarm (as a lost worker does, exit 2). */
  readonly shouldStop?: () => boolean;
}

/** The default of --shrink-states: a few seconds of breadth-first search for the specs in specs/. */
export const DEFAULT_SHRINK_STATES = 200_000;
/** Chunks a worker holds at once: one it walks, one waiting, so it never waits for the engine. */
const IN_FLIGHT = 2;
/** Walks per chunk: about 512 chunks in all (a round trip through the engine per chunk), a function of W only. */
export function chunkSize(walks: number): number {
  return Math.max(1, Math.ceil(walks / 512));
}

interface Member {
  readonly id: string;
  readonly index: number;
  readonly inFlight: Set<number>;
}

/** The coordinator's link to its workers: joining, handing out chunks, watching them. */
class Swarm {
  private members: Member[] = [];
  private readonly byId = new Map<string, Member>();
  private readonly gathering = new Gathering(() => this.bus!, (done, stopped) => this.until(done, stopped));
  private lost?: string;
  private watch?: NodeJS.Timeout;
  private bus?: Bus<ClusterMessage>;
  private onWalked?: (m: Member, body: ClusterMessage) => void;

  private constructor(private readonly run: SwarmRun) {}

  name(m: Member): string {
    return `worker ${m.index + 1} of ${this.members.length} (${m.id})`;
  }

  static async join(run: SwarmRun, file: string, settings: RunSettings, walks: { depth: number; seed: number }): Promise<Swarm> {
    const hash = runHash(fs.readFileSync(file), settings);
    const id = processId();
    const s = new Swarm(run);
    s.bus = await Bus.open<ClusterMessage>(run.url, id, [inboxOf(id), JOIN_CHANNEL], (m) => s.receive(m), (why) => (s.lost ??= why));
    try {
      const N = run.workers;
      run.note?.(`waiting for ${N} worker${N === 1 ? '' : 's'} at ${shownUrl(run.url)} (faultline worker ${file} --cluster URL)`);
      const ids = await s.gathering.workers(N);
      s.members = ids.map((w, index) => ({ id: w, index, inFlight: new Set<number>() }));
      for (const m of s.members) s.byId.set(m.id, m);
      for (const m of s.members) s.send(m, { t: 'swarm', index: m.index, workers: N, settings, hash, ...walks });
      await s.gathering.accepted(ids, (i, w) => `worker ${i + 1} of ${N} (${w})`);
      run.note?.(`${N} worker${N === 1 ? '' : 's'} joined the swarm: ${s.members.map((m) => m.id).join(', ')}`);
      s.watch = watchSubscribed(s.bus, () => s.members.map((m) => m.id), (id) => {
        const m = s.byId.get(id)!;
        s.lost ??= `${s.name(m)} left the cluster mid-simulation: its connection to the engine closed (killed, or its machine went down)`;
      });
      return s;
    } catch (e) {
      await s.close(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Polls `done` until it holds; a lost worker or engine, or shouldStop, ends the wait with an error. */
  private until(done: () => Promise<boolean> | boolean, stopped: () => string): Promise<void> {
    return waitUntil(done, { lost: () => this.lost, shouldStop: this.run.shouldStop, stopped, beat: this.run.beat, everyMs: 20 });
  }

  private send(m: Member, body: ClusterMessage): void {
    this.bus!.send(m.id, body).then(
      (n) => {
        if (n === 0) this.lost ??= `${this.name(m)} is gone: nobody listens on its channel any more`;
      },
      (e: unknown) => (this.lost ??= `cannot reach the engine at ${shownUrl(this.run.url)}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private receive(e: Envelope<ClusterMessage>): void {
    const body = e.body;
    if (body.t === 'hello') {
      if (this.members.length === 0) this.gathering.hello(e.from);
      return;
    }
    const m = this.byId.get(e.from);
    if (m === undefined) return; // not one of this swarm's workers
    if (isAnswer(body)) {
      this.gathering.answer(m.id, body);
      if (body.t === 'lost') this.lost ??= `${this.name(m)} stopped: ${body.message}`;
    } else if (body.t === 'walked' || body.t === 'abandoned') this.onWalked?.(m, body);
  }

  /**
   * Runs walks 0 … walks-1 in chunks; resolves with the chunks that count (those up
   * to the lowest walk that found something, or all), in order, or stops at `deadline`.
   */
  async walk(walks: number, deadline: number): Promise<{ counted: WalkedChunk[]; found?: { walk: number; what: string; by: string }; timedOut: boolean }> {
    const size = chunkSize(walks);
    const chunks = Math.ceil(walks / size);
    const results = new Map<number, WalkedChunk>();
    const again: number[] = [];
    let next = 0;
    let found: { walk: number; what: string; by: string } | undefined;
    // Chunks past the one with the lowest finding need not run.
    const end = (): number => (found === undefined ? chunks : Math.floor(found.walk / size) + 1);
    const dispatch = (m: Member): void => {
      while (m.inFlight.size < IN_FLIGHT) {
        let k = again.shift();
        if (k === undefined && next < end()) k = next++;
        if (k === undefined) return;
        m.inFlight.add(k);
        this.send(m, { t: 'walks', chunk: k, from: k * size, to: Math.min(walks, (k + 1) * size) });
      }
    };
    this.onWalked = (m, body) => {
      if (body.t === 'abandoned') {
        m.inFlight.delete(body.chunk);
        // Abandoned below the finding (not expected: a worker abandons only above it): run it again.
        if (body.chunk < end()) again.push(body.chunk);
      } else if (body.t === 'walked') {
        const r = body.r;
        m.inFlight.delete(r.chunk);
        if (r.chunk < end()) {
          results.set(r.chunk, r);
          if (r.found !== undefined && (found === undefined || r.found.walk < found.walk)) {
            found = { ...r.found, by: this.name(m) };
            for (const other of this.members) this.send(other, { t: 'walk-limit', walk: found.walk });
          }
        }
      }
      dispatch(m);
    };
    for (const m of this.members) dispatch(m);
    let timedOut = false;
    await this.until(
      () => {
        if (Date.now() >= deadline) timedOut = true;
        for (let k = 0; k < end(); k++) if (!results.has(k)) return timedOut;
        return true;
      },
      () => 'stopped',
    );
    this.onWalked = undefined;
    // Counted: the chunks before the first one missing (all of them, unless the time ran out).
    const counted: WalkedChunk[] = [];
    for (let k = 0; k < end() && results.has(k); k++) counted.push(results.get(k)!);
    const complete = counted.length === end();
    return { counted, found: complete ? found : undefined, timedOut: timedOut && !complete };
  }

  /** Says bye to every worker (they exit) and leaves the engine. */
  async close(reason = 'the simulation is over'): Promise<void> {
    clearInterval(this.watch);
    const bus = this.bus;
    if (bus === undefined) return;
    await bus.closeWith([...this.gathering.candidates, ...this.members.map((m) => m.id)], { t: 'bye', reason });
  }
}

/** What the counted chunks add up to: the same as one process's counts over the same walks. */
function countChunks(chunks: readonly WalkedChunk[], actions: number): { generated: number; distinct: number; depth: number; coverage: number[]; walks: number } {
  const seen = new FingerprintSet();
  const coverage = new Array<number>(actions).fill(0);
  let generated = 0;
  let depth = 0;
  let walks = 0;
  for (const c of chunks) {
    generated += c.generated;
    depth = Math.max(depth, c.depth);
    walks += c.to - c.from;
    for (let i = 0; i < actions; i++) coverage[i]! += c.coverage[i] ?? 0;
    for (let i = 0; i < c.fingerprints.length; i += 2) seen.add(c.fingerprints[i]!, c.fingerprints[i + 1]!);
  }
  return { generated, distinct: seen.size, depth, coverage, walks };
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
    outcome = await swarm.walk(walks, deadline);
  } catch (e) {
    await swarm?.close(e instanceof Error ? `the simulation stopped: ${e.message}` : undefined);
    return failed(e);
  }
  await swarm.close();
  const counts = countChunks(outcome.counted, base.coverage.length);
  const durationMs = Date.now() - started;
  const stats: Stats = {
    generatedStates: counts.generated,
    distinctStates: counts.distinct,
    depth: counts.depth,
    queueSize: 0,
    durationMs,
    statesPerSecond: durationMs > 0 ? Math.round((counts.distinct * 1000) / durationMs) : counts.distinct,
    collisionProbability: (counts.distinct * Math.max(0, counts.generated - counts.distinct)) / 2 ** 64,
    visitedBytesPerState: 0,
  };
  const coverage = base.coverage.map((c, i) => ({ ...c, count: counts.coverage[i]! }));
  const summary: SwarmSummary = { workers: run.workers, walksCounted: counts.walks };
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
