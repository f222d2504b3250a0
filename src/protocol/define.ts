// The user-facing API of the protocol layer: what a spec author writes, and the
// types that make message names, message fields and role states checked by the
// TypeScript compiler. `protocol()` validates the definition and returns a Spec
// whose compile() builds the transition system (compile.ts).
import { SpecError } from '../core/errors.js';
import { PROTOCOL_KEYS, checkKeys } from '../core/definition-keys.js';
import type { Expectation, Params, PropertyResult, Spec } from '../core/types.js';
import type { FaultName } from './faults.js';
import type { NodeStatus, Partition, World } from './world.js';
import type { FairnessKind, LivenessDefinition } from '../core/liveness.js';
import { protocolFairnessKeys } from './fairness.js';
import type { HandlerResult, IsInferred, KnownKeys, StateLiteralContext } from '../core/definition-types.js';

export type { AnyValue, HandlerResult, KnownKeys, NotAKey, Primitive, StateLiteralContext } from '../core/definition-types.js';

/**
 * Message declarations: message type name → its fields (without `type`).
 * `{ Granted: { until: number }; Release: {} }`
 */
export type MessageMap = { readonly [type: string]: object };

/** A message value: `{ type: 'Granted', until: 4 }`. `Message<M>` is the union of all of them. */
export type Message<M, T extends keyof M = keyof M> = T extends keyof M & string
  ? { readonly type: T } & Readonly<M[T]>
  : never;

/** Ghost observation declarations: key → the type of one observed value. */
export type ObservationMap = { readonly [key: string]: unknown };

export type { NodeStatus };

/**
 * What a handler may do besides returning its new local state. One context object
 * is reused for every handler call: use it only during the call.
 */
export interface Context<M = MessageMap, P = Params, D = unknown, O = ObservationMap, T extends string = string> {
  /** This node's id (`client1`). */
  readonly self: string;
  /** This node's role (`client`). */
  readonly role: string;
  /** This node's 1-based index within its role. */
  readonly index: number;
  /** The spec's params, as fixed for this check. */
  readonly params: P;
  /** The node's durable state as of now (including persist() calls made by this handler). */
  readonly durable: D;
  /** Sends `msg` to node `to`. Lost if a partition separates the two nodes. */
  send(to: string, msg: Message<M>): void;
  /** Sends `msg` to every node of a role (or of a list of ids), except this node. */
  broadcast(to: string | readonly string[], msg: Message<M>): void;
  /**
   * Arms (or re-arms) timer `name`. In timed mode `delay` (ticks, an integer ≥ 0)
   * is required and the timer fires exactly when it is due (unless the node is
   * paused); in async mode the delay is ignored: the timer may fire at any time.
   */
  setTimer(name: T, delay?: number): void;
  /** Disarms timer `name` (no effect if it is not armed). */
  cancelTimer(name: T): void;
  /** Writes the node's durable state: the only state that survives a crash. */
  persist(durable: D): void;
  /** Timed mode, roles with `clock: true`: the time-of-day clock (real time + offset; skewed, may jump). */
  now(): number;
  /** Timed mode, roles with `clock: true`: ticks since this node (re)started; never jumps. */
  monotonic(): number;
  /** Ids of the other nodes of `role` (of every role if omitted), in node order. */
  peers(role?: string): readonly string[];
  /** Explicit nondeterminism: every option becomes its own successor (no option: no successor). */
  choose<X>(options: readonly X[]): X;
  /** Appends `value` to ghost history `key`: invariants read it, no crash erases it. */
  observe<K extends keyof O & string>(key: K, value: O[K]): void;
  /** A human-readable remark shown beside this step in traces. */
  note(text: string): void;
}

/** The context of a message handler: also says who sent the message. */
export interface MessageContext<M = MessageMap, P = Params, D = unknown, O = ObservationMap, T extends string = string>
  extends Context<M, P, D, O, T> {
  readonly from: string;
}

