// A search, as every strategy (bfs.ts, dfs.ts, simulate.ts, the parallel search)
// shares it, made of four pieces: its statistics (search/counts.ts) and bounds
// (search/budget.ts), its property checker (search/properties.ts) and its state
// hasher (search/hasher.ts). The storage is the strategy's own: it hands the search
// what the search reads of it (`Storage`), once. Here: the outcome (a violation, an
// error, a bound), the report's statistics, a checkpoint's counters, and traces.
import { SpecError, isSpecError, type TraceStep } from '../core/errors.js';
import type { TransitionSystem } from './system.js';
import { isNonCanonical } from '../values/fingerprint.js';
import { reconstructTrace, type ParentLinks } from './reconstruct.js';
import type { CheckOptions, Stats, Violation } from './types.js';
import { UsageError } from '../core/params.js';
import { FaultTally } from './fault-floors.js';
import { SearchCounts } from './search/counts.js';
import { Budget, type StopReason } from './search/budget.js';
import { PropertyChecker, type Found } from './search/properties.js';
import { StateHasher } from './search/hasher.js';

export type { Found } from './search/properties.js';
export type { StopReason } from './search/budget.js';

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

/** A search's parent links: what traces are rebuilt from, and the count of states kept. */
export interface Links extends ParentLinks {
  readonly size: number;
  readonly bytes: number;
}

/** What a strategy keeps its states in, as the search reads it. */
export interface Storage {
  /** Where traces are rebuilt from; its size is the count of states kept. */
  readonly links: Links;
  /** Bytes of visited-set memory held outside `links` (the fingerprint set, interned parts). */
  bytesElsewhere(): number;
  /** Fingerprints are a bijection of the state (small packed layouts): no collision is possible. */
  readonly exactFingerprints?: boolean;
}

const noStorage: Storage = {
  links: { size: 0, bytes: 0, fingerprintA: () => NaN, fingerprintB: () => NaN, pathTo: () => [] },
  bytesElsewhere: () => 0,
};

export class Search<S> {
  readonly counts: SearchCounts;
  readonly budget: Budget;
  readonly checker: PropertyChecker<S>;
  readonly hasher: StateHasher<S>;
  /** A user error that ended the search (with its trace attached where one exists). */
  error?: SpecError;
  private stored: Storage = noStorage;

  constructor(
    readonly system: TransitionSystem<S>,
    readonly options: CheckOptions,
  ) {
    this.counts = new SearchCounts(system.actions.length);
    this.budget = new Budget(options, this.counts.startedAt, () => this.distinct, () => this.stats());
    this.checker = new PropertyChecker(system, options, this.counts);
    this.hasher = new StateHasher(system);
  }

  /** The strategy's storage, which the search reads from now on. */
  storeIn(storage: Storage): void {
    this.stored = storage;
  }

  /** The storage the search reads (the strategy's). */
  get storage(): Storage {
    return this.stored;
  }

  /** Where traces are rebuilt from. */
  get links(): Links {
    return this.stored.links;
  }

  /** The violation that ends the search (the checker's). */
  get found(): Found | undefined {
    return this.checker.found;
  }

  /** The bound that cut the search short (the budget's). */
  get stopped(): StopReason | undefined {
    return this.budget.stopped;
  }

  get done(): boolean {
    return this.checker.found !== undefined || this.error !== undefined || this.budget.stopped !== undefined;
  }

  /** States kept that count as distinct (within the constraint). */
  get distinct(): number {
    return this.stored.links.size - this.counts.outside;
  }

  stats(): Stats {
    const c = this.counts;
    const durationMs = Date.now() - c.startedAt;
    const n = this.distinct;
    const { links } = this.stored;
    return {
      generatedStates: c.generated,
      distinctStates: n,
      depth: c.depth,
      queueSize: c.queueSize,
      durationMs,
      statesPerSecond: durationMs > 0 ? Math.round(((n - c.priorDistinct) * 1000) / durationMs) : n - c.priorDistinct,
      // TLC's optimistic estimate: each of the (generated - distinct) lookups of a
      // known state could have matched another of the n fingerprints.
      collisionProbability: this.stored.exactFingerprints ? 0 : (n * Math.max(0, c.generated - n)) / 2 ** 64,
      visitedBytesPerState: n > 0 ? Math.round(((links.bytes + this.stored.bytesElsewhere()) / links.size) * 10) / 10 : 0,
    };
  }

  /** The counters a checkpoint keeps (the visited set and links are the storage's). */
  counters(): SearchCounters {
    const c = this.counts;
    const { tally, faultFloors } = this.checker;
    return {
      generated: c.generated,
      outside: c.outside,
      initialCount: c.initialCount,
      depth: c.depth,
      coverage: [...c.coverage],
      sometimesPending: this.checker.pending(),
      constraintInForce: c.constraintInForce,
      elapsedMs: Date.now() - c.startedAt + c.priorMs,
      ...(tally === undefined ? {} : { faults: { floors: base64(faultFloors), tally: base64(tally.peek()) } }),
    };
  }

  restoreCounters(saved: SearchCounters): void {
    const c = this.counts;
    if (saved.coverage.length !== c.coverage.length || saved.sometimesPending.length !== this.system.sometimes.length) {
      throw new UsageError("the checkpoint's actions or properties are not this spec's: was it written for another version of the spec?");
    }
    c.generated = saved.generated;
    c.outside = saved.outside;
    c.initialCount = saved.initialCount;
    c.depth = saved.depth;
    c.coverage.set(saved.coverage);
    this.checker.restorePending(saved.sometimesPending);
    c.constraintInForce = saved.constraintInForce;
    c.priorMs = saved.elapsedMs;
    if (saved.faults !== undefined && this.checker.ranksFaults) {
      this.checker.faultFloors = bytes(saved.faults.floors);
      const tally = (this.checker.tally = new FaultTally());
      for (const f of bytes(saved.faults.tally)) tally.push(f);
    }
  }

  /** The violation with its trace rebuilt (or the given walk, for simulation). */
  violation(walk?: readonly TraceStep[]): Violation | undefined {
    const f = this.checker.found;
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
