// Replays a saved trace (an ITF file written by --trace-out or --save-trace)
// against a spec, step by step: at each step the spec's successors with the step's
// action label are computed, and the one equal to the trace's state is taken. The
// spec's properties are checked along the way, as the search checks them.
//
//   reproduced — a property fails on the way (exit 1): the bug is still there;
//   passes     — every step replays and no property fails (exit 0): it is fixed;
//   diverged   — a step no longer fits the spec (exit 4): its action is not enabled,
//                or it leads to a different state (the diff says how);
//   error      — the spec threw, or the trace or its params are unusable (exit 2).
//
// States are compared by value (canonically), so a trace decoded from ITF matches
// the spec's own states; the replayed trace holds the spec's states.
import { describeThrown, isSpecError, type TraceStep } from '../core/errors.js';
import { UsageError, resolveParams } from '../core/params.js';
import type { ParamValue, Spec, TransitionSystem } from '../core/types.js';
import type { ViolationKind } from '../explore/types.js';
import { equalValues } from '../values/compare.js';
import { diffValues, type Change } from '../values/diff.js';
import { ItfError, parseItfTrace } from '../values/itf.js';
import { resolveLabel } from '../explore/reconstruct.js';
import { fairnessInstance, judgeLasso } from '../liveness/judge.js';
import { coreFairness } from '../core/liveness.js';

export type ReplayOutcome = 'reproduced' | 'passes' | 'diverged' | 'error';

/** Exit codes of `faultline replay` (the design's CLI contract). */
export const REPLAY_EXIT: Readonly<Record<ReplayOutcome, number>> = { passes: 0, reproduced: 1, error: 2, diverged: 4 };

export interface ReplayDivergence {
  /** The step that does not fit (0: the initial state). */
  readonly step: number;
  /** Its action label in the trace (null: an initial state, or a trace without labels). */
  readonly action: string | null;
  /**
   * `initial-state`: no initial state of the spec equals the trace's first state;
   * `not-enabled`: no successor has the step's label (or, without a label, equals its state);
   * `different-state`: successors with the label exist, but none equals the trace's state.
   */
  readonly reason: 'initial-state' | 'not-enabled' | 'different-state';
  /** The trace's state at this step. */
  readonly expected: unknown;
  /** The spec's closest state (fewest differences), for initial-state and different-state. */
  readonly actual?: unknown;
  /** From the spec's state (before) to the trace's state (after). */
  readonly changes: readonly Change[];
  /** The labels enabled at the previous state (for not-enabled), in the spec's order, without repeats. */
  readonly enabled: readonly string[];
}

export interface ReplayViolation {
  readonly property: string;
  readonly kind: ViolationKind;
  readonly message: string;
  /** The step at which it fails (its state, or its transition for an action property). */
  readonly step: number;
}

export interface ReplayResult {
  readonly outcome: ReplayOutcome;
  /** The spec's name and the params and fault budgets it was compiled with. */
  readonly spec: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly faults?: Readonly<Record<string, number>>;
  /** Steps (transitions) in the saved trace. */
  readonly steps: number;
  /** The prefix that replayed, with the spec's own states (initial state first). */
  readonly trace: TraceStep[];
  readonly violation?: ReplayViolation;
  readonly divergence?: ReplayDivergence;
  /** What the trace was saved for ("#meta".property/kind/message), if it says. */
  readonly saved?: { readonly property?: string; readonly kind?: string; readonly message?: string };
  /** The saved trace's loop index, when it is a lasso. */
  readonly loop?: number;
  /** A saved lasso that replays but is no longer a fair counterexample: why (outcome passes). */
  readonly lassoNote?: string;
  /** For outcome error. */
  readonly error?: { readonly message: string; readonly role?: string; readonly handler?: string; readonly action?: string };
}