/**
 * The timer names a role's handlers may use: those of `timers`, or any name while the
 * role has an unknown key (a misspelt `timers` is then its one error, not also every
 * setTimer call).
 */
export type TimerNames<T extends string, K extends PropertyKey> = [Exclude<K, RoleKey>] extends [never] ? T : string;

/** The keys of a role definition. */
export type RoleKey = keyof RoleDefinition<unknown, unknown, string, unknown, unknown, unknown>;

/** One role: the state machine that every node of the role runs. */
export interface RoleDefinition<
  S,
  D,
  T extends string,
  M,
  P,
  O,
  C = never,
  KOn extends PropertyKey = never,
  /** The timer names the handlers may set (see TimerNames). */
  TSet extends string = T,
> {
  /** Whether nodes of this role have a clock (timed mode): now(), monotonic(), skew and clockJump. */
  readonly clock?: boolean;
  /** The initial durable state (stable storage), if the role has one. */
  readonly durable?: (ctx: Context<M, P, undefined, O, TSet>) => D;
  /** The initial volatile state: the role's state type is inferred from it alone. May send messages and set timers. */
  readonly init: (ctx: Context<M, P, NoInfer<D>, O, TSet>) => S;
  /** The volatile state after a restart (crash-recover); defaults to init. */
  readonly recover?: (durable: NoInfer<D>, ctx: Context<M, P, NoInfer<D>, O, TSet>) => HandlerResult<S, C>;
  /** One handler per message type the role receives. */
  readonly on?: { readonly [K in keyof M]?: (s: S, msg: Message<M, K>, ctx: MessageContext<M, P, NoInfer<D>, O, TSet>) => HandlerResult<S, C> } & KnownKeys<
    KOn,
    { readonly [K in keyof M]?: unknown },
    'a handler for no message type:',
    IsInferred<S>
  >;
  /** One handler per timer name. */
  readonly timers?: { readonly [K in T]: (s: S, ctx: Context<M, P, NoInfer<D>, O, TSet>) => HandlerResult<S, C> };
  /** Internal actions: return the new state, or undefined when the step is not enabled. */
  readonly steps?: { readonly [name: string]: (s: S, ctx: Context<M, P, NoInfer<D>, O, TSet>) => HandlerResult<S, C> | undefined };
}

declare const ROLE_TYPES: unique symbol;
/** A role as returned by `role()`: carries its state and durable types. */
export interface Role<S = unknown, D = unknown> {
  readonly [ROLE_TYPES]?: [S, D];
}

/** The `role` helper passed to `roles`: infers the role's state types. */
export type RoleFactory<M, P, O> = <
  S,
  D = undefined,
  T extends string = never,
  const C extends StateLiteralContext = never,
  KOn extends PropertyKey = never,
  K extends PropertyKey = never,
>(
  def: RoleDefinition<S, D, T, M, P, O, C, KOn, TimerNames<T, K>> & KnownKeys<K, RoleDefinition<S, D, string, M, P, O, C>, 'a role has no key', IsInferred<S>>,
) => Role<StateOfCall<S>, D>;

/**
 * A role whose role() call has a type error is typed with S = unknown (TypeScript
 * re-infers a failed call without its context-sensitive functions, init among them):
 * `any` then, so that the one error is not followed by one in every property that
 * reads the role's state.
 */
type StateOfCall<S> = unknown extends S ? any : S;

export type StateOf<X> = X extends Role<infer S, unknown> ? S : never;
export type DurableOf<X> = X extends Role<unknown, infer D> ? D : never;

// (not Role<any, any>: as a contextual return type that would infer D = any for roles without durable state)
export type Roles = { readonly [role: string]: object };

// ---------------------------------------------------------------- the world view
// What properties (invariants, action properties, sometimes, constraint, done)
// receive: typed per role. Implemented by view.ts.

