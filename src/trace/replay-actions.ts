// Replay by actions: a saved counterexample as a regression test of its fix. The
// state replay (replay.ts) needs each saved state to be one of the spec's states, so
// a fix that adds a field (votedFor kept on disk) makes every saved trace "no longer
// fit" at step 0. This replay keeps only the trace's action labels (which carry the
// arguments: `fire node2.election`, `deliver Vote{term:2} node3→node1`): from the
// spec's initial states it takes, at each step, the successors with that label, and
// checks the spec's properties on the way, as the search does.
//
//   reproduced — a property fails on the way (exit 1): the fix does not stop this run;
//   blocked    — at some step no state reached so far has a successor with the step's
//                label (exit 0): the fix blocks this run there;
//   passes     — every label replays and no property fails (exit 0): the property
//                the trace was saved for now holds all along it;
//   changed    — blocked, but a label of the same shape with other message fields is
//                enabled (exit 4): the fix changed the message, so the trace's labels
//                cannot say whether it blocks the run;
//   error      — the trace or its params are unusable, or the spec threw (exit 2).
//
// A label may match several successors (or the spec several initial states): every
// one is followed (up to MAX_BRANCHES distinct states per step), so the violation is
// reported if any run with these labels still reaches it.
import { describeThrown, isSpecError, type TraceStep } from '../core/errors.js';
import type { ParamValue, Spec, TransitionSystem } from '../core/types.js';
import { equalValues } from '../values/compare.js';
import { diffValues, type Change } from '../values/diff.js';
import { resolveLabel, stateFingerprintInto } from '../explore/reconstruct.js';
import { prepareReplay, replayLasso, type ReplayOptions, type ReplayResult, type ReplayViolation } from './replay.js';
import { fairnessInstance } from '../liveness/judge.js';
import { coreFairness } from '../core/liveness.js';

export type ActionReplayOutcome = 'reproduced' | 'blocked' | 'changed' | 'passes' | 'error';

/** Exit codes of `faultline replay --by-actions`: the fix holding (blocked or passes) is 0, as a passing test; 4 as the state replay's "no longer fits". */
export const ACTION_REPLAY_EXIT: Readonly<Record<ActionReplayOutcome, number>> = { passes: 0, blocked: 0, reproduced: 1, error: 2, changed: 4 };

/** A label without its messages' fields: `deliver Granted{token:1,ttl:2} lock→client1` → `deliver Granted lock→client1`. */
export function labelShape(label: string): string {
  let out = label;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\{[^{}]*\}/g, '');
  }
  return out;
}

/** Distinct states followed at one step; more is an error (the labels do not pin the run down). */
export const MAX_BRANCHES = 10_000;

export interface ActionReplayResult {
  readonly outcome: ActionReplayOutcome;
  readonly spec: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly faults?: Readonly<Record<string, number>>;
  /** Steps (transitions) in the saved trace. */
  readonly steps: number;
  /** What the trace was saved for ("#meta".property/kind/message). */
  readonly saved?: ReplayResult['saved'];
  /** The run followed, with the spec's own states: up to the violation (reproduced), the blocked step (blocked), or the end. */
  readonly trace: TraceStep[];
  readonly violation?: ReplayViolation;
  /**
   * blocked (and changed): the step whose label no state reached so far enables, what
   * is enabled instead (after `trace`'s last state), and (changed) those of the same
   * shape as the label, with other message fields.
   */
  readonly blocked?: { readonly step: number; readonly action: string; readonly enabled: readonly string[]; readonly similar?: readonly string[] };
  /** The first step at which the followed run's state differs from the saved one (the spec's state → the saved state). */
  readonly firstDifference?: { readonly step: number; readonly action: string | null; readonly changes: readonly Change[] };
  /** The most distinct states the labels matched at one step (1: the labels pin the run down). */
  readonly branches: number;
  /** The saved property, when the spec no longer declares it (then `passes` means little). */
  readonly missingProperty?: string;
  /** A saved lasso: the index its last state returned to. */
  readonly loop?: number;
  /** A saved lasso whose actions replay but that is no longer a fair counterexample: why (outcome passes). */
  readonly lassoNote?: string;
  readonly error?: ReplayResult['error'];
}

interface Run<S> {
  readonly state: S;
  readonly trace: TraceStep[];
  /** The fairness instance of each step (for a lasso). */
  readonly keys: readonly string[];
}

