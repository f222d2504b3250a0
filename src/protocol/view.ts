// The read-only view of a world that properties (invariants, action properties,
// sometimes, constraint, done) receive: its implementation. The types users see
// (WorldView, NodeView, ...) are declared in define.ts, beside the definition that
// hands them to properties.
import type { Params } from '../core/types.js';
import { equalValues } from '../values/compare.js';
import type { InFlightMessage, LiveNodeView, NodeStatus, NodeView, WorldView } from './define.js';
import { FAULT_NAMES, type FaultName } from './faults.js';
import type { Envelope } from './network.js';
import type { NodeRt } from './roles.js';
import type { NodeRec, Partition, World } from './world.js';

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
