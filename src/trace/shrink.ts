// Fault-minimal counterexamples. BFS gives a shortest trace, which may use faults
// the violation does not need. The shrinker searches again with a total fault
// budget of 0, 1, 2, … (successors that would use more faults are not emitted)
// and stops at the first budget under which the same property is violated: the
// first trace that search finds uses the fewest faults of any violating trace, and
// is the shortest of those (BFS). That is the global minimum, not a local one.
//
// The searches look for the same property only: a state that breaks another
// invariant (or a transition that breaks another action property) is not expanded,
// as if the spec stopped there — the BFS search would have reported it first.
import type { TraceStep } from '../core/errors.js';
import type { Spec, TransitionSystem } from '../core/types.js';
import { bfs } from '../explore/bfs.js';
import { Search } from '../explore/search.js';
import { ValueSpace } from '../explore/value-space.js';
import type { CheckResult, MinimisedTrace, Violation } from '../explore/types.js';

export interface ShrinkOptions {
  /** Time for all the searches together (default 30 s; Infinity: no time bound). */
  readonly maxTimeMs?: number;
  /** Distinct states per search (default: no bound). */
  readonly maxStates?: number;
  /**
   * Distinct states of all the searches together (default: no bound). The CLI's
   * default bound: a bound in states, not time, so the trace shown does not depend
   * on how busy the machine is.
   */
  readonly stateBudget?: number;
  /** Stop a search cleanly when the process's resident memory reaches this. */
  readonly maxMemoryBytes?: number;
  /** Whether the check reported deadlocks (a deadlock violation is shrunk as one). */
  readonly deadlock?: boolean;
  /** Polled by the searches; true stops them (SIGINT). */
  readonly shouldStop?: () => boolean;
  /** Called every `progressIntervalMs` (default 2 s) once the searches have run that long. */
  readonly onProgress?: (p: ShrinkProgress) => void;
  readonly progressIntervalMs?: number;
  /** Appended to `unproven` when a bound (not an interrupt) cut a search short, e.g. how to lift the bound. */
  readonly unprovenHint?: string;
}

/** Where the fault-minimising searches are (for a progress line). */
export interface ShrinkProgress {
  /** The fault budget being searched, and the shortest trace's faults (budgets 0 .. faults-1 are searched). */
  readonly budget: number;
  readonly faults: number;
  /** Distinct states of all the searches so far, and their time. */
  readonly distinctStates: number;
  readonly elapsedMs: number;
}

const STOPPED_BY: Readonly<Record<string, string>> = {
  maxStates: 'the state bound',
  maxTime: 'the time bound',
  maxMemory: '--max-memory',
  interrupted: 'an interrupt',
};

function holds(r: unknown): boolean {
  return r === true;
}

/** The system restricted to states with at most k faults, looking for `target` only. */
export function withFaultBudget<S>(
  system: TransitionSystem<S>,
  k: number,
  target: Pick<Violation, 'property' | 'kind'>,
): TransitionSystem<S> {
  const faultsUsed = system.faultsUsed;
  // k = Infinity: no fault budget, only the target (the swarm's shrink, src/cluster/swarm-shrink.ts).
  if (faultsUsed === undefined && k !== Infinity) throw new Error(`spec "${system.name}" does not count faults`);
  const otherInvariants = system.invariants.filter((p) => !(target.kind === 'invariant' && p.name === target.property));
  const otherActionProps = system.actionProperties.filter((p) => !(target.kind === 'actionProperty' && p.name === target.property));
  const constraint = system.constraint;
  const done = system.done;
  const within = (s: S): boolean => k === Infinity || faultsUsed!(s) <= k;
  return {
    name: system.name,
    params: system.params,
    actions: system.actions,
    initialStates: () => system.initialStates().filter(within),
    successors: (s, emit) =>
      system.successors(s, (next, action, label) => {
        if (!within(next)) return;
        if (otherActionProps.length > 0) {
          const text = typeof label === 'function' ? label() : label;
          if (!otherActionProps.every((p) => holds(p.check(s, text, next)))) return;
        }
        emit(next, action, label);
      }),
    invariants: system.invariants.filter((p) => target.kind === 'invariant' && p.name === target.property),
    actionProperties: system.actionProperties.filter((p) => target.kind === 'actionProperty' && p.name === target.property),
    sometimes: [],
    constraint: (s) => (constraint === undefined || constraint(s)) && otherInvariants.every((p) => holds(p.check(s))),
    // Only fault successors are left out, and those never count against a deadlock
    // (explore/bfs.ts progressingActions), so deadlocks are the same as in the system.
    done,
    notes: system.notes,
    faultsUsed,
  };
}

export type ShrinkOutcome =
  | { readonly ok: true; readonly minimised: MinimisedTrace }
  | { readonly ok: false; readonly reason: string };

/**
 * The fault-minimal trace violating `violation.property`, given the BFS trace.
 * Not applicable (ok: false) when the spec does not count faults, the trace uses
 * none, or the violation has no trace (`sometimes`).
 */