function verdict(r: unknown, name: string): string | undefined {
  if (r === true) return undefined;
  if (r === false) return `${name} is false`;
  if (typeof r === 'string') return r === '' ? `${name} is violated` : r;
  return `${name} returned ${typeof r === 'object' ? 'an object' : String(r)}`;
}

/** Keeps one run per distinct state (by the fingerprint the search keys states by). */
function distinct<S>(system: TransitionSystem<S>, runs: readonly Run<S>[]): Run<S>[] {
  const fp = new Uint32Array(2);
  const seen = new Map<string, Run<S>[]>();
  const out: Run<S>[] = [];
  for (const r of runs) {
    stateFingerprintInto(system, r.state, fp);
    const key = `${fp[0]}:${fp[1]}`;
    const same = seen.get(key);
    // Equal fingerprints are compared by value: a collision never merges two states.
    if (same?.some((x) => equalValues(x.state, r.state))) continue;
    if (same) same.push(r);
    else seen.set(key, [r]);
    out.push(r);
  }
  return out;
}

/** Replays `steps` by their labels against a compiled spec. Never throws for a spec error. */
export function replayActionSteps<S>(
  system: TransitionSystem<S>,
  steps: readonly TraceStep[],
  options: { readonly deadlock?: boolean; readonly expectKind?: string; readonly loop?: number; readonly property?: string } = {},
): Pick<ActionReplayResult, 'outcome' | 'trace' | 'violation' | 'blocked' | 'firstDifference' | 'branches' | 'error' | 'lassoNote'> {
  let branches = 0;
  let firstDifference: ActionReplayResult['firstDifference'];
  // The first run is the one reported (blocked, passes); its states are compared with the saved ones.
  const compare = (run: Run<S>, k: number): void => {
    if (firstDifference !== undefined || equalValues(run.state, steps[k]!.state)) return;
    firstDifference = { step: k, action: steps[k]!.action, changes: diffValues(run.state, steps[k]!.state) };
  };
  const invariantFailing = (s: S, step: number): ReplayViolation | undefined => {
    for (const inv of system.invariants) {
      const m = verdict(inv.check(s), inv.name);
      if (m !== undefined) return { property: inv.name, kind: 'invariant', message: m, step };
    }
    return undefined;
  };
  let runs: Run<S>[] = [];
  try {
    if (steps.length === 0) return { outcome: 'error', trace: [], branches, error: { message: 'the trace has no states' } };
    const fairness = system.fairness ?? coreFairness(system.name, undefined, system.actions.map((a) => a.name));
    runs = distinct(system, system.initialStates().map((s) => ({ state: s, trace: [{ action: null, state: s }], keys: [] })));
    branches = runs.length;
    for (const r of runs) {
      const v = invariantFailing(r.state, 0);
      if (v) return { outcome: 'reproduced', trace: r.trace, violation: v, branches };
    }
    if (runs.length === 0) return { outcome: 'error', trace: [], branches, error: { message: 'the spec has no initial state' } };
    compare(runs[0]!, 0);
    for (let k = 1; k < steps.length; k++) {
      const label = steps[k]!.action;
      if (label === null) return { outcome: 'error', trace: runs[0]!.trace, branches, firstDifference, error: { message: `step ${k} of the trace has no action label: a trace replays by actions only with the label of every step` } };
      const next: Run<S>[] = [];
      for (const run of runs) {
        let failed: { run: Run<S>; violation: ReplayViolation } | undefined;
        system.successors(run.state, (s, a, l) => {
          if (failed !== undefined) return;
          const text = resolveLabel(l);
          if (text !== label) return;
          const trace = [...run.trace, { action: text, state: s }];
          const keys = options.loop === undefined ? run.keys : [...run.keys, fairnessInstance(fairness, a, text).key];
          for (const p of system.actionProperties) {
            const m = verdict(p.check(run.state, text, s), p.name);
            if (m !== undefined) {
              failed = { run: { state: s, trace, keys }, violation: { property: p.name, kind: 'actionProperty', message: m, step: k } };
              return;
            }
          }
          const v = invariantFailing(s, k);
          if (v) failed = { run: { state: s, trace, keys }, violation: v };
          else next.push({ state: s, trace, keys });
        });
        if (failed) return { outcome: 'reproduced', trace: failed.run.trace, violation: failed.violation, branches, firstDifference };
      }
      if (next.length === 0) {
        const enabled: string[] = [];
        system.successors(runs[0]!.state, (_s, _a, l) => {
          const text = resolveLabel(l);
          if (!enabled.includes(text)) enabled.push(text);
        });
        const shape = labelShape(label);
        const similar = enabled.filter((l) => labelShape(l) === shape);
        if (similar.length > 0) return { outcome: 'changed', trace: runs[0]!.trace, blocked: { step: k, action: label, enabled, similar }, branches, firstDifference };
        return { outcome: 'blocked', trace: runs[0]!.trace, blocked: { step: k, action: label, enabled }, branches, firstDifference };
      }
      runs = distinct(system, next);
      branches = Math.max(branches, runs.length);
      if (runs.length > MAX_BRANCHES) {
        return {
          outcome: 'error',
          trace: runs[0]!.trace,
          branches,
          firstDifference,
          error: { message: `the label of step ${k} (${label}) matches more than ${MAX_BRANCHES.toLocaleString('en-US')} distinct states: the labels do not pin the run down enough to replay by actions` },
        };
      }
      compare(runs[0]!, k);
    }
    if (options.loop !== undefined) {
      // A lasso: a run whose actions close the loop is judged as the state replay judges it.
      const loop = options.loop;
      let note: string | undefined;
      for (const run of runs) {
        const last = run.trace.length - 1;
        if (loop > last || !equalValues(run.trace[last]!.state, run.trace[loop]!.state)) continue;
        const judged = replayLasso(system, fairness, run.trace, run.keys, loop, options.property);
        if (judged.outcome === 'reproduced' || judged.outcome === 'error') return { ...judged, outcome: judged.outcome, branches, firstDifference };
        note ??= judged.lassoNote;
      }
      const open = `the trace's actions no longer return to the state of step ${loop}: with this spec they do not loop, so the saved lasso is not a behaviour of it`;
      return { outcome: 'passes', trace: runs[0]!.trace, branches, firstDifference, lassoNote: note ?? open };
    }
    if ((options.deadlock ?? options.expectKind === 'deadlock') && steps.length > 1) {
      // As the search: only actions that are not faults and not the passing of time count.
      for (const run of runs) {
        let any = false;
        system.successors(run.state, (_n, a) => {
          const info = system.actions[a];
          if (info === undefined || (!info.fault && info.idle !== true)) any = true;
        });
        if (!any && !(system.done?.(run.state) ?? false)) {
          return { outcome: 'reproduced', trace: run.trace, violation: { property: 'deadlock', kind: 'deadlock', message: 'no action is enabled in this state', step: steps.length - 1 }, branches, firstDifference };
        }
      }
    }
    return { outcome: 'passes', trace: runs[0]!.trace, branches, firstDifference };
  } catch (e) {
    const trace = runs[0]?.trace ?? [];
    if (!isSpecError(e)) return { outcome: 'error', trace, branches, error: { message: describeThrown(e) } };
    return { outcome: 'error', trace, branches, error: { message: e.message, role: e.role, handler: e.handler, action: e.action } };
  }
}

