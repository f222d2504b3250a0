// packed(): the fastest way to write a core spec. The spec declares each variable's
// domain (its layout); actions read and write a draft of the state through slots
// instead of building objects. The search then keeps states as raw words: no JS
// object per generated state, a compact frontier, and a hash of a few words.
import { SpecError } from '../core/errors.js';
import { PACKED_BEHAVIOUR_KEYS, PACKED_KEYS, checkKeys } from '../core/definition-keys.js';
import { actionInstances, forEach, userCodeError, type ActionInstance, type ParamAction } from '../core/spec.js';
import { brandSpec, type Expectation, type Params, type PropertyResult, type Spec, type TransitionSystem } from '../core/types.js';
import { hashWords } from './hash.js';
import { compileLayout, decode, encodeInto, type Decl, type Layout, type Slots, type ValueOf } from './layout.js';
import { compileExpander, type Expander } from './expand.js';
import { PackedState } from './state.js';
import { LIVENESS_KINDS, coreFairness, livenessProperties, type FairnessDeclaration, type LivenessDefinition } from '../core/liveness.js';

/** An action: returns the draft `s` after writing the successor into it, or false when not enabled. */
export type PackedAction = (s: PackedState) => PackedState | boolean | undefined | null;

export interface PackedBehaviour<P> extends LivenessDefinition<PackedState, P> {
  readonly actions: Readonly<Record<string, PackedAction | ParamAction<PackedState, P, any>>>;
  readonly invariants?: Readonly<Record<string, (s: PackedState) => PropertyResult>>;
  readonly sometimes?: Readonly<Record<string, (s: PackedState) => PropertyResult>>;
  readonly actionProperties?: Readonly<Record<string, (s: PackedState, action: string, next: PackedState) => PropertyResult>>;
  /** TLC's CONSTRAINT: states failing it are checked but not expanded. */
  readonly constraint?: (s: PackedState) => boolean;
  /** A legitimate final state: not reported by `--deadlock`. */
  readonly done?: (s: PackedState) => boolean;
  /** Fairness may be declared here instead of in the definition (not in both). */
  readonly fairness?: FairnessDeclaration;
}

export interface PackedDefinition<D extends Decl, P extends Params> {
  readonly name: string;
  readonly params?: P;
  /** Every state variable with its finite domain: bool(), oneOf(...), int(min, max), perKey, list, records. */
  readonly layout: D | ((params: P) => D);
  /** The initial state(s), as plain values of the layout's shape. */
  readonly init: (params: P) => ValueOf<D> | readonly ValueOf<D>[];
  /** Called once per params with the layout's slots (`v.rmState.r1`): the actions and properties. */
  readonly define: (v: Slots<D>, params: P) => PackedBehaviour<P>;
  /** As in spec(): interchangeable values for --symmetry. */
  readonly symmetry?: (params: P) => readonly (readonly string[])[];
  readonly expect?: Expectation;
  /** As in spec(): which actions must happen when they can, for the liveness properties `define` returns. */
  readonly fairness?: FairnessDeclaration;
}

/** An action instance of a packed spec: called as fn(s, arg, params). */
export type PackedInstance = ActionInstance;

/** What the packed search (src/explore/packed-space.ts) runs: everything on words. */
export interface PackedSystem {
  readonly layout: Layout;
  /** The initial states, `layout.words` words each. */
  readonly initial: Int32Array;
  readonly instances: readonly PackedInstance[];
  readonly invariants: readonly { readonly name: string; readonly check: (s: PackedState) => PropertyResult }[];
  readonly sometimes: readonly { readonly name: string; readonly check: (s: PackedState) => PropertyResult }[];
  readonly actionProperties: readonly { readonly name: string; readonly check: (s: PackedState, action: string, next: PackedState) => PropertyResult }[];
  readonly constraint?: (s: PackedState) => boolean;
  readonly done?: (s: PackedState) => boolean;
  /** Runs every action on one state (see expand.ts). */
  readonly expand: Expander;
}

/** A compiled packed spec: the system over plain values, with its words system attached (read by explore). */
export interface PackedTransitionSystem extends TransitionSystem<unknown> {
  readonly packed: PackedSystem;
}

/** What packed() returns: a spec whose compiled system carries its packed part. */
export interface PackedSpec<P extends Params = Params> extends Spec<P> {
  compile(params: P): PackedTransitionSystem;
}

export { forEach };

export function packed<const D extends Decl, P extends Params = Record<string, never>>(def: PackedDefinition<D, P>): PackedSpec<P> {
  if (typeof def !== 'object' || def === null) throw new SpecError('packed() needs a definition object');
  checkKeys(def, PACKED_KEYS, typeof def.name === 'string' && def.name !== '' ? `packed spec "${def.name}"` : 'packed()');
  if (typeof def.name !== 'string' || def.name === '') throw new SpecError('packed() needs a name (a non-empty string)');
  for (const k of ['init', 'define'] as const) {
    if (typeof def[k] !== 'function') throw new SpecError(`packed spec "${def.name}": ${k} must be a function of the params`);
  }
  if (def.layout === undefined) throw new SpecError(`packed spec "${def.name}": layout is missing`);
  // The key lists accept these at the top level; there they would be silently ignored.
  const topLevel = LIVENESS_KINDS.find((k) => (def as unknown as Record<string, unknown>)[k] !== undefined);
  if (topLevel !== undefined) {
    throw new SpecError(`packed spec "${def.name}": ${topLevel} belongs in what define returns (its predicates read the state through the slots v)`, { handler: topLevel });
  }
  let described: ReturnType<Spec['describe']> | undefined;
  const spec: PackedSpec<P> = brandSpec({
    name: def.name,
    kind: 'core' as const,
    params: (def.params ?? {}) as P,
    expect: def.expect,
    describe: () => (described ??= describe(spec.compile(spec.params))),
    compile: (params: P) => compilePacked(def, params),
  });
  return spec;
}