export interface ReplayStepsOptions {
  /** Report a final state with no successor (not `done`) as a deadlock. Default: when `expectKind` is 'deadlock'. */
  readonly deadlock?: boolean;
  readonly expectKind?: string;
  /** A lasso: the index its last state returns to, and the liveness property it was saved for. */
  readonly loop?: number;
  readonly property?: string;
}

function verdict(r: unknown, name: string): string | undefined {
  if (r === true) return undefined;
  if (r === false) return `${name} is false`;
  if (typeof r === 'string') return r;
  return `${name} returned ${JSON.stringify(r)}`;
}

function closest(candidates: readonly unknown[], target: unknown): { state: unknown; changes: Change[] } | undefined {
  let best: { state: unknown; changes: Change[] } | undefined;
  for (const s of candidates) {
    const changes = diffValues(s, target);
    if (best === undefined || changes.length < best.changes.length) best = { state: s, changes };
  }
  return best;
}

type StepsResult = Pick<ReplayResult, 'outcome' | 'trace' | 'violation' | 'divergence' | 'error' | 'lassoNote'>;

/**
 * Replays `steps` (states as decoded from ITF, labels as recorded) against a
 * compiled spec. Never throws for a spec error: it becomes outcome 'error'.
 */
export function replaySteps<S>(system: TransitionSystem<S>, steps: readonly TraceStep[], options: ReplayStepsOptions = {}): StepsResult {
  const trace: TraceStep[] = [];
  try {
    if (steps.length === 0) return { outcome: 'error', trace, error: { message: 'the trace has no states' } };
    const inits = system.initialStates();
    const first = steps[0]!.state;
    const init = inits.find((s) => equalValues(s, first));
    if (init === undefined) {
      const near = closest(inits, first);
      return {
        outcome: 'diverged',
        trace,
        divergence: { step: 0, action: steps[0]!.action, reason: 'initial-state', expected: first, actual: near?.state, changes: near?.changes ?? [], enabled: [] },
      };
    }
    trace.push({ action: null, state: init });
    const checkState = (s: S, step: number): ReplayViolation | undefined => {
      for (const inv of system.invariants) {
        const m = verdict(inv.check(s), inv.name);
        if (m !== undefined) return { property: inv.name, kind: 'invariant', message: m, step };
      }
      return undefined;
    };
    let v = checkState(init, 0);
    if (v) return { outcome: 'reproduced', trace, violation: v };
    let current: S = init;
    const fairness = system.fairness ?? coreFairness(system.name, undefined, system.actions.map((a) => a.name));
    const keys: string[] = []; // fairness instance of each replayed step (for a lasso)
    for (let k = 1; k < steps.length; k++) {
      const want = steps[k]!;
      const label = want.action;
      const enabled: string[] = [];
      const sameLabel: { state: S; label: string }[] = [];
      let match: { state: S; label: string; key: string } | undefined;
      system.successors(current, (next, a, l) => {
        if (match !== undefined) return;
        const text = resolveLabel(l);
        if (!enabled.includes(text)) enabled.push(text);
        if (label !== null && text !== label) return;
        if (equalValues(next, want.state)) match = { state: next, label: text, key: fairnessInstance(fairness, a, text).key };
        else sameLabel.push({ state: next, label: text });
      });
      if (match === undefined) {
        if (sameLabel.length === 0 || label === null) {
          return {
            outcome: 'diverged',
            trace,
            divergence: { step: k, action: label, reason: 'not-enabled', expected: want.state, changes: [], enabled },
          };
        }
        const near = closest(
          sameLabel.map((x) => x.state),
          want.state,
        )!;
        return {
          outcome: 'diverged',
          trace,
          divergence: { step: k, action: label, reason: 'different-state', expected: want.state, actual: near.state, changes: near.changes, enabled: [] },
        };
      }
      const found = match as { state: S; label: string; key: string };
      keys.push(found.key);
      for (const p of system.actionProperties) {
        const m = verdict(p.check(current, found.label, found.state), p.name);
        if (m !== undefined) {
          trace.push({ action: found.label, state: found.state });
          return { outcome: 'reproduced', trace, violation: { property: p.name, kind: 'actionProperty', message: m, step: k } };
        }
      }
      trace.push({ action: found.label, state: found.state });
      current = found.state;
      v = checkState(current, k);
      if (v) return { outcome: 'reproduced', trace, violation: v };
    }
    if (options.loop !== undefined) return replayLasso(system, fairness, trace, keys, options.loop, options.property);
    const deadlock = options.deadlock ?? options.expectKind === 'deadlock';
    if (deadlock && steps.length > 1) {
      // As the search: only actions that are not faults and not the passing of time count.
      let any = false;
      system.successors(current, (_n, a) => {
        const info = system.actions[a];
        if (info === undefined || (!info.fault && info.idle !== true)) any = true;
      });
      if (!any && !(system.done?.(current) ?? false)) {
        return {
          outcome: 'reproduced',
          trace,
          violation: { property: 'deadlock', kind: 'deadlock', message: 'no action is enabled in this state', step: steps.length - 1 },
        };
      }
    }
    return { outcome: 'passes', trace };
  } catch (e) {
    // A spec error, or user code (a property) that threw.
    if (!isSpecError(e)) return { outcome: 'error', trace, error: { message: describeThrown(e) } };
    return { outcome: 'error', trace, error: { message: e.message, role: e.role, handler: e.handler, action: e.action } };
  }
}