export interface ClockView {
  /** Time-of-day offset from real time. */
  readonly offset: number;
  /** What now() returns on the node: real time + offset. */
  readonly now: number;
  /** What monotonic() returns on the node: real time since its last (re)start. */
  readonly monotonic: number;
}

export interface NodeView<S = unknown, D = unknown> {
  readonly id: string;
  readonly role: string;
  /** 1-based index within the role. */
  readonly index: number;
  readonly status: NodeStatus;
  /** Volatile state; null while crashed. */
  readonly state: S | null;
  /** Durable state (undefined when the role declares none). */
  readonly durable: D;
  /** Armed timers: name → deadline (timed mode) or true (async mode). */
  readonly timers: Readonly<Record<string, number | true>>;
  /** Timed mode, roles with a clock. */
  readonly clock: ClockView | undefined;
}

/** A node that is up or paused: it has a volatile state. */
export interface LiveNodeView<S = unknown, D = unknown> extends NodeView<S, D> {
  readonly status: 'up' | 'paused';
  readonly state: S;
}

/** One message copy in flight. */
export interface InFlightMessage<Msg = { readonly type: string }> {
  readonly from: string;
  readonly to: string;
  readonly msg: Msg;
  /** maxDelay mode: the last time it may still be in flight; null once delayed. */
  readonly deliverBy?: number | null;
}

type RoleName<R> = keyof R & string;
/** The role of node id `Id` (`client2` → `client`), or never. */
type RoleOfId<R, Id extends string> = { [K in RoleName<R>]: Id extends K | `${K}${number}` ? K : never }[RoleName<R>];
type NodeViewOf<R, Id extends string> = [RoleOfId<R, Id>] extends [never]
  ? NodeView
  : NodeView<StateOf<R[RoleOfId<R, Id>]>, DurableOf<R[RoleOfId<R, Id>]>>;
type AnyMessage<M> = [keyof M] extends [never] ? { readonly type: string } : Message<M>;

export interface WorldView<R = any, M = any, O = any, P = Params> {
  /** The spec's params, as fixed for this check. */
  readonly params: P;
  /** Real time (timed mode); 0 in async mode. */
  readonly time: number;
  /** Every node, in node order. */
  nodes(): readonly NodeView[];
  /** The nodes of a role, in order. */
  nodes<K extends RoleName<R>>(role: K): readonly NodeView<StateOf<R[K]>, DurableOf<R[K]>>[];
  /** The nodes of a role that are not crashed (their state is never null). */
  live<K extends RoleName<R>>(role: K): readonly LiveNodeView<StateOf<R[K]>, DurableOf<R[K]>>[];
  /** One node by id (`storage`, `client2`: typed by its role); throws for an unknown id. */
  node<Id extends string>(id: Id): NodeViewOf<R, Id>;
  status(id: string): NodeStatus;
  /**
   * The message copies in flight (two copies of a message appear twice), those
   * whose fields equal `filter`'s if given (`{ type: 'Write' }`), and whose
   * sender/receiver are `route`'s.
   */
  inFlight<T extends keyof M & string>(
    filter: { readonly type: T } & Partial<M[T]>,
    route?: { readonly from?: string; readonly to?: string },
  ): readonly InFlightMessage<Message<M, T>>[];
  inFlight(
    filter?: Partial<AnyMessage<M>> | ((m: InFlightMessage<AnyMessage<M>>) => boolean),
    route?: { readonly from?: string; readonly to?: string },
  ): readonly InFlightMessage<AnyMessage<M>>[];
  /** Ghost history `key`, oldest first (empty if never observed). */
  observed<K extends keyof O & string>(key: K): readonly O[K][];
  /** Faults used so far, per fault (0 for the unused ones). */
  readonly faults: Readonly<Record<FaultName, number>>;
  /** Total number of faults used. */
  readonly faultsUsed: number;
  /** The partition in force (both sides), or null. */
  readonly partition: Partition | null;
  /** The world value itself. */
  readonly raw: World;
}

