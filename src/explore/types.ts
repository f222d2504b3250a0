// Options and results of a search: the programmatic contract that the CLI, the
// JSON report and the test helpers all share.
import type { Expectation, ParamValue } from '../core/types.js';
import type { TraceStep } from '../core/errors.js';

export type Strategy = 'bfs' | 'dfs';

export interface CheckOptions {
  /** Param overrides (`-p`); strings are parsed by the param's declared type. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Fault budget overrides (`--faults`), protocol specs only. */
  readonly faults?: Readonly<Record<string, number>>;
  readonly strategy?: Strategy;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  /** Stop cleanly (incomplete, reason maxMemory) once the process's resident memory reaches this. */
  readonly maxMemoryBytes?: number;
  /**
   * Worker threads for the search (checkAsync only): a packed spec loaded from
   * `file` is searched by this many threads; other specs by one.
   */
  readonly workers?: number;
  /**
   * Search on the workers of a cluster (checkAsync only, src/cluster/): the URL of
   * its engine and how many workers to wait for (the search's shards); a spec loaded
   * from `file`. `startAfterMs`: start once one worker is there and that long has
   * passed (the workers still to come take their shards over when they join).
   */
  readonly cluster?: { readonly url: string; readonly workers: number; readonly startAfterMs?: number };
  /** Symmetry reduction over the sets the spec declares interchangeable. */
  readonly symmetry?: boolean;
  /** Check the spec's liveness properties (default true); false checks safety only. */
  readonly liveness?: boolean;
  /** Report a state with no successor (and not `done`) as a violation. */
  readonly deadlock?: boolean;
  /** Drop the spec's declared expectation. */
  readonly ignoreExpect?: boolean;
  /** Fraction of transitions re-executed to detect nondeterministic actions (default 1/64). */
  readonly recheckRate?: number;
  /**
   * BFS of plain-record states: queue them as words of interned fields (default) or,
   * with false, as the objects themselves (for comparing the two).
   */
  readonly compactFrontier?: boolean;
  /** Called at most every `progressIntervalMs` (default 2000) with the running statistics. */
  readonly onProgress?: (stats: Stats) => void;
  readonly progressIntervalMs?: number;
  /**
   * Polled between expansions (every 64th); returning true stops the search as
   * interrupted (incomplete, reason 'interrupted'). The CLI uses it for SIGINT/SIGTERM.
   */
  readonly shouldStop?: () => boolean;
  /** Path of the spec file, for error messages. */
  readonly file?: string;
  /**
   * Write the search's state to `dir` every `everyMs` (default 10 minutes) and when a
   * bound or a signal stops it; `resumeFrom`: continue the search a checkpoint there
   * holds (breadth-first, one thread). See checkpoint/.
   */
  readonly checkpoint?: { readonly dir: string; readonly everyMs?: number; readonly resumeFrom?: string };
}

/** Where a search's checkpoints went (--checkpoint), and what it resumed from (--resume). */
export interface CheckpointStats {
  readonly dir: string;
  /** Checkpoints this run wrote. */
  written: number;
  /** Size of the last one, and the distinct states it holds. */
  bytes: number;
  states: number;
  /** Time this run spent writing checkpoints. */
  writeMs: number;
  readonly resumed?: { readonly dir: string; readonly distinctStates: number; readonly depth: number; readonly elapsedMs: number; readonly readMs: number };
}

export interface Stats {
  generatedStates: number;
  distinctStates: number;
  /** Actions from an initial state to the deepest state explored (TLC counts one more). */
  depth: number;
  queueSize: number;
  durationMs: number;
  statesPerSecond: number;
  /** Estimated probability that two distinct states shared a fingerprint (as TLC). */
  collisionProbability: number;
  /** Bytes of the visited set (fingerprints, index, parent links) per distinct state. */
  visitedBytesPerState: number;
  /** Progress reports only: the level in progress is shared by this many search threads. */
  sharedBy?: number;
}

