// The explorer's JSON API, as plain functions of a parsed request (server.ts does
// the HTTP): the spec, the state a path leads to (with the path's step lines, the
// chart, the properties and the enabled actions), and loading a saved trace.
// Every bad request is an ApiError with a 4xx status and a message that says what
// was wrong; a spec that throws is not a bad request: the answer carries the error
// and the step that caused it.
import { Chalk } from 'chalk';
import { isSpecError, type TraceStep } from '../core/errors.js';
import { UsageError, resolveParams } from '../core/params.js';
import type { ParamValue, Spec, TransitionSystem } from '../core/types.js';
import { valuesLookedAt } from '../trace/looked-at.js';
import { isWorld, traceModel, type TraceModel, type WorldLike } from '../trace/model.js';
import { svgChart } from '../trace/render/html.js';
import { renderSteps } from '../trace/render/steps.js';
import { kindTag, stepText, worldStepBlocks } from '../trace/render/world-steps.js';
import { loopNote } from '../trace/render/mermaid.js';
import { replayItf } from '../trace/replay.js';
import { equalValues } from '../values/compare.js';
import { diffValues } from '../values/diff.js';
import { formatValue } from '../values/format.js';
import { Session, type Enabled, type PropertyVerdict, type Stopped, type WalkError } from './session.js';
import { coreView, worldView, type CoreView, type WorldView } from './view.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What every path request carries: which compiled spec, which initial state, which steps. */
export interface PathRequest {
  /** Param overrides (strings are parsed by the param's type, as `-p`). */
  readonly params?: Record<string, ParamValue>;
  readonly faults?: Record<string, number>;
  readonly init: number;
  readonly path: string[];
  /** The step to show (default: the end of the path); steps after it are the path's future. */
  readonly at?: number;
  /** A lasso (a liveness counterexample): the step the path's last state returns to, forever. */
  readonly loop?: number;
}

const MAX_PATH = 10_000;
const MAX_KEY = 4_000;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Checks the shape of a path request; anything else is a 400 that names the field. */
export function parsePathRequest(body: unknown): PathRequest {
  if (!isRecord(body)) throw new ApiError(400, 'the request body must be a JSON object like {"path": ["deliver …"], "init": 0}');
  const known = new Set(['params', 'faults', 'init', 'path', 'at', 'loop']);
  for (const k of Object.keys(body)) if (!known.has(k)) throw new ApiError(400, `unknown field "${k}" (the fields are: ${[...known].join(', ')})`);
  const { params, faults, init = 0, path = [], at, loop } = body;
  if (params !== undefined) {
    if (!isRecord(params)) throw new ApiError(400, '"params" must be an object of param values');
    for (const [k, v] of Object.entries(params)) {
      const ok = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'string'));
      if (!ok) throw new ApiError(400, `param "${k}" must be a number, string, boolean or list`);
    }
  }
  if (faults !== undefined) {
    if (!isRecord(faults)) throw new ApiError(400, '"faults" must be an object of fault budgets');
    for (const [k, v] of Object.entries(faults)) {
      if (!Number.isInteger(v) || (v as number) < 0) throw new ApiError(400, `fault budget "${k}" must be a non-negative integer`);
    }
  }
  if (!Number.isInteger(init) || (init as number) < 0) throw new ApiError(400, '"init" must be a non-negative integer (the index of an initial state)');
  if (!Array.isArray(path) || !path.every((k) => typeof k === 'string')) throw new ApiError(400, '"path" must be a list of action keys (strings)');
  if (path.length > MAX_PATH) throw new ApiError(413, `the path has ${path.length} steps; at most ${MAX_PATH} are accepted`);
  if (path.some((k) => (k as string).length > MAX_KEY)) throw new ApiError(400, `an action key is longer than ${MAX_KEY} characters`);
  if (at !== undefined && (!Number.isInteger(at) || (at as number) < 0 || (at as number) > path.length)) {
    throw new ApiError(400, `"at" must be a step of the path, 0…${path.length}`);
  }
  if (loop !== undefined && (!Number.isInteger(loop) || (loop as number) < 0 || (loop as number) > path.length)) {
    throw new ApiError(400, `"loop" must be a step of the path, 0…${path.length} (the step a lasso's last state returns to)`);
  }
  return {
    params: params as Record<string, ParamValue> | undefined,
    faults: faults as Record<string, number> | undefined,
    init: init as number,
    path: path as string[],
    at: at as number | undefined,
    ...(loop !== undefined ? { loop: loop as number } : {}),
  };
}