/** A value, or a function of the params giving it. */
export type ParamFn<P, T> = T | ((params: P) => T);

export interface TimedOptions {
  readonly mode: 'timed';
  /** Real time runs 0..maxTime (inclusive). */
  readonly maxTime: number;
  /** Initial clock offsets of clock roles range over -maxSkew..maxSkew (default 0). */
  readonly maxSkew?: number;
  /** A clockJump sets an offset anywhere in -maxJump..maxJump (required with a clockJump budget). */
  readonly maxJump?: number;
  /** Synchronous network: a message to an up node must be delivered or dropped within maxDelay ticks. */
  readonly maxDelay?: number;
}
export type TimeOptions = { readonly mode: 'async' } | TimedOptions;

export interface NetworkOptions {
  /** Per-channel (sender, receiver) FIFO delivery. Default false: any order. */
  readonly fifo?: boolean;
  /** States with more messages in flight are checked but not expanded (a constraint). */
  readonly maxInFlight?: number;
}

export type FaultBudgets = { readonly [F in FaultName]?: number };

export interface ProtocolDefinition<P extends Params, M extends MessageMap, O extends ObservationMap, R extends Roles> {
  readonly name: string;
  /** Constants, overridable with `-p name=value`. */
  readonly params?: P;
  /** The message types: `messages<{ Granted: { until: number } }>()`. */
  readonly messages: M;
  /** The ghost observations' types: `observations<{ write: number }>()` (optional). */
  readonly observations?: O;
  /** The roles: `(role) => ({ client: role({ ... }), ... })`. */
  readonly roles: (role: RoleFactory<M, P, O>) => R;
  /**
   * How many nodes of each role (ids `client1`, `client2`, …; a role of one node
   * has the role's name as id), or an explicit list of ids. Default: one per role.
   */
  readonly nodes?: ParamFn<P, { readonly [K in keyof R]: number | readonly string[] }>;
  /** Fault budgets (0 or absent: the fault never happens); `--faults` overrides them. */
  readonly faults?: ParamFn<P, FaultBudgets>;
  /** Partition candidates: each lists one side (node ids or role names). Default: every bipartition. */
  readonly partitions?: ParamFn<P, readonly (readonly string[])[]>;
  readonly network?: ParamFn<P, NetworkOptions>;
  /** 'crash-recover' (default): a crashed node may restart. 'crash-stop': it never does. */
  readonly recovery?: 'crash-recover' | 'crash-stop';
  readonly time?: ParamFn<P, TimeOptions>;
  /** As TLC's CONSTRAINT: a state failing it is checked but not expanded. */
  readonly constraint?: (w: WorldView<R, M, O, P>) => boolean;
  /** A legitimate end state (not a deadlock). */
  readonly done?: (w: WorldView<R, M, O, P>) => boolean;
  readonly invariants?: { readonly [name: string]: (w: WorldView<R, M, O, P>) => PropertyResult };
  readonly actionProperties?: {
    readonly [name: string]: (before: WorldView<R, M, O, P>, action: string, after: WorldView<R, M, O, P>) => PropertyResult;
  };
  readonly sometimes?: { readonly [name: string]: (w: WorldView<R, M, O, P>) => PropertyResult };
  /** `<>P`: along every fair behaviour, P holds at some point (e.g. a leader is elected). */
  readonly eventually?: LivenessDefinition<WorldView<R, M, O, P>>['eventually'];
  /** `P ~> Q`: whenever P holds, Q holds then or later: `[P, Q]` or `{ from: P, to: Q }`. */
  readonly leadsTo?: LivenessDefinition<WorldView<R, M, O, P>>['leadsTo'];
  /** `[]<>P`: P holds again and again, forever. */
  readonly alwaysEventually?: LivenessDefinition<WorldView<R, M, O, P>>['alwaysEventually'];
  /** `<>[]P`: from some point on, P holds forever (the system stabilises). */
  readonly eventuallyAlways?: LivenessDefinition<WorldView<R, M, O, P>>['eventuallyAlways'];
  /**
   * Fairness of the ordinary actions, for the liveness properties. Default: each is
   * weakly fair per instance (every message to an up node is eventually delivered,
   * every armed timer fires, every enabled step happens, a paused node resumes, a
   * partition heals, a crashed node restarts, time advances); faults are never
   * fair. Override by kind (`{ restart: 'none' }`) or by action name as coverage
   * shows it (`{ 'fire election@candidate': 'strong' }`).
   */
  readonly fairness?: { readonly [kindOrAction: string]: FairnessKind };
  readonly expect?: Expectation;
  /**
   * Roles whose nodes are interchangeable: with `--symmetry`, worlds equal up to a
   * permutation of those nodes' ids count once. Only sound when no handler or
   * property treats one of them specially (by id or by ctx.index).
   */
  readonly symmetry?: readonly (keyof R & string)[];
}

