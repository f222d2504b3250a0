// The state the page shows, as JSON: for a protocol world, one card per node (role,
// status, volatile and durable state, timers, clocks), the messages in flight, the
// partition, time, fault budgets left and ghost observations; for a core spec, its
// state's fields. Values are rendered here, with the project's one formatter, so the
// page shows exactly what the terminal trace shows; `changed` marks what the last
// step changed (the page highlights it, and marks it with a ✱ for readers without colour).
import { diffValues } from '../values/diff.js';
import { formatValue } from '../values/format.js';
import { kindOf, recordEntries } from '../values/kinds.js';
import { msgRef, type NodeLike, type WorldLike } from '../trace/model.js';

export interface FieldView {
  readonly name: string;
  readonly value: string;
  readonly changed: boolean;
}

export interface NodeView {
  readonly id: string;
  readonly role?: string;
  readonly status: string;
  /** Null while crashed (volatile state lost). */
  readonly state: FieldView[] | null;
  readonly durable?: FieldView[];
  readonly timers?: { readonly name: string; readonly due?: number; readonly changed: boolean }[];
  /** Timed mode, roles with a clock: time-of-day = time + offset; monotonic = time since start. */
  readonly clock?: { readonly offset: number; readonly timeOfDay: number; readonly monotonic: number };
  readonly statusChanged: boolean;
}

export interface WorldView {
  readonly kind: 'protocol';
  readonly time?: number;
  readonly nodes: NodeView[];
  readonly inFlight: { readonly key: string; readonly from: string; readonly to: string; readonly copies: number; readonly changed: boolean }[];
  /** Absent when the spec allows no partition; null when none is in force. */
  readonly partition?: readonly [readonly string[], readonly string[]] | null;
  readonly budgets: { readonly fault: string; readonly budget: number; readonly used: number; readonly left: number }[];
  readonly observed: FieldView[];
}

export interface CoreView {
  readonly kind: 'core';
  readonly fields: FieldView[];
}

const MAX = 400;

/** A value's fields (a record's, sorted), or the value itself as one field. */
function fields(v: unknown, before: unknown, hasBefore: boolean): FieldView[] {
  if (kindOf(v) !== 'record') return [{ name: 'value', value: formatValue(v, { maxLength: MAX }), changed: hasBefore && diffValues(before, v).length > 0 }];
  const prev = hasBefore && kindOf(before) === 'record' ? (before as Record<string, unknown>) : undefined;
  return recordEntries(v as object)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, x]) => ({
      name,
      value: formatValue(x, { maxLength: MAX }),
      changed: hasBefore && (prev === undefined || !(name in prev) || diffValues(prev[name], x).length > 0),
    }));
}

function nodeView(id: string, n: NodeLike, p: NodeLike | undefined, role: string | undefined, time: number | undefined): NodeView {
  const had = p !== undefined;
  const timers = n.timers === undefined ? undefined : Object.keys(n.timers).sort().map((name) => {
    const due = n.timers![name]!;
    return { name, ...(typeof due === 'number' ? { due } : {}), changed: had && p!.timers?.[name] !== due };
  });
  return {
    id,
    ...(role !== undefined ? { role } : {}),
    status: n.status,
    statusChanged: had && p!.status !== n.status,
    state: n.state === null ? null : fields(n.state, p?.state, had && p!.state !== null),
    ...(n.durable !== undefined ? { durable: fields(n.durable, p?.durable, had) } : {}),
    ...(timers !== undefined ? { timers } : {}),
    ...(n.clockOffset !== undefined && time !== undefined
      ? { clock: { offset: n.clockOffset, timeOfDay: time + n.clockOffset, monotonic: time - (n.startedAt ?? 0) } }
      : {}),
  };
}

function countKeys(w: WorldLike): Map<string, { from: string; to: string; n: number }> {
  const out = new Map<string, { from: string; to: string; n: number }>();
  for (const env of w.inFlight) {
    const r = msgRef(env);
    const e = out.get(r.key);
    if (e) e.n++;
    else out.set(r.key, { from: r.from, to: r.to, n: 1 });
  }
  return out;
}

export interface WorldInfo {
  readonly nodeRoles?: Readonly<Record<string, string>>;
  readonly budgets?: Readonly<Record<string, number>>;
  readonly nodeIds?: readonly string[];
}

/** The world now, with what the step into it changed (`prev`: the world before it). */
export function worldView(w: WorldLike, prev: WorldLike | undefined, info: WorldInfo): WorldView {
  const ids = info.nodeIds ?? Object.keys(w.nodes);
  const before = prev ? countKeys(prev) : undefined;
  const inFlight = [...countKeys(w)].map(([key, e]) => ({ key, from: e.from, to: e.to, copies: e.n, changed: before !== undefined && (before.get(key)?.n ?? 0) < e.n }));
  const budgets = Object.entries(info.budgets ?? {})
    .filter(([, b]) => b > 0)
    .map(([fault, budget]) => {
      const used = w.faults?.[fault] ?? 0;
      return { fault, budget, used, left: budget - used };
    });
  return {
    kind: 'protocol',
    ...(w.time !== undefined ? { time: w.time } : {}),
    nodes: ids.filter((id) => w.nodes[id] !== undefined).map((id) => nodeView(id, w.nodes[id]!, prev?.nodes[id], info.nodeRoles?.[id], w.time)),
    inFlight,
    ...(w.partition !== undefined ? { partition: w.partition } : {}),
    budgets,
    observed: Object.keys(w.observed)
      .sort()
      .map((k) => ({ name: k, value: formatValue(w.observed[k], { maxLength: MAX }), changed: prev !== undefined && diffValues(prev.observed[k], w.observed[k]).length > 0 })),
  };
}

/** A core spec's state: its fields, what the last step changed marked. */
export function coreView(state: unknown, prev: unknown, hasPrev: boolean): CoreView {
  return { kind: 'core', fields: fields(state, prev, hasPrev) };
}
