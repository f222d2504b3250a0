// spec(): the TLA+-style way to write a model. Compiles to a TransitionSystem.
import { currentCall } from './current-call.js';
import { SpecError, describeThrown, isSpecError, thrownError } from './errors.js';
import type {
  ActionInfo,
  Expectation,
  NamedProperty,
  Params,
  PropertyResult,
  Spec,
  TransitionSystem,
} from './types.js';
import { brandSpec } from './types.js';
import { coreFairness, livenessNames, livenessProperties, type FairnessDeclaration, type LivenessDefinition } from './liveness.js';
import { SPEC_KEYS, checkKeys } from './definition-keys.js';
import type { HandlerResult, IsInferred, KnownKeys, StateLiteralContext } from './definition-types.js';

/** What an action returns: one successor, several, or nothing (not enabled). */
export type Successors<S> = S | readonly S[] | undefined | null | false;

const EACH = Symbol.for('faultline.forEach');

/** `\E x \in domain: Action(x)`: one labelled action per element, e.g. `RMPrepare(r2)`. */
export interface ParamAction<S, P, A> {
  readonly [EACH]: true;
  readonly domain: readonly A[] | ((params: P) => readonly A[]);
  readonly next: (state: S, arg: A, params: P) => Successors<S>;
}

/** An action; `C` keeps the literal types of the states it returns (see HandlerResult). */
export type ActionDef<S, P, C = never> = ((state: S, params: P) => Successors<HandlerResult<S, C>>) | ParamAction<S, P, any>;

export interface SpecDefinition<S, P extends Params, C = never> extends LivenessDefinition<S, P> {
  readonly name: string;
  /** Constants with their defaults (TLA+ CONSTANTS); `-p name=value` overrides them. */
  readonly params?: P;
  /** The initial state, or an array of initial states: the state type is inferred from it alone. */
  readonly init: (params: P) => S | readonly S[];
  readonly actions: Readonly<Record<string, ActionDef<S, P, C>>>;
  readonly invariants?: Readonly<Record<string, (state: S, params: P) => PropertyResult>>;
  readonly actionProperties?: Readonly<
    Record<string, (state: S, action: string, next: S, params: P) => PropertyResult>
  >;
  /** Each must hold in at least one reachable state of a complete search. */
  readonly sometimes?: Readonly<Record<string, (state: S, params: P) => PropertyResult>>;
  /** TLC's CONSTRAINT: states failing it are checked but not expanded. */
  readonly constraint?: (state: S, params: P) => boolean;
  /** A legitimate final state: not reported by `--deadlock`. */
  readonly done?: (state: S, params: P) => boolean;
  /**
   * Interchangeable values (string symbols such as `ids('r', p.rms)`): with
   * `--symmetry`, states equal up to a permutation of each set count once.
   */
  readonly symmetry?: (params: P) => readonly (readonly string[])[];
  readonly expect?: Expectation;
  /**
   * Which actions must happen when they can (for the liveness properties): 'weak' or
   * 'strong' for every action, or per action name (`{ Next: 'weak' }`) or per
   * instance label (`{ 'RMPrepare(r1)': 'strong' }`). Per instance, as TLA+'s
   * `\A r: WF_vars(A(r))`. None by default, as in TLA+.
   */
  readonly fairness?: FairnessDeclaration;
}

/** A parameterised action: `forEach(p => p.RM, (s, rm) => ...)`. */
export function forEach<S, P, A>(
  domain: readonly A[] | ((params: P) => readonly A[]),
  next: (state: S, arg: A, params: P) => Successors<S>,
): ParamAction<S, P, A> {
  return { [EACH]: true, domain, next };
}

const idLists = new Map<string, readonly string[]>();
let lastIds: { prefix: string; count: number; list: readonly string[] } = { prefix: '', count: -1, list: [] };

/**
 * `ids('r', 3)` is `['r1', 'r2', 'r3']`: node or value names for a count param. The
 * same frozen array on every call, so a spec can call it inside its actions for free.
 */
