// What every search strategy shares: the visited set, statistics, property
// checks, coverage counts, bounds, and turning a stop (violation, error, bound)
// into a result. Strategies (bfs.ts, dfs.ts) only decide the order of expansion.
import { SpecError, describeThrown, isSpecError, type TraceStep } from '../core/errors.js';
import type { NamedProperty, PropertyResult } from '../core/types.js';
import type { TransitionSystem } from './system.js';
import { fingerprintInto, isNonCanonical, sealPending } from '../values/fingerprint.js';
import { ShapeHasher } from '../values/shape-hash.js';
import { reconstructTrace, resolveLabel, stateFingerprintInto, type ParentLinks } from './reconstruct.js';
import type { CheckOptions, Stats, Violation, ViolationKind } from './types.js';
import { StateGraph } from './state-graph.js';
import { coreFairness } from '../core/liveness.js';
import { UsageError } from '../core/params.js';
import type { CheckpointStats } from './types.js';
import { FaultTally } from './fault-floors.js';

/** A search's counters in a checkpoint (JSON). */
export interface SearchCounters {
  readonly generated: number;
  readonly outside: number;
  readonly initialCount: number;
  readonly depth: number;
  readonly coverage: number[];
  readonly sometimesPending: boolean[];
  readonly constraintInForce: boolean;
  readonly elapsedMs: number;
  /** Ranking faults: the floors of the level and the faults of the next one's states so far (fault-floors.ts), base64. */
  readonly faults?: { readonly floors: string; readonly tally: string };
}

export type StopReason = 'maxDepth' | 'maxStates' | 'maxTime' | 'maxMemory' | 'interrupted';

/** A violation found during the search, before its trace is rebuilt. */
export interface Found {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly message: string;
  /** The state the trace leads to. */
  readonly stateId: number;
  /** For an action property: the transition that broke it (not in the visited set when it led to a known state). */
  readonly transition?: { readonly label: string; readonly next: unknown };
  /** Faults on the way to it, for a spec with fault actions (Search.ranksFaults): what a level's violations are ranked by. */
  readonly faults?: number;
}

/** What a property returned, named so the user recognises it: NaN, a Promise, {…}. */
function returnedValue(result: unknown): string {
  if (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function') {
    return 'a Promise (properties must be synchronous: no async, no await)';
  }
  if (typeof result === 'number' || typeof result === 'bigint' || result === undefined) return String(result);
  if (typeof result === 'function') return 'a function (call it?)';
  try {
    return JSON.stringify(result) ?? String(result);
  } catch {
    return String(result);
  }
}

/** Why a property result is a violation, or undefined when it holds. */
function verdictOf(result: unknown, group: string, name: string): string | undefined {
  if (result === true) return undefined;
  if (result === false) return `${name} is false`;
  if (typeof result === 'string') return result === '' ? `${name} is violated (it returned an empty string, not an explanation)` : result;
  throw new SpecError(`${group} ${name} returned ${returnedValue(result)}; return true when it holds, or false / a string explaining the violation`, { handler: name });
}

/** A search's parent links: what traces are rebuilt from, and the count of states kept. */
export interface Links extends ParentLinks {
  readonly size: number;
  readonly bytes: number;
}

const noLinks: Links = {
  size: 0,
  bytes: 0,
  fingerprintA: () => NaN,
  fingerprintB: () => NaN,
  pathTo: () => [],
};

export class Search<S> {
  /** Where traces are rebuilt from: set by the strategy, which owns its visited set and links. */
  links: Links = noLinks;
  /** Bytes of visited-set memory held outside `links` (the fingerprint set, interned parts). */
  memoryElsewhere: () => number = () => 0;
  /**
   * States kept that fail the constraint: checked against the invariants but, as in
   * TLC, not counted as distinct states (they are kept only to name their traces).
   */
  outside = 0;
  readonly fp = new Uint32Array(2);
  readonly coverage: Float64Array;
  readonly startedAt = Date.now();
  /** A resumed search: the search time of the runs before it, and the distinct states they left (not in this run's rate). */
  priorMs = 0;
  priorDistinct = 0;
  /** Checkpoints written and resumed from (checkpoint/checkpointer.ts). */
  checkpoint?: CheckpointStats;
  generated = 0;
  depth = 0;
  queueSize = 0;
  found?: Found;
  error?: SpecError;
  /** The bound that cut the search short, if any. */
  stopped?: StopReason;
  constraintInForce = false;
  /** The state graph the liveness pass runs on (recorded when the spec has liveness properties). */
  readonly graph: StateGraph<S> | undefined;
  /** Initial states admitted (their ids are 0 .. initialCount - 1). */
  initialCount = 0;
  /** Fingerprints are a bijection of the state (small packed layouts): no collision is possible. */
  exactFingerprints = false;
  /**
   * The spec has fault actions and counts them in its states (a protocol with a fault
   * budget): every path to a state has the same number of faults, read off the state.
   * A violation's level is then searched to its end for the one with the fewest (bfs.ts).
   */
  readonly ranksFaults: boolean;
  /** Set by a breadth-first search ranking faults: the faults of each state checked, in order (fault-floors.ts). */
  tally: FaultTally | undefined = undefined;
  /** Ranking faults: the floors of the level being expanded (fault-floors.ts). */
  faultFloors: Uint8Array = new Uint8Array(0);
  /**
   * While set, a violation does not end the search: it is handed here and the search
   * goes on (the rest of its level is searched for one with fewer faults; a parallel
   * search's shard reports each one).
   */
  deferred: ((found: Found) => void) | undefined = undefined;
  private readonly sometimesPending: boolean[];
  private nextProgress: number;
  private readonly deadline: number;
  private interrupted = false;
  private stopPolls = 0;
  /** Expansions since the start: the clock is read every 256th. */
  private clockPolls = 0;

