// The world state of a protocol: one immutable value per reachable configuration.
//
// Plain frozen objects and arrays, built so that a successor shares everything it
// did not change with its parent: a delivery copies the world record, the nodes
// record, the one node it touched and the (short) in-flight array; the untouched
// nodes, their local states, timers, the interned message envelopes and the ghost
// history are the very same objects, whose fingerprints are memoised — so hashing
// a successor costs about what changed. (Immutable.js collections are welcome in
// user states; the world itself does not need them.)
import type { InFlight } from './network.js';

/** A node's status: exactly one of these at any time. (Part of the protocol API: define.ts re-exports it.) */
export type NodeStatus = 'up' | 'paused' | 'crashed';

/** One node: status, volatile and durable state, armed timers, clock. */
export interface NodeRec {
  readonly status: NodeStatus;
  /** Volatile state; null while crashed. */
  readonly state: unknown;
  /** Roles that declare `durable` only. */
  readonly durable?: unknown;
  /** Roles with timers only: name → deadline (real time) in timed mode, true in async mode. */
  readonly timers?: Readonly<Record<string, number | true>>;
  /** Timed mode, roles with a clock: time-of-day clock = real time + clockOffset. */
  readonly clockOffset?: number;
  /** Timed mode, roles with a clock: real time of the last (re)start; monotonic() = time − startedAt. */
  readonly startedAt?: number;
}

/** Both sides of a partition, each sorted in node order (the side with the first node first). */
export type Partition = readonly [readonly string[], readonly string[]];

export interface World {
  /** Timed mode only: real time. */
  readonly time?: number;
  /** Node id → node, in node order. */
  readonly nodes: Readonly<Record<string, NodeRec>>;
  /** Messages in flight, one entry per copy, in canonical order (network.ts). */
  readonly inFlight: InFlight;
  /** Ghost history: key → observed values, oldest first. Never erased by a fault. */
  readonly observed: Readonly<Record<string, readonly unknown[]>>;
  /** Faults used so far, for the faults whose budget is not 0 (absent when all budgets are 0). */
  readonly faults?: Readonly<Record<string, number>>;
  /** The partition in force, or null (absent when the partition budget is 0). */
  readonly partition?: Partition | null;
}

/** Which optional fields a role's nodes carry (bit set). */
export const HAS_DURABLE = 1;
export const HAS_TIMERS = 2;
export const HAS_CLOCK = 4;

export type Timers = Readonly<Record<string, number | true>>;

/**
 * A node record with exactly the fields of its role's shape (one object literal
 * per shape, so that nodes of a role share one hidden class).
 */
export function makeNode(
  shape: number,
  status: NodeStatus,
  state: unknown,
  durable: unknown,
  timers: Timers | undefined,
  clockOffset: number,
  startedAt: number,
): NodeRec {
  switch (shape) {
    case 0:
      return { status, state };
    case HAS_DURABLE:
      return { status, state, durable };
    case HAS_TIMERS:
      return { status, state, timers };
    case HAS_DURABLE | HAS_TIMERS:
      return { status, state, durable, timers };
    case HAS_CLOCK:
      return { status, state, clockOffset, startedAt };
    case HAS_CLOCK | HAS_DURABLE:
      return { status, state, durable, clockOffset, startedAt };
    case HAS_CLOCK | HAS_TIMERS:
      return { status, state, timers, clockOffset, startedAt };
    default:
      return { status, state, durable, timers, clockOffset, startedAt };
  }
}

/** Which optional fields worlds carry (bit set), fixed per compiled protocol. */
export const WORLD_TIME = 1;
export const WORLD_FAULTS = 2;
export const WORLD_PARTITION = 4;