export function ids(prefix: string, count: number): readonly string[] {
  // The last call's list first: a spec calls ids() in its actions and invariants, and
  // building the map's key string each time was most of the call (two-phase rms=7: 31 ms).
  if (prefix === lastIds.prefix && count === lastIds.count) return lastIds.list;
  const key = `${count}:${prefix}`;
  let list = idLists.get(key);
  if (list === undefined) idLists.set(key, (list = Object.freeze(Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`))));
  lastIds = { prefix, count, list };
  return list;
}

function isParamAction(a: unknown): a is ParamAction<unknown, unknown, unknown> {
  return typeof a === 'object' && a !== null && (a as Record<symbol, unknown>)[EACH] === true;
}

/** How an action argument appears in a label: `RMPrepare(r2)`, `Send(1, "x")`. */
function formatArg(a: unknown): string {
  if (typeof a === 'string') return a;
  if (Array.isArray(a)) return a.map(formatArg).join(', ');
  if (typeof a === 'object' && a !== null) return JSON.stringify(a);
  return String(a);
}

/** A thrown TypeError on a frozen state means the handler mutated its input. */
export function isMutationError(e: unknown): boolean {
  return (
    e instanceof TypeError &&
    /read[- ]only|frozen|not extensible|Cannot (assign|add|delete|define|redefine)/i.test(e.message)
  );
}

/** Wraps an exception thrown by user code into a SpecError that names where. */
export function userCodeError(e: unknown, what: string, site: { role?: string; handler: string }): SpecError {
  if (isSpecError(e)) return e;
  if (!isMutationError(e)) return thrownError(what, site, e);
  return new SpecError(
    `${what} mutated the state it was given (${describeThrown(e)}). States are immutable: return a new value, e.g. { ...s, x: 1 } or an Immutable.js update.`,
    { ...site, cause: e },
  );
}

/** One labelled action of a spec: an action, or one element of a forEach. */
export interface ActionInstance {
  readonly label: string;
  /** Index into the system's actions (the coverage row). */
  readonly info: number;
  /** The user's function, called as fn(state, arg, params) (a plain action takes (state, params)). */
  readonly fn: (s: never, arg: unknown, params: unknown) => unknown;
  readonly arg: unknown;
  readonly paramAction: boolean;
}

/** The spec's actions and their labelled instances (forEach expanded over its domain). */
export function actionInstances(specName: string, defs: Readonly<Record<string, unknown>>, params: unknown): { actions: ActionInfo[]; instances: ActionInstance[] } {
  const actions: ActionInfo[] = [];
  const instances: ActionInstance[] = [];
  for (const [name, a] of Object.entries(defs)) {
    const info = actions.push({ name }) - 1;
    if (isParamAction(a)) {
      let domain: readonly unknown[];
      try {
        domain = typeof a.domain === 'function' ? (a.domain as (p: unknown) => readonly unknown[])(params) : a.domain;
      } catch (e) {
        throw userCodeError(e, `the domain of action ${name}`, { handler: name });
      }
      if (!Array.isArray(domain)) throw new SpecError(`the domain of action ${name} is not an array`, { handler: name });
      for (const arg of domain) instances.push({ label: `${name}(${formatArg(arg)})`, info, fn: a.next as ActionInstance['fn'], arg, paramAction: true });
    } else if (typeof a === 'function') {
      instances.push({ label: name, info, fn: a as ActionInstance['fn'], arg: undefined, paramAction: false });
    } else {
      throw new SpecError(`spec "${specName}": action ${name} must be a function or forEach(...)`, { handler: name });
    }
  }
  return { actions, instances };
}

export function spec<
  S,
  P extends Params = Record<string, never>,
  const C extends StateLiteralContext = never,
  K extends PropertyKey = never,
>(def: SpecDefinition<S, P, C> & KnownKeys<K, SpecDefinition<S, P, C>, 'spec() has no key', IsInferred<S>>): Spec<P> {
  validateDefinition(def as unknown as SpecDefinition<unknown, Params>);
  return brandSpec({
    name: def.name,
    kind: 'core' as const,
    params: (def.params ?? {}) as P,
    expect: def.expect,
    describe: () => ({
      actions: Object.keys(def.actions),
      invariants: Object.keys(def.invariants ?? {}),
      actionProperties: Object.keys(def.actionProperties ?? {}),
      sometimes: Object.keys(def.sometimes ?? {}),
      liveness: livenessNames(def as LivenessDefinition<never, never>),
    }),
    // C is never once the call is resolved: the actions return S.
    compile: (params: P) => compileCore(def as SpecDefinition<S, P>, params),
  });
}

function validateDefinition(def: SpecDefinition<unknown, Params>): void {
  if (typeof def !== 'object' || def === null) throw new SpecError('spec() needs a definition object');
  checkKeys(def, SPEC_KEYS, typeof def.name === 'string' && def.name !== '' ? `spec "${def.name}"` : 'spec()');
  if (typeof def.name !== 'string' || def.name === '') throw new SpecError('spec() needs a name (a non-empty string)');
  if (typeof def.init !== 'function') throw new SpecError(`spec "${def.name}": init must be a function of the params`);
  if (typeof def.actions !== 'object' || def.actions === null) {
    throw new SpecError(`spec "${def.name}": actions must be an object of named actions`);
  }
  for (const [name, a] of Object.entries(def.actions)) {
    if (typeof a !== 'function' && !isParamAction(a)) {
      throw new SpecError(`spec "${def.name}": action ${name} must be a function or forEach(...)`, { handler: name });
    }
  }
  const groups = ['invariants', 'actionProperties', 'sometimes'] as const;
  for (const g of groups) {
    for (const [name, f] of Object.entries(def[g] ?? {})) {
      if (typeof f !== 'function') throw new SpecError(`spec "${def.name}": ${g}.${name} must be a function`, { handler: name });
    }
  }
}

function compileCore<S, P extends Params>(def: SpecDefinition<S, P>, params: P): TransitionSystem<S> {
  const { actions, instances: labelled } = actionInstances(def.name, def.actions, params);
  // The user's function is called from the loop in successors() itself: a closure
  // around each one was one more call per action and state (11M at two-phase rms=7).
  const instances = labelled.map((inst) => ({
    label: inst.label,
    info: inst.info,
    fn: inst.fn as (s: S, argOrParams: unknown, params?: P) => Successors<S>,
    arg: inst.arg,
    paramAction: inst.paramAction,
  }));

  const named = <F extends (...args: never[]) => unknown>(group: Readonly<Record<string, F>> | undefined) =>
    Object.entries(group ?? {}).map(([name, check]) => ({ name, check }));

  const system: TransitionSystem<S> = {
    name: def.name,
    params,
    actions,
    initialStates() {
      let init: S | readonly S[];
      try {
        init = def.init(params);
      } catch (e) {
        throw userCodeError(e, 'init', { handler: 'init' });
      }
      const states = Array.isArray(init) ? [...(init as readonly S[])] : [init as S];
      if (states.length === 0) throw new SpecError('init returned no initial state', { handler: 'init' });
      for (const s of states) {
        if (s === undefined || s === null) throw new SpecError('init returned undefined or null instead of a state', { handler: 'init' });
      }
      return states;
    },
    successors(state, emit) {
      for (let i = 0; i < instances.length; i++) {
        const inst = instances[i]!;
        let r: Successors<S>;
        currentCall.label = inst.label;
        try {
          r = inst.paramAction ? inst.fn(state, inst.arg, params) : inst.fn(state, params);
        } catch (e) {
          const err = userCodeError(e, `action ${inst.label}`, { handler: inst.label });
          err.action = inst.label;
          throw err;
        }
        if (r === undefined || r === null || r === false) continue;
        if (Array.isArray(r)) {
          for (const next of r as readonly S[]) emit(next, inst.info, inst.label);
        } else emit(r as S, inst.info, inst.label);
      }
    },
    invariants: named(def.invariants).map(({ name, check }) => ({ name, check: (s: S) => check(s, params) })),
    actionProperties: named(def.actionProperties).map(({ name, check }) => ({
      name,
      check: (s: S, label: string, t: S) => check(s, label, t, params),
    })),
    sometimes: named(def.sometimes).map(({ name, check }) => ({ name, check: (s: S) => check(s, params) })),
    constraint: def.constraint && ((s: S) => def.constraint!(s, params)),
    done: def.done && ((s: S) => def.done!(s, params)),
    symmetry: def.symmetry?.(params),
    expect: def.expect,
    liveness: livenessProperties<S, S, P>(
      `spec "${def.name}"`,
      def,
      (f) => (s: S) => f(s, params),
      [...Object.keys(def.invariants ?? {}), ...Object.keys(def.actionProperties ?? {}), ...Object.keys(def.sometimes ?? {})],
    ),
    fairness: coreFairness(
      `spec "${def.name}"`,
      def.fairness,
      actions.map((a) => a.name),
      instances.map((i) => i.label),
    ),
  };
  return system;
}

export type { NamedProperty };