  constructor(
    readonly system: TransitionSystem<S>,
    readonly options: CheckOptions,
  ) {
    this.coverage = new Float64Array(system.actions.length);
    this.ranksFaults = system.faultsUsed !== undefined && system.actions.some((a) => a.fault === true);
    this.sometimesPending = system.sometimes.map(() => true);
    this.nextProgress = this.startedAt + (options.progressIntervalMs ?? 2000);
    this.deadline = options.maxTimeMs === undefined ? Infinity : this.startedAt + options.maxTimeMs;
    const liveness = system.liveness ?? [];
    this.graph =
      liveness.length > 0 && options.liveness !== false
        ? new StateGraph(system, liveness, system.fairness ?? coreFairness(system.name, undefined, system.actions.map((a) => a.name)))
        : undefined;
    if (this.graph !== undefined && options.shouldStop !== undefined) this.graph.poll = options.shouldStop;
  }

  /** Asks the search to stop at the next opportunity (SIGINT). */
  interrupt(): void {
    this.interrupted = true;
  }

  get done(): boolean {
    return this.found !== undefined || this.error !== undefined || this.stopped !== undefined;
  }

  /** Fingerprints a state into `this.fp`; a non-state value becomes a SpecError naming the action. */
  fingerprint(state: S, label: string | (() => string) | null): void {
    try {
      // Plain-value specs: through a hasher compiled for their states' shape (the
      // same fingerprints, faster); it throws unworded, so errors take the generic path.
      if (this.shape === undefined) this.shape = this.system.canonical || this.system.fingerprintInto ? null : (ShapeHasher.derive(state) ?? null);
      if (this.shape !== null) {
        try {
          this.shape.hashInto(state, this.fp);
          this.shaped = true;
          return;
        } catch {
          // Re-run below, where the error gets its path.
        }
      }
      this.shaped = false;
      stateFingerprintInto(this.system, state, this.fp);
    } catch (e) {
      if (!isNonCanonical(e)) throw e;
      const by = label === null ? 'init' : `action ${resolveLabel(label)}`;
      const err = new SpecError(`${by} produced a value that is not a state value: ${e.message}`, {
        handler: label === null ? 'init' : resolveLabel(label),
      });
      if (label !== null) err.action = resolveLabel(label);
      throw err;
    }
  }

  /**
   * Freezes and memoises a newly kept state. Under symmetry the fingerprint was of
   * its representative, so the state itself is fingerprinted (and sealed) now.
   */
  sealNew(state: S): void {
    if (this.system.canonical) fingerprintInto(state, this.sealScratch, 0, true);
    else {
      sealPending();
      if (this.shaped) this.shape!.freezeFresh();
    }
  }

  /** The compiled hasher (undefined until the first state; null when it does not apply). */
  private shape: ShapeHasher | null | undefined = undefined;
  /** Whether the last `fingerprint` went through `shape` (its records are then frozen by `sealNew`). */
  private shaped = false;

  private readonly sealScratch = new Uint32Array(2);

  /** Checks invariants and `sometimes` on a newly found state; records a violation. */
  checkState(state: S, id: number): void {
    this.graph?.label(state, id);
    this.tally?.push(this.system.faultsUsed!(state));
    this.checkStateWith(this.system, state, id);
  }

