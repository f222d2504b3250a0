// The reference's world: exactly the contents docs/protocol.md ("The world state")
// lists, kept as plain objects that are copied, never changed in place.
import { canon } from './canon.js';
import type { Setup } from './setup.js';

export type Status = 'up' | 'paused' | 'crashed';

export interface RNode {
  status: Status;
  /** Volatile state; null while crashed. */
  state: unknown;
  durable: unknown;
  /** Armed timers: deadline (timed mode) or true (async mode). */
  timers: Record<string, number | true>;
  /** Time-of-day offset (timed mode, clock roles). */
  offset: number;
  /** Real time of the last (re)start: monotonic() = time - startedAt. */
  startedAt: number;
}

export interface Copy {
  from: string;
  to: string;
  msg: { type: string; [k: string]: unknown };
  /** maxDelay mode: the real time by which it must be delivered, or null once a delay fault exempted it (as the raw world shows it). */
  deliverBy?: number | null;
}

export interface RWorld {
  time: number;
  nodes: Record<string, RNode>;
  /** Unordered: any order (a multiset). FIFO: oldest first within each channel. */
  inFlight: Copy[];
  observed: Record<string, unknown[]>;
  faults: Record<string, number>;
  /** The side holding the first node, or null. */
  partition: string[] | null;
}

/** In-flight copies in a canonical order: unordered networks by value; FIFO by channel, oldest first. */
export function canonicalInFlight(copies: readonly Copy[], fifo: boolean): Copy[] {
  const keyed = copies.map((c, i) => ({ c, i, channel: `${c.from}\u0000${c.to}`, k: canon(c) }));
  keyed.sort((a, b) => (fifo ? (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.i - b.i) : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.c);
}

/** The world as docs/protocol.md's "The world state" shows it (what w.raw and traces show). */
export function documented(setup: Setup, w: RWorld): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const n of setup.nodes) {
    const x = w.nodes[n.id]!;
    const out: Record<string, unknown> = { status: x.status, state: x.status === 'crashed' ? null : x.state };
    if (n.def.durable) out.durable = x.durable;
    if (n.def.timers) out.timers = x.timers;
    if (setup.timed && n.def.clock) Object.assign(out, { clockOffset: x.offset, startedAt: x.startedAt });
    nodes[n.id] = out;
  }
  const doc: Record<string, unknown> = {
    nodes,
    inFlight: canonicalInFlight(w.inFlight, setup.fifo),
    observed: w.observed,
    faults: w.faults,
  };
  if (setup.timed) doc.time = w.time;
  if (setup.budgets.partition > 0) doc.partition = w.partition ? [w.partition, partitionOther(setup, w.partition)] : null;
  return doc;
}

export function partitionOther(setup: Setup, side: readonly string[]): string[] {
  return setup.nodes.map((n) => n.id).filter((id) => !side.includes(id));
}

/** The reference's state key: two worlds are the same state iff their documented contents are equal. */
export function worldKey(setup: Setup, w: RWorld): string {
  let key = keys.get(w);
  if (key === undefined) keys.set(w, (key = canon(documented(setup, w))));
  return key;
}
// worlds are never changed once built, so a world's key can be kept
const keys = new WeakMap<RWorld, string>();

/** Whether a partition in force separates a and b. */
export function cut(w: RWorld, a: string, b: string): boolean {
  return w.partition !== null && w.partition.includes(a) !== w.partition.includes(b);
}