/**
 * After every step of a saved lasso replayed: reproduced when it is still a fair
 * behaviour violating its liveness property, passes (with the reason) when not.
 */
export function replayLasso<S>(system: TransitionSystem<S>, fairness: NonNullable<TransitionSystem<S>['fairness']>, trace: TraceStep[], keys: readonly string[], loop: number, name: string | undefined): StepsResult {
  const last = trace.length - 1;
  const prop = system.liveness?.find((p) => p.name === name);
  if (prop === undefined) {
    const names = (system.liveness ?? []).map((p) => p.name);
    return { outcome: 'error', trace, error: { message: `the trace is a lasso saved for ${name ?? 'a liveness property'}, which the spec does not declare (its liveness properties: ${names.join(', ') || 'none'})` } };
  }
  if (loop > last || !equalValues(trace[last]!.state, trace[loop]!.state)) {
    return { outcome: 'error', trace, error: { message: `the trace's loop index ${loop} does not close the loop: its last state is not state ${loop} again` } };
  }
  const why = judgeLasso(system, fairness, prop, trace.map((t) => t.state as S), loop, keys.slice(loop));
  if (why !== undefined) return { outcome: 'passes', trace, lassoNote: why };
  const stays = {
    eventually: `${prop.name} never holds`,
    leadsTo: `${prop.name}: its goal never holds after the trigger`,
    alwaysEventually: `${prop.name} stops holding for good`,
    eventuallyAlways: `${prop.name} does not hold at step ${last}`,
  }[prop.kind];
  const message = loop === last ? `${stays}, and the behaviour stays at step ${last} forever` : `${prop.name} is violated by the loop back to step ${loop}, repeated forever`;
  return { outcome: 'reproduced', trace, violation: { property: prop.name, kind: 'liveness', message, step: last } };
}

