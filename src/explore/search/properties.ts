// A search's property checker: invariants and `sometimes` on each new state, action
// properties on each transition, deadlocks, the constraint, and the liveness pass's
// state graph (recorded as states are expanded, judged after the search). What it
// finds is `found`, or, while `deferred` is set, handed on (bfs.ts searches the rest
// of a level for a violation with fewer faults; a parallel search's shard reports each).
import { SpecError, thrownError } from '../../core/errors.js';
import type { NamedProperty, PropertyResult } from '../../core/types.js';
import { coreFairness } from '../../core/liveness.js';
import type { TransitionSystem } from '../system.js';
import { resolveLabel } from '../reconstruct.js';
import type { CheckOptions, ViolationKind } from '../types.js';
import { StateGraph } from '../state-graph.js';
import { FaultTally } from '../fault-floors.js';
import type { SearchCounts } from './counts.js';

/** A violation found during the search, before its trace is rebuilt. */
export interface Found {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly message: string;
  /** The state the trace leads to. */
  readonly stateId: number;
  /** For an action property: the transition that broke it (not in the visited set when it led to a known state). */
  readonly transition?: { readonly label: string; readonly next: unknown };
  /** Faults on the way to it, for a spec with fault actions (ranksFaults): what a level's violations are ranked by. */
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

export class PropertyChecker<S> {
  /** The violation that ends the search. */
  found?: Found;
  /** While set, a violation does not end the search: it is handed here and the search goes on. */
  deferred: ((found: Found) => void) | undefined = undefined;
  /** The state graph the liveness pass runs on (recorded when the spec has liveness properties). */
  readonly graph: StateGraph<S> | undefined;
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
  private readonly sometimesPending: boolean[];

  constructor(
    private readonly system: TransitionSystem<S>,
    options: CheckOptions,
    private readonly counts: SearchCounts,
  ) {
    this.ranksFaults = system.faultsUsed !== undefined && system.actions.some((a) => a.fault === true);
    this.sometimesPending = system.sometimes.map(() => true);
    const liveness = system.liveness ?? [];
    this.graph =
      liveness.length > 0 && options.liveness !== false
        ? new StateGraph(system, liveness, system.fairness ?? coreFairness(system.name, undefined, system.actions.map((a) => a.name)))
        : undefined;
    if (this.graph !== undefined && options.shouldStop !== undefined) this.graph.poll = options.shouldStop;
  }

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
        throw thrownError(`invariant ${inv.name}`, { handler: inv.name }, e);
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
        throw thrownError(`sometimes ${p.name}`, { handler: p.name }, e);
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
        throw thrownError(`action property ${p.name}`, { handler: p.name }, e);
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
      throw thrownError('constraint', { handler: 'constraint' }, e);
    }
    if (!ok) this.counts.constraintInForce = true;
    return ok;
  }

  /** Counts a new state that fails the constraint (it is checked, and then not expanded); whether it is within. */
  countConstraint<V = S>(state: V, c = this.system.constraint as ((s: V) => boolean) | undefined): boolean {
    if (this.withinConstraint(state, c)) return true;
    this.counts.outside++;
    return false;
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
        throw thrownError('done', { handler: 'done' }, e);
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

  /** Which `sometimes` properties are still pending, in the spec's order (a checkpoint keeps them). */
  pending(): boolean[] {
    return [...this.sometimesPending];
  }

  /** Restores what `pending` returned. */
  restorePending(flags: readonly boolean[]): void {
    flags.forEach((p, i) => (this.sometimesPending[i] = p));
  }

  /** Keeps pending only the `sometimes` properties named (no worker of a parallel search saw them hold). */
  keepPending(names: ReadonlySet<string>): void {
    this.system.sometimes.forEach((p, i) => (this.sometimesPending[i] = names.has(p.name)));
  }

  /** `sometimes` properties never satisfied in a complete search. */
  unsatisfiedSometimes(): string[] {
    return this.system.sometimes.filter((_, i) => this.sometimesPending[i]).map((p) => p.name);
  }
}
