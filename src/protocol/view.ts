// The read-only view of a world that properties (invariants, action properties,
// sometimes, constraint, done) receive: typed per role, with helpers for the
// common questions.
import type { Params } from '../core/types.js';
import { equalValues } from '../values/compare.js';
import type { DurableOf, Message, NodeStatus, StateOf } from './define.js';
import { FAULT_NAMES, type FaultName } from './faults.js';
import type { Envelope } from './network.js';
import type { NodeRt } from './roles.js';
import type { NodeRec, Partition, World } from './world.js';

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

const EMPTY: readonly never[] = Object.freeze([]);
const EMPTY_TIMERS: Readonly<Record<string, never>> = Object.freeze({});

/** What a view needs from the compiled protocol. */
export interface ViewRuntime {
  readonly params: Params;
  readonly nodes: readonly NodeRt[];
  readonly idIndex: ReadonlyMap<string, number>;
  readonly roleByName: ReadonlyMap<string, { readonly nodes: readonly number[] }>;
}

export class WorldViewImpl implements WorldView<any, any, any> {
  private all: NodeView[] | undefined;

  constructor(
    private readonly rt: ViewRuntime,
    readonly raw: World,
  ) {}

  get time(): number {
    return this.raw.time ?? 0;
  }

  get params(): Params {
    return this.rt.params;
  }

  private view(i: number): NodeView {
    if (this.all === undefined) this.all = new Array(this.rt.nodes.length);
    let v = this.all[i];
    if (v === undefined) {
      const n = this.rt.nodes[i]!;
      const rec: NodeRec = this.raw.nodes[n.id]!;
      const time = this.raw.time ?? 0;
      v = {
        id: n.id,
        role: n.role.name,
        index: n.index,
        status: rec.status,
        state: rec.state,
        durable: rec.durable,
        timers: rec.timers ?? EMPTY_TIMERS,
        clock:
          rec.clockOffset === undefined
            ? undefined
            : { offset: rec.clockOffset, now: time + rec.clockOffset, monotonic: time - (rec.startedAt ?? 0) },
      };
      this.all[i] = v;
    }
    return v;
  }

  private roleNodes(role: string): readonly number[] {
    const r = this.rt.roleByName.get(role);
    if (r === undefined) throw new Error(`unknown role ${JSON.stringify(role)}; the roles are ${[...this.rt.roleByName.keys()].join(', ')}`);
    return r.nodes;
  }

  nodes(role?: string): readonly NodeView<any, any>[] {
    if (role === undefined) return this.rt.nodes.map((n) => this.view(n.idx));
    return this.roleNodes(role).map((i) => this.view(i));
  }

  live(role: string): readonly LiveNodeView<any, any>[] {
    return this.nodes(role).filter((n) => n.status !== 'crashed') as LiveNodeView[];
  }

  node(id: string): NodeView<any, any> {
    const i = this.rt.idIndex.get(id);
    if (i === undefined) throw new Error(`unknown node ${JSON.stringify(id)}; the nodes are ${this.rt.nodes.map((n) => n.id).join(', ')}`);
    return this.view(i);
  }

  status(id: string): NodeStatus {
    return this.node(id).status;
  }

  inFlight(filter?: object, route?: { readonly from?: string; readonly to?: string }): readonly InFlightMessage<any>[] {
    const copies = this.raw.inFlight;
    if (copies.length === 0) return EMPTY;
    const keep = (env: Envelope): boolean => {
      if (route?.from !== undefined && env.from !== route.from) return false;
      if (route?.to !== undefined && env.to !== route.to) return false;
      if (filter === undefined) return true;
      if (typeof filter === 'function') return (filter as (m: InFlightMessage) => boolean)(env);
      const msg = env.msg as unknown as Record<string, unknown>;
      for (const k in filter) {
        const want = (filter as Record<string, unknown>)[k];
        const got = msg[k];
        if (got !== want && (typeof want !== 'object' || want === null || !(k in msg) || !equalValues(got, want))) return false;
      }
      return true;
    };
    return copies.filter(keep);
  }

  observed(key: string): readonly any[] {
    return this.raw.observed[key] ?? EMPTY;
  }

  get faults(): Readonly<Record<FaultName, number>> {
    const out = {} as Record<FaultName, number>;
    const used = this.raw.faults;
    for (const f of FAULT_NAMES) out[f] = used?.[f] ?? 0;
    return out;
  }

  get faultsUsed(): number {
    let n = 0;
    const used = this.raw.faults;
    if (used !== undefined) for (const k in used) n += used[k]!;
    return n;
  }

  get partition(): Partition | null {
    return this.raw.partition ?? null;
  }
}
