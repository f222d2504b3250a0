// The world view that properties get, from docs/protocol.md ("Properties and the world view").
import { canon } from './canon.js';
import type { Setup } from './setup.js';
import { documented, partitionOther, type Copy, type RWorld } from './world.js';

export function worldView(setup: Setup, w: RWorld): Record<string, unknown> {
  const nodeView = (id: string) => {
    const n = setup.byId.get(id);
    if (!n) throw new Error(`unknown node ${id}`);
    const x = w.nodes[id]!;
    const v: Record<string, unknown> = {
      id,
      role: n.role,
      index: n.index,
      status: x.status,
      state: x.status === 'crashed' ? null : x.state,
      durable: x.durable,
      timers: x.timers,
    };
    if (setup.timed && n.def.clock) v.clock = { offset: x.offset, now: w.time + x.offset, monotonic: w.time - x.startedAt };
    return v;
  };
  const ids = (role?: string) => (role === undefined ? setup.nodes.map((n) => n.id) : (setup.roleNodes.get(role) ?? []));
  const entry = (c: Copy) => (c.deliverBy === undefined ? { from: c.from, to: c.to, msg: c.msg } : { from: c.from, to: c.to, msg: c.msg, deliverBy: c.deliverBy });
  const faultsUsed = Object.values(w.faults).reduce((a, b) => a + b, 0);
  return {
    nodes: (role?: string) => ids(role).map(nodeView),
    live: (role?: string) => ids(role).filter((id) => w.nodes[id]!.status !== 'crashed').map(nodeView),
    node: nodeView,
    status: (id: string) => {
      if (!w.nodes[id]) throw new Error(`unknown node ${id}`);
      return w.nodes[id]!.status;
    },
    inFlight: (filter?: unknown, route?: { from?: string; to?: string }) =>
      w.inFlight
        .filter((c) => {
          if (route?.from !== undefined && c.from !== route.from) return false;
          if (route?.to !== undefined && c.to !== route.to) return false;
          if (typeof filter === 'function') return filter(entry(c));
          if (filter && typeof filter === 'object') {
            return Object.entries(filter).every(([k, v]) => canon(c.msg[k]) === canon(v));
          }
          return true;
        })
        .map(entry),
    observed: (key: string) => w.observed[key] ?? [],
    params: setup.params,
    time: setup.timed ? w.time : 0,
    faults: w.faults,
    faultsUsed,
    partition: w.partition ? [w.partition, partitionOther(setup, w.partition)] : null,
    raw: documented(setup, w),
  };
}
