// The core layer: a TLA+-style transition system. Its semantics only, nothing about
// networks; the protocol layer compiles onto this interface. How a spec kind lays
// its states out for a faster search (packed words, state codecs) is declared by the
// layer that provides it and read by explore (src/explore/system.ts).

/** A constant of a spec (TLA+ CONSTANT): overridable on the CLI with `-p name=value`. */
export type ParamValue = number | string | boolean | readonly (number | string)[];
export type Params = Readonly<Record<string, ParamValue>>;

/** What a property returns: `true` holds; `false` or a string (the explanation) is a violation. */
export type PropertyResult = boolean | string;

/** A spec's declared expectation: the buggy half of a pair says what it breaks. */
export type Expectation = 'holds' | { readonly violates: string };

export interface ActionInfo {
  /** Name used for coverage ("RMPrepare", "deliver", "drop"). */
  readonly name: string;
  /** True for the rows of the design's fault table (drop, duplicate, crash, ...). */
  readonly fault?: boolean;
  /** True for an action that only lets time pass (a protocol's tick). */
  readonly idle?: boolean;
}

/**
 * Called once per successor. `action` indexes `TransitionSystem.actions`; `label` is
 * the trace label, lazily built when it is a function (most successors are duplicates
 * whose label is never read).
 */
export type Emit<S> = (next: S, action: number, label: string | (() => string)) => void;

export interface NamedProperty<F> {
  readonly name: string;
  readonly check: F;
}

/** The four liveness forms (TLA+'s <>P, P ~> Q, []<>P, <>[]P); core/liveness.ts normalises what specs declare. */
export type LivenessKind = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';

export interface LivenessProperty<S> {
  readonly name: string;
  readonly kind: LivenessKind;
  /** leadsTo's P (the trigger); undefined for the other forms. */
  readonly from?: (s: S) => PropertyResult;
  /** The goal: P of eventually / alwaysEventually / eventuallyAlways, Q of leadsTo. */
  readonly to: (s: S) => PropertyResult;
}

export type FairnessKind = 'weak' | 'strong' | 'none';

/**
 * How a compiled system's transitions are fair. Fairness is per instance (TLA+'s
 * `\A r: WF_vars(A(r))`): an instance is a key such as `RMPrepare(r2)` or
 * `deliver Vote{…} node2→node1`.
 */
export interface Fairness {
  /** Per action (index into the system's actions): its instances' kind, or 'mixed' when it depends on the instance. */
  readonly actionKinds: readonly (FairnessKind | 'mixed')[];
  /** The instance of a transition of a fair or mixed action (default: its label). */
  instanceKey?(action: number, label: string): string;
  /** The kind of a 'mixed' action's instance. */
  instanceKind?(action: number, key: string): FairnessKind;
  /** One line for reports, e.g. "weak fairness per instance of: Deliver, Tick". */
  readonly summary: string;
  /** Whether the spec declared no fairness at all (then every liveness property can fail by stuttering). */
  readonly none: boolean;
}

/** Where a spec error happened, for messages that name the culprit. */
export interface ErrorSite {
  readonly role?: string;
  readonly handler?: string;
}

/** A compiled spec with its params fixed: what the explorer searches. */
export interface TransitionSystem<S = unknown> {
  readonly name: string;
  readonly params: Params;
  readonly actions: readonly ActionInfo[];
  /** The initial states. May throw a SpecError. */
  initialStates(): S[];
  /** Enumerates every successor of `state` in a fixed order. May throw a SpecError. */
  successors(state: S, emit: Emit<S>): void;
  readonly invariants: readonly NamedProperty<(s: S) => PropertyResult>[];
  readonly actionProperties: readonly NamedProperty<(s: S, label: string, next: S) => PropertyResult>[];
  readonly sometimes: readonly NamedProperty<(s: S) => PropertyResult>[];
  /** Liveness properties (<>P, P ~> Q, []<>P, <>[]P), decided on the state graph after the safety search. */
  readonly liveness?: readonly LivenessProperty<S>[];
  /** Which transitions are fair, for the liveness properties. */
  readonly fairness?: Fairness;
  /**
   * The bound (e.g. `maxTime=6`) that left out some successor of the state just
   * expanded (called right after `successors`), if any: a liveness counterexample
   * never loops through such a state.
   */
  readonly boundCut?: (s: S) => string | undefined;
  /** The bound a state failing `constraint` stands for (default 'constraint'). */
  readonly constraintName?: (s: S) => string;
  /** TLC's CONSTRAINT: a state failing it is checked but not expanded. */
  readonly constraint?: (s: S) => boolean;
  /** A legitimate end state (not a deadlock). */
  readonly done?: (s: S) => boolean;
  readonly expect?: Expectation;
  /** Optional notes shown beside trace steps (protocol `note()`s), by label. */
  readonly notes?: (state: S, label: string, next: S) => readonly string[];
  /** Sets of interchangeable symbols (node ids, param values) declared by the spec, for --symmetry. */
  readonly symmetry?: readonly (readonly string[])[];
  /** Set by the explorer under --symmetry: maps a state to the representative that is fingerprinted. */
  readonly canonical?: (s: S) => unknown;
  /** Number of faults used in a state, for shrinking and trace summaries. */
  readonly faultsUsed?: (s: S) => number;
  /** A spec's own fingerprint of its states (packed specs hash their words). */
  readonly fingerprintInto?: (s: S, out: Uint32Array) => void;
}

const SPEC_BRAND = Symbol.for('faultline.spec');

/** What `spec()` and `protocol()` return, and what a spec file default-exports. */
// The brand is a runtime mark (Symbol.for, so a spec made by another copy of
// faultline is still recognised) and deliberately not part of the type: the types of
// src/ and of the built dist/ must stay interchangeable.
export interface Spec<P extends Params = Params> {
  readonly name: string;
  /** 'core' for spec(), 'protocol' for protocol(). */
  readonly kind: 'core' | 'protocol';
  /** Param defaults; their types are what `-p` values must have. */
  readonly params: P;
  readonly expect?: Expectation;
  /** Names of the spec's actions and properties, for `faultline list`. */
  describe(): SpecDescription;
  /** Fixes the params (already validated) and returns the system to search. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec has its own state type
  compile(params: P, options?: CompileOptions): TransitionSystem<any>;
}

export interface CompileOptions {
  /** Fault budget overrides from `--faults` (protocol specs only). */
  readonly faults?: Readonly<Record<string, number>>;
}

export interface SpecDescription {
  readonly actions: readonly string[];
  readonly invariants: readonly string[];
  readonly actionProperties: readonly string[];
  readonly sometimes: readonly string[];
  /** Liveness properties (eventually, leadsTo, alwaysEventually, eventuallyAlways). */
  readonly liveness?: readonly string[];
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function brandSpec<T extends object>(obj: T): T {
  return Object.assign(obj, { [SPEC_BRAND]: true as const });
}

export function isSpec(value: unknown): value is Spec {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SPEC_BRAND] === true;
}