/** A world with exactly the fields of its shape (one object literal per shape). */
export function makeWorld(
  shape: number,
  time: number,
  nodes: Readonly<Record<string, NodeRec>>,
  inFlight: InFlight,
  observed: Readonly<Record<string, readonly unknown[]>>,
  faults: Readonly<Record<string, number>> | undefined,
  partition: Partition | null | undefined,
): World {
  switch (shape) {
    case 0:
      return { nodes, inFlight, observed };
    case WORLD_TIME:
      return { time, nodes, inFlight, observed };
    case WORLD_FAULTS:
      return { nodes, inFlight, observed, faults };
    case WORLD_TIME | WORLD_FAULTS:
      return { time, nodes, inFlight, observed, faults };
    case WORLD_FAULTS | WORLD_PARTITION:
      return { nodes, inFlight, observed, faults, partition };
    default:
      return { time, nodes, inFlight, observed, faults, partition };
  }
}

/** A nodes record with node i's record replaced (the others shared). */
export type WithNode = (nodes: Readonly<Record<string, NodeRec>>, i: number, rec: NodeRec) => Readonly<Record<string, NodeRec>>;

/**
 * Code for these node ids compiled by `compile` (given the literal of an id), or
 * `generic` where it cannot be: an object literal with a '__proto__' key would set the
 * prototype, and code generation may be disallowed.
 */
function compiledFor<T>(ids: readonly string[], generic: T, compile: (key: (id: string) => string) => T): T {
  if (ids.includes('__proto__')) return generic;
  try {
    return compile((id) => JSON.stringify(id));
  } catch {
    return generic;
  }
}

/**
 * `withNode` for these node ids, compiled to one object literal per node: about
 * twenty times faster than `{ ...nodes, [id]: rec }`, and every copy shares a hidden
 * class. Falls back to the spread where code generation is disallowed.
 */
export function nodeReplacer(ids: readonly string[]): WithNode {
  const spread: WithNode = (nodes, i, rec) => ({ ...nodes, [ids[i]!]: rec });
  return compiledFor(ids, spread, (key) => {
    const cases = ids.map((_, i) => `case ${i}: return { ${ids.map((id, j) => `${key(id)}: ${j === i ? 'rec' : `nodes[${key(id)}]`}`).join(', ')} };`);
    return new Function('nodes', 'i', 'rec', `switch (i) {\n${cases.join('\n')}\n}`) as WithNode;
  });
}

/** Copies a nodes record's records into `into`, in node order. */
export type NodeReader = (nodes: Readonly<Record<string, NodeRec>>, into: NodeRec[]) => void;
/** A nodes record of these records, in node order. */
export type NodesMaker = (recs: readonly NodeRec[]) => Record<string, NodeRec>;

/**
 * A NodeReader and a NodesMaker for these node ids, compiled to named property loads
 * and one object literal (the one nodeReplacer's copies share a hidden class with).
 * The codec's loop of `nodes[ids[i]]` was a keyed load by a different name each time,
 * and decode's keyed stores built the record property by property: protocol-bench on
 * one thread took 27.41 G instructions before, 24.87 G after (cachegrind), and
 * paxos.fixed rounds=2 drop=1 spent 2.81 s in encode before, 1.77 s after (--cpu-prof).
 */
export function nodeAccess(ids: readonly string[]): { read: NodeReader; make: NodesMaker } {
  const generic = {
    read: ((nodes, into) => {
      for (let i = 0; i < ids.length; i++) into[i] = nodes[ids[i]!]!;
    }) as NodeReader,
    // Own properties even for '__proto__' (an assignment would set the prototype).
    make: ((recs) => Object.fromEntries(ids.map((id, i) => [id, recs[i]!]))) as NodesMaker,
  };
  return compiledFor(ids, generic, (key) => ({
    read: new Function('nodes', 'into', ids.map((id, i) => `into[${i}] = nodes[${key(id)}];`).join('\n')) as NodeReader,
    make: new Function('recs', `return { ${ids.map((id, i) => `${key(id)}: recs[${i}]`).join(', ')} };`) as NodesMaker,
  }));
}

export const EMPTY_TIMERS: Timers = Object.freeze({});
export const EMPTY_OBSERVED: Readonly<Record<string, readonly unknown[]>> = Object.freeze({});

export type { InFlight };