export function shrinkFaults<S>(system: TransitionSystem<S>, violation: Violation, options: ShrinkOptions = {}): ShrinkOutcome {
  const started = Date.now();
  if (system.faultsUsed === undefined) return { ok: false, reason: 'the spec does not count faults' };
  if (violation.trace.length === 0) return { ok: false, reason: 'the violation has no trace' };
  const last = violation.trace[violation.trace.length - 1]!.state as S;
  const shortestFaults = system.faultsUsed(last);
  const shortest = { steps: violation.trace.length - 1, faults: shortestFaults };
  const deadline = started + (options.maxTimeMs ?? 30_000);
  const interval = options.progressIntervalMs ?? 2000;
  let nextProgress = started + interval;
  let proven = true;
  let states = 0;
  const unproven: number[] = [];
  const why = new Set<string>();
  const unprovenText = (): string => {
    const hint = options.unprovenHint !== undefined && [...why].some((w) => w !== STOPPED_BY.interrupted) ? `; ${options.unprovenHint}` : '';
    return `the searches with at most ${unproven.join(', ')} fault(s) stopped before they were complete (at ${[...why].join(', ')})${hint}`;
  };
  for (let k = 0; k < shortestFaults; k++) {
    const left = deadline - Date.now();
    const statesLeft = options.stateBudget === undefined ? Infinity : options.stateBudget - states;
    if (left <= 0 || statesLeft <= 0) {
      proven = false;
      unproven.push(k);
      why.add(left <= 0 ? STOPPED_BY.maxTime! : STOPPED_BY.maxStates!);
      break;
    }
    const restricted = withFaultBudget(system, k, violation);
    const before = states;
    const bound = Math.min(options.maxStates ?? Infinity, statesLeft);
    const search = new Search(restricted, {
      maxTimeMs: left,
      maxStates: bound === Infinity ? undefined : bound,
      maxMemoryBytes: options.maxMemoryBytes,
      deadlock: options.deadlock === true || violation.kind === 'deadlock',
      recheckRate: 0,
      shouldStop: options.shouldStop,
      // Polled often; a line is reported only every `interval`, counted from the first search's start.
      onProgress:
        options.onProgress &&
        ((st) => {
          const now = Date.now();
          if (now < nextProgress) return;
          nextProgress = now + interval;
          options.onProgress!({ budget: k, faults: shortestFaults, distinctStates: before + st.distinctStates, elapsedMs: now - started });
        }),
      progressIntervalMs: options.onProgress ? Math.min(250, interval) : undefined,
    });
    bfs(search, ValueSpace.for(search));
    states += search.distinct;
    if (search.error) return { ok: false, reason: `the search with at most ${k} faults failed: ${search.error.message}` };
    if (search.found) {
      const v = search.violation()!;
      const faults = system.faultsUsed(v.trace[v.trace.length - 1]!.state as S);
      return {
        ok: true,
        minimised: {
          trace: v.trace,
          message: v.message,
          steps: v.trace.length - 1,
          faults,
          shortest,
          sameAsShortest: false,
          proven,
          ...(proven ? {} : { unproven: unprovenText() }),
          distinctStates: states,
          durationMs: Date.now() - started,
        },
      };
    }
    if (search.stopped) {
      proven = false;
      unproven.push(k);
      why.add(STOPPED_BY[search.stopped] ?? search.stopped);
      // Out of time, memory or state budget, or interrupted: a larger budget has more states, it would stop too.
      if (search.stopped !== 'maxStates' || statesLeft <= search.distinct) break;
    }
  }
  return {
    ok: true,
    minimised: {
      trace: violation.trace,
      message: violation.message,
      steps: shortest.steps,
      faults: shortestFaults,
      shortest,
      sameAsShortest: true,
      proven,
      ...(proven ? {} : { unproven: unprovenText() }),
      distinctStates: states,
      durationMs: Date.now() - started,
    },
  };
}

/**
 * The result with `violation.minimised` added, for a violation whose trace uses
 * faults (the spec is compiled again with the result's params and the given fault
 * budget overrides). Any other result is returned as it is.
 */
export function withMinimised(
  spec: Spec,
  result: CheckResult,
  options: ShrinkOptions & { readonly faults?: Readonly<Record<string, number>> } = {},
): CheckResult {
  const v = result.violation;
  if (result.verdict !== 'violation' || v === undefined || v.trace.length === 0) return result;
  const system = spec.compile(result.params, { faults: options.faults ?? result.faults });
  if (system.faultsUsed === undefined) return result;
  const used = system.faultsUsed(v.trace[v.trace.length - 1]!.state);
  if (used === 0) return result;
  const out = shrinkFaults(system, v, options);
  if (!out.ok) return result;
  return { ...result, violation: { ...v, minimised: out.minimised } };
}

/** The trace a human reads: the fault-minimal one if there is one (and it is wanted), else the BFS trace. */
export function displayedTrace(v: Violation, minimise = true): { trace: TraceStep[]; message: string; minimised: boolean } {
  if (minimise && v.minimised && !v.minimised.sameAsShortest) return { trace: v.minimised.trace, message: v.minimised.message, minimised: true };
  return { trace: v.trace, message: v.message, minimised: false };
}