export interface ReplayOptions {
  /** Param overrides on top of the trace's "#meta".params. */
  readonly params?: Readonly<Record<string, ParamValue>>;
  /** Fault budget overrides on top of the trace's "#meta".faults. */
  readonly faults?: Readonly<Record<string, number>>;
  readonly deadlock?: boolean;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A saved trace ready to replay: the spec compiled with its params, its steps as decoded. */
export interface PreparedReplay {
  readonly system: TransitionSystem<unknown>;
  readonly params: Record<string, ParamValue>;
  readonly faults?: Readonly<Record<string, number>>;
  readonly steps: TraceStep[];
  readonly saved: NonNullable<ReplayResult['saved']>;
  readonly loop?: number;
}

/**
 * Decodes an ITF document and compiles the spec with the params and fault budgets
 * the trace was saved with ("#meta".params and .faults), overridden by `options`.
 * Malformed ITF, a param the spec no longer has, or a spec error give an error
 * result (never a throw).
 */
export function prepareReplay(spec: Spec, itf: unknown, options: ReplayOptions = {}): { ok: true; prepared: PreparedReplay } | { ok: false; result: ReplayResult } {
  const base = { spec: spec.name, params: { ...spec.params } as Record<string, ParamValue>, steps: 0, trace: [] as TraceStep[] };
  let parsed;
  try {
    parsed = parseItfTrace(itf);
  } catch (e) {
    if (e instanceof ItfError) return { ok: false, result: { ...base, outcome: 'error', error: { message: e.message } } };
    throw e;
  }
  const meta = parsed.meta;
  const saved = {
    property: typeof meta.property === 'string' ? meta.property : undefined,
    kind: typeof meta.kind === 'string' ? meta.kind : undefined,
    message: typeof meta.message === 'string' ? meta.message : undefined,
  };
  const savedParams = isRecord(meta.params) ? (meta.params as Record<string, ParamValue>) : {};
  const savedFaults = isRecord(meta.faults) ? (meta.faults as Record<string, number>) : {};
  const faults = { ...savedFaults, ...(options.faults ?? {}) };
  const steps: TraceStep[] = parsed.states.map((state, i) => ({ action: parsed.actions[i] ?? null, state }));
  if (saved.kind === 'liveness' && parsed.loop === undefined) {
    // Replayed as a finite trace it would pass, and a live bug would look fixed.
    const message = `the trace was saved for the liveness property ${saved.property ?? '(unnamed)'} but has no top-level "loop" (the index of the state its last state returns to), so it cannot be replayed as a lasso`;
    return { ok: false, result: { ...base, steps: steps.length - 1, saved, outcome: 'error', error: { message } } };
  }
  let system: TransitionSystem<unknown>;
  let params: Record<string, ParamValue>;
  try {
    // Params the spec no longer declares are an error: the trace was saved for another spec.
    params = { ...resolveParams(spec.name, spec.params, { ...savedParams, ...(options.params ?? {}) }) };
    system = spec.compile(params, { faults: Object.keys(faults).length ? faults : undefined });
  } catch (e) {
    if (!(e instanceof UsageError) && !isSpecError(e)) throw e;
    return { ok: false, result: { ...base, steps: steps.length - 1, saved, outcome: 'error', error: { message: (e as Error).message } } };
  }
  return {
    ok: true,
    prepared: { system, params, faults: Object.keys(faults).length ? faults : undefined, steps, saved, ...(parsed.loop === undefined ? {} : { loop: parsed.loop }) },
  };
}

/**
 * Replays an ITF document (its text, or the parsed JSON) against a spec, compiled
 * with the params and fault budgets the trace was saved with ("#meta".params and
 * .faults), overridden by `options`. Malformed ITF, a param the spec no longer has,
 * or a spec error give outcome 'error' (never a throw).
 */
export function replayItf(spec: Spec, itf: unknown, options: ReplayOptions = {}): ReplayResult {
  const p = prepareReplay(spec, itf, options);
  if (!p.ok) return p.result;
  const { system, params, faults, steps, saved, loop } = p.prepared;
  const r = replaySteps(system, steps, { deadlock: options.deadlock, expectKind: saved.kind, loop, property: saved.property });
  return {
    spec: spec.name,
    params,
    faults,
    steps: steps.length - 1,
    saved,
    ...(loop === undefined ? {} : { loop }),
    ...r,
  };
}

export function replayExitCode(r: Pick<ReplayResult, 'outcome'>): number {
  return REPLAY_EXIT[r.outcome];
}