/** The keys of a protocol definition. */
export type ProtocolKey = keyof ProtocolDefinition<Params, MessageMap, ObservationMap, Roles>;

/** A protocol spec: a Spec that remembers its definition's types. */
export interface ProtocolSpec<P extends Params = Params, M extends MessageMap = MessageMap, O extends ObservationMap = ObservationMap, R extends Roles = Roles>
  extends Spec<P> {
  readonly kind: 'protocol';
  readonly definition: ProtocolDefinition<P, M, O, R>;
}

/** Declares the message types: `messages: messages<{ Ping: { n: number } }>()`. Types only. */
export function messages<M extends MessageMap>(): M {
  return {} as M;
}

/** Declares the ghost observations' types: `observations: observations<{ write: number }>()`. */
export function observations<O extends ObservationMap>(): O {
  return {} as O;
}

/** Checks the shape of a definition (types cannot catch everything: specs may be plain JS). */
export function validateDefinition(def: ProtocolDefinition<Params, MessageMap, ObservationMap, Roles>): void {
  if (typeof def !== 'object' || def === null) throw new SpecError('protocol() needs a definition object');
  checkKeys(def, PROTOCOL_KEYS, typeof def.name === 'string' && def.name !== '' ? `protocol "${def.name}"` : 'protocol()');
  if (typeof def.name !== 'string' || def.name === '') throw new SpecError('protocol() needs a name (a non-empty string)');
  const where = `protocol "${def.name}"`;
  if (typeof def.roles !== 'function') {
    throw new SpecError(`${where}: roles must be a function (role) => ({ name: role({...}), ... })`);
  }
  if (def.recovery !== undefined && def.recovery !== 'crash-recover' && def.recovery !== 'crash-stop') {
    throw new SpecError(`${where}: recovery must be 'crash-recover' or 'crash-stop', not ${JSON.stringify(def.recovery)}`);
  }
  for (const group of ['invariants', 'actionProperties', 'sometimes'] as const) {
    const g = def[group];
    if (g === undefined) continue;
    if (typeof g !== 'object' || g === null) throw new SpecError(`${where}: ${group} must be an object of named functions`);
    for (const [name, f] of Object.entries(g)) {
      if (typeof f !== 'function') throw new SpecError(`${where}: ${group}.${name} must be a function`, { handler: name });
    }
  }
  if (def.fairness !== undefined && (typeof def.fairness !== 'object' || def.fairness === null || Array.isArray(def.fairness))) {
    throw new SpecError(`${where}: fairness must be an object such as { restart: 'none' } (kinds: ${protocolFairnessKeys.join(', ')})`, { handler: 'fairness' });
  }
  for (const hook of ['constraint', 'done'] as const) {
    if (def[hook] !== undefined && typeof def[hook] !== 'function') {
      throw new SpecError(`${where}: ${hook} must be a function of the world view`, { handler: hook });
    }
  }
}