/** An action as the page lists it. */
export interface ActionView {
  readonly key: string;
  readonly label: string;
  readonly fault: boolean;
  /** The step tag: deliver, timer, step, recover, FAULT, tick, action. */
  readonly tag: string;
  readonly kind: string;
  /** What it does, as the trace's headline says it. */
  readonly text: string;
  /** The node it concerns (the actor, or a message's receiver); absent for whole-system actions. */
  readonly node?: string;
  /** Properties that fail right after it. */
  readonly violates: readonly { readonly name: string; readonly message: string }[];
}

export interface StepView {
  readonly index: number;
  readonly key: string | null;
  readonly kind: string;
  /** The terminal trace's headline and its change lines (plain text). */
  readonly head: string;
  readonly body: readonly string[];
  /** Properties that fail at this step. */
  readonly failing: readonly string[];
}

export interface StateResponse {
  readonly spec: string;
  readonly kind: 'core' | 'protocol';
  readonly params: Record<string, ParamValue>;
  readonly faults: Record<string, number>;
  readonly init: number;
  readonly initialStates: number;
  /** When there are several initial states: what tells each apart (`replica1.clockOffset = 1, …`). */
  readonly initialChoices?: readonly string[];
  /** The part of the requested path that fits the spec. */
  readonly path: readonly string[];
  readonly at: number;
  readonly stopped?: Stopped;
  readonly error?: WalkError;
  readonly steps: readonly StepView[];
  /** Protocol specs: the sequence chart of the path (SVG). */
  readonly chart?: string;
  readonly state: WorldView | CoreView;
  readonly properties: readonly (PropertyVerdict & { readonly read?: readonly string[] })[];
  readonly actions: readonly ActionView[];
  /** False when the state fails the spec's constraint: the checker does not expand it. */
  readonly withinConstraint: boolean;
  /**
   * A lasso's loop (the request's `loop`, when the whole path fits and its last state
   * is that step's state again, or the loop is the last step: it stays there): the page
   * marks the steps from it on, and `loopNote` says where the behaviour goes forever.
   */
  readonly loop?: number;
  readonly loopNote?: string;
}

interface Compiled {
  readonly session: Session;
  readonly params: Record<string, ParamValue>;
  readonly faults: Record<string, number>;
  /** See StateResponse.initialChoices (computed on first use). */
  initialChoices?: string[];
}

const MAX_CHOICES = 200;

/**
 * Each initial state described by the fields in which the initial states differ
 * (a clock skew, a chosen value), so a student can pick one by what it is.
 */