export type ViolationKind = 'invariant' | 'actionProperty' | 'sometimes' | 'deadlock' | 'liveness';

export interface Violation {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly message: string;
  /** The shortest (BFS) trace: the initial state first, with action null. */
  readonly trace: TraceStep[];
  /**
   * A liveness counterexample is a lasso: after the trace's last state the behaviour
   * returns to the state at this index and repeats forever (the last index itself:
   * it stays there, stuttering).
   */
  readonly loop?: number;
  /** Liveness: the property's form, and why the loop is a fair behaviour. */
  readonly liveness?: LivenessDetails;
  /** The fault-minimal trace (src/trace/shrink.ts), when the BFS trace uses faults and it was asked for. */
  readonly minimised?: MinimisedTrace;
}

export interface LivenessStats {
  /** The properties decided (all of them, unless a violation or a bound stopped the pass). */
  readonly properties: readonly string[];
  /** Edges recorded (stutters left out), and the bytes of the graph (edges and per-state columns). */
  readonly edges: number;
  readonly graphBytes: number;
  /** Time of the pass after the search (the recording is part of the search's time). */
  readonly passMs: number;
  /** --no-liveness: the properties were not checked. */
  readonly skipped?: boolean;
}

export interface LivenessDetails {
  readonly form: 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';
  /** The fairness in force, in one line. */
  readonly fairness: string;
  /** Fair action instances taken on the loop. */
  readonly taken: readonly string[];
  /** Weakly fair instances enabled on the loop but disabled at some state of it. */
  readonly disabled: readonly string[];
}

/** A trace violating the same property with as few faults as possible, then as few steps. */
export interface MinimisedTrace {
  readonly trace: TraceStep[];
  /** The property's message at the trace's last state. */
  readonly message: string;
  readonly steps: number;
  readonly faults: number;
  /** Steps and faults of the BFS (shortest) trace. */
  readonly shortest: { readonly steps: number; readonly faults: number };
  /** The BFS trace is already fault-minimal (then `trace` is the same trace). */
  readonly sameAsShortest: boolean;
  /** Every smaller fault budget was searched completely: no trace with fewer faults violates the property. */
  readonly proven: boolean;
  /** Why it is not proven (a search stopped at its time or state bound). */
  readonly unproven?: string;
  /** States explored by the shrinking searches, and their time. */
  readonly distinctStates: number;
  readonly durationMs: number;
}

export interface CoverageEntry {
  readonly action: string;
  readonly fault: boolean;
  /** Successors generated by this action (duplicates included). */
  readonly count: number;
}

export type Verdict = 'ok' | 'violation' | 'incomplete' | 'error';

export interface CheckResult {
  readonly verdict: Verdict;
  readonly spec: string;
  readonly file?: string;
  readonly params: Record<string, ParamValue>;
  readonly faults?: Record<string, number>;
  readonly strategy: Strategy;
  /** Threads that searched (set when more than one did). */
  readonly workers?: number;
  readonly stats: Stats;
  readonly complete: boolean;
  readonly constraintInForce: boolean;
  /** Under --symmetry: the sets of interchangeable values reduced over ([] when the spec declares none). */
  readonly symmetry?: readonly (readonly string[])[];
  readonly violation?: Violation;
  readonly incomplete?: { readonly reason: 'maxDepth' | 'maxStates' | 'maxTime' | 'maxMemory' | 'interrupted' | 'liveness'; readonly message: string };
  readonly error?: {
    readonly message: string;
    readonly file?: string;
    readonly role?: string;
    readonly handler?: string;
    readonly action?: string;
    readonly trace?: TraceStep[];
  };
  readonly expectation?: { readonly expected: Expectation; readonly met: boolean; readonly message: string };
  /** The liveness pass, when the spec has liveness properties: what it decided and what it cost. */
  readonly liveness?: LivenessStats;
  readonly coverage: readonly CoverageEntry[];
  /** Checkpoints written (--checkpoint) and the one resumed from (--resume). */
  readonly checkpoint?: CheckpointStats;
}