/** Replays an ITF document by its action labels (params and fault budgets as the state replay takes them). */
export function replayItfByActions(spec: Spec, itf: unknown, options: ReplayOptions = {}): ActionReplayResult {
  const p = prepareReplay(spec, itf, options);
  if (!p.ok) {
    const r = p.result;
    return { outcome: 'error', spec: r.spec, params: r.params, steps: r.steps, saved: r.saved, trace: [], branches: 0, error: r.error };
  }
  const { system, params, faults, steps, saved, loop } = p.prepared;
  const base = { spec: spec.name, params, faults, steps: steps.length - 1, saved, ...(loop === undefined ? {} : { loop }) };
  const names =
    saved.kind === 'invariant'
      ? system.invariants.map((x) => x.name)
      : saved.kind === 'actionProperty'
        ? system.actionProperties.map((x) => x.name)
        : saved.kind === 'liveness'
          ? (system.liveness ?? []).map((x) => x.name)
          : undefined;
  const missingProperty = names !== undefined && saved.property !== undefined && !names.includes(saved.property) ? saved.property : undefined;
  const r = replayActionSteps(system, steps, { deadlock: options.deadlock, expectKind: saved.kind, loop, property: saved.property });
  return { ...base, ...r, ...(missingProperty === undefined ? {} : { missingProperty }) };
}

export function actionReplayExitCode(r: Pick<ActionReplayResult, 'outcome'>): number {
  return ACTION_REPLAY_EXIT[r.outcome];
}