  /** checkState with the properties given (the packed search passes its word-level ones). */
  checkStateWith<V>(
    props: { readonly invariants: readonly NamedProperty<(s: V) => PropertyResult>[]; readonly sometimes: readonly NamedProperty<(s: V) => PropertyResult>[] },
    state: V,
    id: number,
  ): void {
    const invariants = props.invariants;
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i]!;
      let r: unknown;
      try {
        r = inv.check(state);
      } catch (e) {
        throw new SpecError(`invariant ${inv.name} threw: ${describeThrown(e)}`, { handler: inv.name, cause: e });
      }
      const message = verdictOf(r, 'invariant', inv.name);
      if (message !== undefined) {
        this.record({ property: inv.name, kind: 'invariant', message, stateId: id }, state);
        return;
      }
    }
    const sometimes = props.sometimes;
    for (let i = 0; i < sometimes.length; i++) {
      if (!this.sometimesPending[i]) continue;
      const p = sometimes[i]!;
      let r: unknown;
      try {
        r = p.check(state);
      } catch (e) {
        throw new SpecError(`sometimes ${p.name} threw: ${describeThrown(e)}`, { handler: p.name, cause: e });
      }
      if (r === true) this.sometimesPending[i] = false;
    }
  }

  /** Checks action properties on a transition. */
  checkTransition(state: S, label: string | (() => string), next: S, stateId: number): void {
    const props = this.system.actionProperties;
    if (props.length === 0) return;
    const text = resolveLabel(label);
    for (const p of props) {
      let r: unknown;
      try {
        r = p.check(state, text, next);
      } catch (e) {
        throw new SpecError(`action property ${p.name} threw: ${describeThrown(e)}`, { handler: p.name, cause: e });
      }
      const message = verdictOf(r, 'action property', p.name);
      if (message !== undefined) {
        this.record({ property: p.name, kind: 'actionProperty', message, stateId, transition: { label: text, next } }, next);
        return;
      }
    }
  }

  /** Whether a state may be expanded (TLC's CONSTRAINT). */
  withinConstraint<V = S>(state: V, c = this.system.constraint as ((s: V) => boolean) | undefined): boolean {
    if (c === undefined) return true;
    let ok: boolean;
    try {
      ok = c(state);
    } catch (e) {
      throw new SpecError(`constraint threw: ${describeThrown(e)}`, { handler: 'constraint', cause: e });
    }
    if (!ok) this.constraintInForce = true;
    return ok;
  }

  /** Counts a new state that fails the constraint (it is checked, and then not expanded); whether it is within. */
  countConstraint<V = S>(state: V, c = this.system.constraint as ((s: V) => boolean) | undefined): boolean {
    if (this.withinConstraint(state, c)) return true;
    this.outside++;
    return false;
  }

  /** States kept that count as distinct (within the constraint). */
  get distinct(): number {
    return this.links.size - this.outside;
  }

  /** Before expanding a state: the liveness graph opens its edge list, or marks it cut when it is not expanded. */
  beginExpansion(state: S, id: number, expanded: boolean): void {
    const graph = this.graph;
    if (graph === undefined) return;
    if (!expanded) {
      graph.cut(id, this.system.constraintName?.(state) ?? 'constraint');
      return;
    }
    graph.beginExpansion(id);
  }

  /** After expanding a state: closes its edge list, and marks it cut when a bound left out a successor. */
  endExpansion(state: S, id: number): void {
    const graph = this.graph;
    if (graph === undefined) return;
    graph.endExpansion(id);
    const bound = this.system.boundCut?.(state);
    if (bound !== undefined) graph.cut(id, bound);
  }

  /** A state with no successor is a deadlock unless the spec says it is done. */
  checkDeadlock<V = S>(state: V, id: number, done = this.system.done as ((s: V) => boolean) | undefined): void {
    if (done !== undefined) {
      let d: boolean;
      try {
        d = done(state);
      } catch (e) {
        throw new SpecError(`done threw: ${describeThrown(e)}`, { handler: 'done', cause: e });
      }
      if (d) return;
    }
    this.record({ property: 'deadlock', kind: 'deadlock', message: 'no action is enabled in this state', stateId: id }, state);
  }

  /** A violation, ending in `state`: the search's finding, or handed to `deferred`; counted in faults when they rank. */
  private record(found: Found, state: unknown): void {
    const f = this.ranksFaults ? { ...found, faults: this.system.faultsUsed!(state as S) } : found;
    if (this.deferred !== undefined) this.deferred(f);
    else this.found = f;
  }

  /** Bounds checked between expansions; sets `stopped`. Returns true to stop. */
  outOfBudget(countStates = true): boolean {
    if (this.interrupted || (this.options.shouldStop !== undefined && (++this.stopPolls & 63) === 0 && this.options.shouldStop())) {
      this.stopped = 'interrupted';
    } else if (countStates && this.options.maxStates !== undefined && this.distinct >= this.options.maxStates) this.stopped = 'maxStates';
    else if ((++this.clockPolls & 255) === 0) {
      const now = Date.now();
      if (now >= this.deadline) this.stopped = 'maxTime';
      else if (this.options.maxMemoryBytes !== undefined && process.memoryUsage.rss() >= this.options.maxMemoryBytes) {
        this.stopped = 'maxMemory';
      } else if (this.options.onProgress && now >= this.nextProgress) {
        this.nextProgress = now + (this.options.progressIntervalMs ?? 2000);
        this.options.onProgress(this.stats());
      }
    }
    return this.stopped !== undefined;
  }

  /** Keeps pending only the `sometimes` properties named (no worker of a parallel search saw them hold). */
  keepPending(names: ReadonlySet<string>): void {
    this.system.sometimes.forEach((p, i) => (this.sometimesPending[i] = names.has(p.name)));
  }

  /** `sometimes` properties never satisfied in a complete search. */
  unsatisfiedSometimes(): string[] {
    return this.system.sometimes.filter((_, i) => this.sometimesPending[i]).map((p) => p.name);
  }

  stats(): Stats {
    const durationMs = Date.now() - this.startedAt;
    const n = this.distinct;
    return {
      generatedStates: this.generated,
      distinctStates: n,
      depth: this.depth,
      queueSize: this.queueSize,
      durationMs,
      statesPerSecond: durationMs > 0 ? Math.round(((n - this.priorDistinct) * 1000) / durationMs) : n - this.priorDistinct,
      // TLC's optimistic estimate: each of the (generated - distinct) lookups of a
      // known state could have matched another of the n fingerprints.
      collisionProbability: this.exactFingerprints ? 0 : (n * Math.max(0, this.generated - n)) / 2 ** 64,
      visitedBytesPerState: n > 0 ? Math.round(((this.links.bytes + this.memoryElsewhere()) / this.links.size) * 10) / 10 : 0,
    };
  }

  /** The counters a checkpoint keeps (the visited set and links are the space's). */
  counters(): SearchCounters {
    return {
      generated: this.generated,
      outside: this.outside,
      initialCount: this.initialCount,
      depth: this.depth,
      coverage: [...this.coverage],
      sometimesPending: [...this.sometimesPending],
      constraintInForce: this.constraintInForce,
      elapsedMs: Date.now() - this.startedAt + this.priorMs,
      ...(this.tally === undefined ? {} : { faults: { floors: base64(this.faultFloors), tally: base64(this.tally.peek()) } }),
    };
  }

  restoreCounters(c: SearchCounters): void {
    if (c.coverage.length !== this.coverage.length || c.sometimesPending.length !== this.sometimesPending.length) {
      throw new UsageError("the checkpoint's actions or properties are not this spec's: was it written for another version of the spec?");
    }
    this.generated = c.generated;
    this.outside = c.outside;
    this.initialCount = c.initialCount;
    this.depth = c.depth;
    this.coverage.set(c.coverage);
    c.sometimesPending.forEach((p, i) => (this.sometimesPending[i] = p));
    this.constraintInForce = c.constraintInForce;
    this.priorMs = c.elapsedMs;
    if (c.faults !== undefined && this.ranksFaults) {
      this.faultFloors = bytes(c.faults.floors);
      this.tally = new FaultTally();
      for (const f of bytes(c.faults.tally)) this.tally.push(f);
    }
  }

  /** The violation with its trace rebuilt (or the given walk, for simulation). */
  violation(walk?: readonly TraceStep[]): Violation | undefined {
    const f = this.found;
    if (f === undefined) return undefined;
    const trace = walk ? [...walk] : f.stateId < 0 ? [] : reconstructTrace(this.system, this.links, f.stateId);
    if (f.transition) trace.push({ action: f.transition.label, state: f.transition.next });
    return { property: f.property, kind: f.kind, message: f.message, trace };
  }

  /** Attaches the trace to the state where an error happened. */
  attachTrace(err: SpecError, stateId: number, lastStep?: TraceStep): void {
    if (stateId < 0 || err.trace) return;
    try {
      err.trace = reconstructTrace(this.system, this.links, stateId);
      if (lastStep) err.trace.push(lastStep);
    } catch {
      // The error itself is what matters; a trace that cannot be rebuilt is left out.
    }
  }
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

function bytes(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** Turns anything thrown during a search into a SpecError (or rethrows a faultline bug). */
export function asSpecError(e: unknown): SpecError {
  if (isSpecError(e)) return e;
  if (isNonCanonical(e)) return new SpecError(e.message);
  throw e;
}