function describe(system: TransitionSystem<unknown>) {
  return {
    actions: system.actions.map((a) => a.name),
    invariants: system.invariants.map((p) => p.name),
    actionProperties: system.actionProperties.map((p) => p.name),
    sometimes: system.sometimes.map((p) => p.name),
    liveness: (system.liveness ?? []).map((p) => p.name),
  };
}

function compilePacked<D extends Decl, P extends Params>(def: PackedDefinition<D, P>, params: P): PackedTransitionSystem {
  const user = <T>(what: string, handler: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw userCodeError(e, what, { handler });
    }
  };
  const decl = typeof def.layout === 'function' ? user('layout', 'layout', () => (def.layout as (p: P) => D)(params)) : def.layout;
  const layout = compileLayout(decl);
  const W = layout.words;
  const behaviour = user('define', 'define', () => def.define(layout.tree as Slots<D>, params));
  if (typeof behaviour !== 'object' || behaviour === null || typeof behaviour.actions !== 'object' || behaviour.actions === null) {
    throw new SpecError(`packed spec "${def.name}": define must return { actions, invariants?, ... }`, { handler: 'define' });
  }
  checkKeys(behaviour, PACKED_BEHAVIOUR_KEYS, `packed spec "${def.name}": what define returns`, { handler: 'define' });
  if (def.fairness !== undefined && behaviour.fairness !== undefined) {
    throw new SpecError(`packed spec "${def.name}": fairness is given twice (in the definition and in what define returns); keep one`, { handler: 'fairness' });
  }

  // A plain packed action is (s) => …, so every instance is called as fn(s, arg, params).
  const { actions, instances } = actionInstances(def.name, behaviour.actions, params);
  const named = <F>(group: Readonly<Record<string, F>> | undefined, kind: string) =>
    Object.entries(group ?? {}).map(([name, check]) => {
      if (typeof check !== 'function') throw new SpecError(`packed spec "${def.name}": ${kind}.${name} must be a function`, { handler: name });
      return { name, check };
    });

  const inits = user('init', 'init', () => def.init(params));
  const initList = (Array.isArray(inits) ? inits : [inits]) as unknown[];
  if (initList.length === 0) throw new SpecError('init returned no initial state', { handler: 'init' });
  const initial = new Int32Array(initList.length * W);
  initList.forEach((s, i) => encodeInto(layout, s, initial, i * W, 'init'));

  const fast: PackedSystem = {
    layout,
    initial,
    instances,
    invariants: named(behaviour.invariants, 'invariants'),
    sometimes: named(behaviour.sometimes, 'sometimes'),
    actionProperties: named(behaviour.actionProperties, 'actionProperties'),
    constraint: behaviour.constraint,
    done: behaviour.done,
    expand: compileExpander(instances, params, W),
  };

  // The same system over plain values, for everything that is not the packed BFS:
  // DFS, simulation, trace rebuilding, replay, symmetry. Its fingerprint is the
  // packed one, so traces rebuilt here match the packed search's visited set.
  const view = () => new PackedState(new Int32Array(W), false);
  const load = (s: PackedState, value: unknown): PackedState => {
    s.words.fill(0);
    encodeInto(layout, value, s.words, 0, 'state');
    return s;
  };
  const reader = view();
  const other = view();
  const draft = new PackedState(new Int32Array(W), true);
  const parent = new Int32Array(W);
  const onValue = <R>(f: (s: PackedState) => R) => (value: unknown) => f(load(reader, value));
  return {
    name: def.name,
    params,
    actions,
    packed: fast,
    initialStates: () => initList.map((_, i) => decode(layout, initial, i * W)),
    successors(state, emit) {
      parent.set(load(reader, state).words);
      fast.expand(parent, 0, draft, (j) => {
        emit(decode(layout, draft.words, 0), instances[j]!.info, instances[j]!.label);
        return true;
      });
    },
    fingerprintInto(state, out) {
      hashWords(load(reader, state).words, 0, W, out);
    },
    invariants: fast.invariants.map(({ name, check }) => ({ name, check: onValue(check) })),
    sometimes: fast.sometimes.map(({ name, check }) => ({ name, check: onValue(check) })),
    actionProperties: fast.actionProperties.map(({ name, check }) => ({
      name,
      check: (s: unknown, label: string, next: unknown) => {
        load(reader, s);
        return check(reader, label, load(other, next));
      },
    })),
    constraint: fast.constraint && onValue(fast.constraint),
    done: fast.done && onValue(fast.done),
    symmetry: def.symmetry?.(params),
    expect: def.expect,
    // Liveness is decided by the BFS over plain values (the packed search records no graph).
    liveness: livenessProperties<unknown, PackedState, P>(
      `packed spec "${def.name}"`,
      behaviour,
      (f) => onValue((s) => f(s, params)),
      [...fast.invariants, ...fast.sometimes, ...fast.actionProperties].map((p) => p.name),
    ),
    fairness: coreFairness(
      `packed spec "${def.name}"`,
      def.fairness ?? behaviour.fairness,
      actions.map((a) => a.name),
      instances.map((i) => i.label),
    ),
  };
}