function initialChoices(session: Session): string[] {
  const n = session.initialCount;
  if (n < 2 || n > MAX_CHOICES) return [];
  const first = session.initialState(0);
  const diffs = Array.from({ length: n }, (_, i) => new Map(diffValues(first, session.initialState(i)).map((c) => [c.path, c])));
  const paths = new Map<string, unknown>();
  for (const d of diffs) for (const [p, c] of d) if (!paths.has(p)) paths.set(p, c.before);
  const name = (p: string) => p.replace(/^\.nodes\./, '').replace(/^\./, '');
  const sorted = [...paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return diffs.map((d) =>
    sorted
      .map(([p, before]) => {
        const c = d.get(p);
        const v = c === undefined ? before : c.kind === 'removed' ? undefined : c.after;
        return `${name(p)} = ${v === undefined ? '–' : formatValue(v, { maxLength: 40 })}`;
      })
      .join(', '),
  );
}

const plain = new Chalk({ level: 0 });
const MAX_SESSIONS = 8;

/** The sessions of one spec file, one per (params, faults), the most recent kept. */
export class Explorer {
  private readonly sessions = new Map<string, Compiled>();

  constructor(
    readonly spec: Spec,
    readonly file: string,
    /** The command line's -p and --faults: what a request without its own uses. */
    readonly defaults: { readonly params: Record<string, ParamValue>; readonly faults?: Record<string, number> },
  ) {}

  /** The compiled spec for these params and budgets (400 when they do not fit the spec). */
  compiled(params?: Record<string, ParamValue>, faults?: Record<string, number>): Compiled {
    let resolved: Record<string, ParamValue>;
    try {
      resolved = { ...resolveParams(this.spec.name, this.spec.params, params ?? this.defaults.params) };
    } catch (e) {
      if (e instanceof UsageError) throw new ApiError(400, e.message);
      throw e;
    }
    const f = faults ?? this.defaults.faults ?? {};
    const key = JSON.stringify([resolved, Object.entries(f).sort()]);
    const hit = this.sessions.get(key);
    if (hit) {
      this.sessions.delete(key);
      this.sessions.set(key, hit);
      return hit;
    }
    let session: Session;
    try {
      const system = this.spec.compile(resolved, { faults: Object.keys(f).length ? f : undefined }) as TransitionSystem<unknown>;
      session = new Session(system);
    } catch (e) {
      if (e instanceof UsageError || isSpecError(e)) throw new ApiError(400, (e as Error).message);
      throw e;
    }
    const budgets = (session.system as { budgets?: Record<string, number> }).budgets;
    const c = { session, params: resolved, faults: budgets ? { ...budgets } : { ...f } };
    this.sessions.set(key, c);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return c;
  }

  /** GET /api/spec */
  specInfo(): Record<string, unknown> {
    const d = this.spec.describe();
    const c = this.compiled();
    return {
      spec: this.spec.name,
      kind: this.spec.kind,
      file: this.file,
      params: c.params,
      faults: c.faults,
      initialStates: c.session.initialCount,
      actions: d.actions,
      invariants: d.invariants,
      actionProperties: d.actionProperties,
      expect: this.spec.expect ?? null,
    };
  }

  /** POST /api/state */
  state(req: PathRequest): StateResponse {
    const compiled = this.compiled(req.params, req.faults);
    const { session, params, faults } = compiled;
    const system = session.system;
    if (req.init >= session.initialCount) throw new ApiError(400, `"init" is ${req.init}, but the spec has ${session.initialCount} initial state${session.initialCount === 1 ? '' : 's'}`);
    const full = session.walk(req.init, req.path);
    const fits = full.keys.length;
    const at = Math.min(req.at ?? fits, fits);
    const here = at === fits ? full : session.walk(req.init, full.keys.slice(0, at));
    const trace = full.trace;
    const protocol = isWorld(trace[0]!.state);
    const model = traceModel(trace, { system });
    const state = trace[at]!.state;
    const prev = at > 0 ? trace[at - 1]!.state : undefined;
    let error = full.error && full.error.step <= at ? full.error : here.error;
    let properties: StateResponse['properties'] = [];
    const failing: string[][] = [];
    try {
      for (let i = 0; i < trace.length; i++) {
        const before = i > 0 ? { state: trace[i - 1]!.state, label: trace[i]!.action! } : undefined;
        failing.push(session.properties(trace[i]!.state, before).filter((p) => !p.holds).map((p) => p.name));
      }
      properties = session.properties(state, at > 0 ? { state: prev, label: trace[at]!.action! } : undefined).map((p) =>
        p.holds || p.kind !== 'invariant' ? p : { ...p, read: valuesLookedAt(system, p.name, state).map((l) => `${l.what} = ${formatValue(l.value, { maxLength: 300 })}`) },
      );
    } catch (e) {
      if (!isSpecError(e)) throw e;
      error ??= { message: e.message, role: e.role, handler: e.handler, step: failing.length };
    }
    let withinConstraint = true;
    try {
      withinConstraint = system.constraint?.(state) ?? true;
    } catch (e) {
      if (!isSpecError(e)) throw e;
      error ??= { message: e.message, role: e.role, handler: e.handler, step: at };
    }
    const info = system as { nodeRoles?: Record<string, string>; budgets?: Record<string, number>; nodeIds?: readonly string[] };
    return {
      spec: this.spec.name,
      kind: this.spec.kind,
      params,
      faults,
      init: req.init,
      initialStates: session.initialCount,
      ...(session.initialCount > 1 ? { initialChoices: (compiled.initialChoices ??= initialChoices(session)) } : {}),
      path: full.keys,
      at,
      ...(full.stopped ? { stopped: full.stopped } : {}),
      ...(error ? { error } : {}),
      steps: stepViews(trace, model, full.keys, failing),
      ...(protocol ? { chart: svgChart(model, trace) } : {}),
      state: protocol
        ? worldView(state as WorldLike, prev as WorldLike | undefined, { nodeRoles: info.nodeRoles, budgets: info.budgets, nodeIds: info.nodeIds })
        : coreView(state, prev, at > 0),
      properties,
      actions: (here.enabled ?? []).map((e) => actionView(e, state, system, protocol)),
      withinConstraint,
      ...lassoOf(req, full.keys.length, trace),
    };
  }

  /** POST /api/actions: the actions enabled at the end of a path (the part that fits). */
  actions(req: PathRequest): { path: readonly string[]; stopped?: Stopped; error?: WalkError; actions: ActionView[] } {
    const { session } = this.compiled(req.params, req.faults);
    if (req.init >= session.initialCount) throw new ApiError(400, `"init" is ${req.init}, but the spec has ${session.initialCount} initial state(s)`);
    const w = session.walk(req.init, req.path);
    const state = w.trace[w.trace.length - 1]!.state;
    const protocol = isWorld(w.trace[0]!.state);
    return {
      path: w.keys,
      ...(w.stopped ? { stopped: w.stopped } : {}),
      ...(w.error ? { error: w.error } : {}),
      actions: (w.enabled ?? []).map((e) => actionView(e, state, session.system, protocol)),
    };
  }

  /**
   * POST /api/trace: a saved counterexample (ITF) as a path, replayed under the
   * params and budgets it was saved with. The part that fits is returned; where a
   * step stops fitting, `stopped` says which and why.
   */
  loadTrace(itf: unknown): Record<string, unknown> {
    const r = replayItf(this.spec, itf);
    if (r.outcome === 'error' && r.trace.length === 0) throw new ApiError(400, `cannot load the trace: ${r.error?.message ?? 'unknown error'}`);
    const { session, params, faults } = this.compiled(r.params, r.faults as Record<string, number> | undefined);
    const init = r.trace.length ? session.initialIndexOf(r.trace[0]!.state) : -1;
    const keys = init >= 0 ? session.keysOf(init, [], r.trace) : undefined;
    if (init < 0 || keys === undefined) throw new ApiError(400, 'cannot load the trace: its states do not match the spec (replay it with `faultline replay` to see where)');
    const d = r.divergence;
    return {
      spec: this.spec.name,
      params,
      faults,
      init,
      path: keys,
      steps: r.steps,
      saved: r.saved,
      outcome: r.outcome,
      ...(r.loop !== undefined && d === undefined ? { loop: r.loop } : {}),
      ...(r.violation ? { violation: r.violation } : {}),
      ...(d
        ? {
            stopped: {
              step: d.step,
              key: d.action,
              reason: d.reason,
              message: `step ${d.step}${d.action ? ` (${d.action})` : ''} no longer fits the spec: ${d.reason === 'not-enabled' ? 'its action is not enabled' : d.reason === 'different-state' ? 'it leads to a different state' : 'no initial state matches'}`,
            },
          }
        : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }

  /** The keys of a trace found by a search from the end of `req`'s path (see check-from-here). */
  keysOf(req: PathRequest, trace: readonly TraceStep[]): string[] | undefined {
    const { session } = this.compiled(req.params, req.faults);
    return session.keysOf(req.init, req.path, trace);
  }
}

/** The request's loop, when it closes on the path as walked (a path cut short, or branched off, has none). */
function lassoOf(req: PathRequest, fits: number, trace: readonly TraceStep[]): { loop?: number; loopNote?: string } {
  const k = req.loop;
  if (k === undefined || fits !== req.path.length || k > fits) return {};
  if (k < fits && !equalValues(trace[k]!.state, trace[fits]!.state)) return {};
  return { loop: k, loopNote: loopNote(k, fits) };
}

/** Step lines as the terminal prints them (compact), one block per step of the path. */
function stepViews(trace: readonly TraceStep[], model: TraceModel, keys: readonly string[], failing: readonly string[][]): StepView[] {
  if (model.protocol) {
    const { blocks } = worldStepBlocks(trace, model, { color: plain, detail: 'compact', width: 110 });
    return blocks.map((b, i) => ({ index: i, key: i === 0 ? null : keys[i - 1]!, kind: model.steps[i]!.kind, head: b.head.trimStart(), body: b.body, failing: failing[i] ?? [] }));
  }
  return trace.map((_, i) => {
    const lines = renderSteps(i === 0 ? [trace[0]!] : [trace[i - 1]!, trace[i]!], { color: plain, notes: [[], model.steps[i]?.notes ?? []] });
    // renderSteps draws step 0 then step 1: keep this step's part.
    const start = i === 0 ? 0 : lines.findIndex((l, j) => j > 0 && /^\s+1\s{2}/.test(l));
    const own = lines.slice(start);
    return {
      index: i,
      key: i === 0 ? null : keys[i - 1]!,
      kind: i === 0 ? 'init' : 'action',
      head: `${i}  ${i === 0 ? 'initial state' : trace[i]!.action}`,
      body: own.slice(1).map((l) => l.trim()),
      failing: failing[i] ?? [],
    };
  });
}

function actionView(e: Enabled, state: unknown, system: TransitionSystem<unknown>, protocol: boolean): ActionView {
  const violates = e.violates.map((v) => ({ name: v.name, message: v.message ?? v.name }));
  if (!protocol) {
    return { key: e.key, label: e.label, fault: e.fault, tag: e.fault ? 'FAULT' : 'action', kind: e.fault ? 'fault' : 'action', text: e.key, violates };
  }
  const step = traceModel([{ action: null, state }, { action: e.label, state: e.next }], { system, notes: false }).steps[1]!;
  const node = step.actor ?? step.msg?.to;
  const suffix = e.key === e.label ? '' : e.key.slice(e.label.length);
  return {
    key: e.key,
    label: e.label,
    fault: e.fault,
    tag: kindTag(step.kind),
    kind: step.kind,
    text: (step.kind === 'fault' ? e.label : stepText(step)) + suffix,
    ...(node !== undefined ? { node } : {}),
    violates,
  };
}
