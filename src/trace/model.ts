// What a trace means, step by step, for the renderers (terminal steps, sequence
// chart, Mermaid, HTML): the kind of each action, the node that acted, the message
// it concerns, the messages it sent or lost, the time, the faults used so far, and
// the life of every message copy (sent at one step, delivered, dropped or lost at
// another). A protocol trace is recognised by its world states; any other trace
// (a core spec's) gets kind 'action' for every step and no messages.
import type { TraceStep } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import { formatMessage } from '../protocol/labels.js';
import { kindOf } from '../values/kinds.js';

/**
 * The tag of a step: `deliver` a message, fire a `timer`, an internal `step`,
 * `recover` (restart, resume, heal), a `fault` (the design's fault table),
 * `tick` (time passes), `init` (step 0), `action` (a core spec's action).
 */
export type StepKind = 'init' | 'deliver' | 'timer' | 'step' | 'recover' | 'fault' | 'tick' | 'action';

/** A message between two nodes: `Granted{until:2}` from lock to client1. */
export interface MsgRef {
  /** The message with its fields, as in labels: `Granted{until:2}`. */
  readonly text: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  /** Its identity, as in labels: `Granted{until:2} lock→client1`, plus ` (by t=5)` / ` (delayed)` in maxDelay mode. */
  readonly key: string;
  /** The key without the maxDelay deadline. */
  readonly base: string;
}

export interface StepInfo {
  readonly index: number;
  readonly label: string | null;
  readonly kind: StepKind;
  /** The first word of the label (`deliver`, `fire`, `crash`, `tick`, …), or the core action's name. */
  readonly verb: string;
  /** The node that acted, if one did (the receiver of a delivery). */
  readonly actor?: string;
  /** The label without its verb and actor: the timer or step name, the message, the partition. */
  readonly detail: string;
  /** The message delivered, dropped, duplicated or delayed. */
  readonly msg?: MsgRef;
  /** Timed mode: real time after the step. */
  readonly time?: number;
  /** Faults used so far (after the step), if the spec counts them. */
  readonly faults?: number;
  /** Message copies this step put in flight (ids into TraceModel.messages). */
  readonly sent: readonly number[];
  /** Message copies this step took out of flight without delivering them (drop, partition). */
  readonly lost: readonly number[];
  /** The copy delivered by this step. */
  readonly delivered?: number;
  /** The spec's note()s for this step. */
  readonly notes: readonly string[];
}

/** One copy of a message, from the step that sent it to the step that ended it. */
export interface MessageLife {
  readonly id: number;
  /** The copy (its deadline changes when it is `delay`ed). */
  msg: MsgRef;
  /** The copy as it was sent. */
  readonly sentAs: MsgRef;
  /** The step that put it in flight (0: the initial state). */
  readonly sentAt: number;
  /** The step that delivered, dropped or lost it; undefined while still in flight at the end. */
  endAt?: number;
  end: 'delivered' | 'dropped' | 'lost' | 'in-flight';
  /** A copy made by the `duplicate` fault: the id of the copy it was made from. */
  readonly duplicateOf?: number;
}

export interface TraceModel {
  /** Whether the states are protocol worlds. */
  readonly protocol: boolean;
  /** Timed mode (protocol traces only). */
  readonly timed: boolean;
  /** Node ids in node order (protocol traces only). */
  readonly nodes: readonly string[];
  readonly steps: readonly StepInfo[];
  readonly messages: readonly MessageLife[];
  /** Faults used by the whole trace, if the spec counts them. */
  readonly faults?: number;
}

/** The world fields the renderers rely on (see protocol/world.ts). */
export interface WorldLike {
  /** Timed mode only. */
  readonly time?: number;
  readonly nodes: Readonly<Record<string, NodeLike>>;
  readonly inFlight: readonly EnvelopeLike[];
  readonly observed: Readonly<Record<string, readonly unknown[]>>;
  /** Absent when every fault budget is 0. */
  readonly faults?: Readonly<Record<string, number>>;
  /** Absent when the partition budget is 0. */
  readonly partition?: readonly [readonly string[], readonly string[]] | null;
}

export interface NodeLike {
  readonly status: string;
  readonly state: unknown;
  readonly durable?: unknown;
  readonly timers?: Readonly<Record<string, number | true>>;
  readonly clockOffset?: number;
  readonly startedAt?: number;
}

export interface EnvelopeLike {
  readonly from: string;
  readonly to: string;
  readonly msg: { readonly type: string };
  readonly deliverBy?: number | null;
}

const WORLD_KEYS = new Set(['faults', 'inFlight', 'nodes', 'observed', 'partition', 'time']);

/** Whether a state is a protocol world (also as decoded from ITF). */
export function isWorld(s: unknown): s is WorldLike {
  if (typeof s !== 'object' || s === null || kindOf(s) !== 'record') return false;
  const proto = Object.getPrototypeOf(s);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = s as Record<string, unknown>;
  return (
    Object.keys(o).every((k) => WORLD_KEYS.has(k)) &&
    (o.time === undefined || typeof o.time === 'number') &&
    Array.isArray(o.inFlight) &&
    kindOf(o.nodes) === 'record' &&
    kindOf(o.observed) === 'record' &&
    (o.faults === undefined || kindOf(o.faults) === 'record')
  );
}

/** `Granted{until:2}` — a message with its fields (keys sorted), as in trace labels. */
export function messageText(msg: { readonly type: string }): string {
  try {
    return formatMessage(msg);
  } catch {
    return String(msg.type);
  }
}

export function msgRef(env: EnvelopeLike): MsgRef {
  const text = messageText(env.msg);
  const base = `${text} ${env.from}→${env.to}`;
  const by = env.deliverBy === undefined ? '' : env.deliverBy === null ? ' (delayed)' : ` (by t=${env.deliverBy})`;
  return { text, type: String(env.msg.type), from: env.from, to: env.to, key: base + by, base };
}

/** The in-flight copies of a world, by identity key. */
function countKeys(w: WorldLike): Map<string, { ref: MsgRef; n: number }> {
  const out = new Map<string, { ref: MsgRef; n: number }>();
  for (const env of w.inFlight) {
    const ref = msgRef(env);
    const e = out.get(ref.key);
    if (e) e.n++;
    else out.set(ref.key, { ref, n: 1 });
  }
  return out;
}

/** Total faults used in a world. */
export function worldFaults(w: WorldLike): number {
  let n = 0;
  const f = w.faults;
  if (f !== undefined) for (const k in f) n += f[k]!;
  return n;
}

const FAULT_VERBS = new Set(['drop', 'duplicate', 'crash', 'pause', 'partition', 'delay', 'clockJump']);
const RECOVER_VERBS = new Set(['restart', 'resume', 'heal']);

/** Splits a protocol label into verb, actor, detail and message. */
function parseLabel(label: string, nodes: readonly string[], prev: WorldLike): { kind: StepKind; verb: string; actor?: string; detail: string; msgKey?: string } {
  const sp = label.indexOf(' ');
  const verb = sp < 0 ? label : label.slice(0, sp);
  const rest = sp < 0 ? '' : label.slice(sp + 1);
  const kind: StepKind =
    verb === 'deliver'
      ? 'deliver'
      : verb === 'fire'
        ? 'timer'
        : verb === 'step'
          ? 'step'
          : verb === 'tick'
            ? 'tick'
            : FAULT_VERBS.has(verb)
              ? 'fault'
              : RECOVER_VERBS.has(verb)
                ? 'recover'
                : 'action';
  switch (verb) {
    case 'deliver':
    case 'drop':
    case 'duplicate':
    case 'delay': {
      // The message is one of those in flight before the step: the longest key that starts the rest.
      let best: MsgRef | undefined;
      for (const env of prev.inFlight) {
        const ref = msgRef(env);
        if (rest.startsWith(ref.key) && (best === undefined || ref.key.length > best.key.length)) best = ref;
      }
      if (best) return { kind, verb, actor: verb === 'deliver' ? best.to : undefined, detail: rest, msgKey: best.key };
      return { kind, verb, detail: rest };
    }
    case 'fire':
    case 'step': {
      // `fire client1.retry`, `step client1.write (choose: 2)`
      for (const id of [...nodes].sort((a, b) => b.length - a.length)) {
        if (rest.startsWith(id + '.')) return { kind, verb, actor: id, detail: rest.slice(id.length + 1) };
      }
      return { kind, verb, detail: rest };
    }
    case 'crash':
    case 'pause':
    case 'resume':
    case 'restart':
    case 'clockJump': {
      const id = rest.split(' ')[0]!;
      const tail = rest.slice(id.length + 1);
      return nodes.includes(id) ? { kind, verb, actor: id, detail: tail } : { kind, verb, detail: rest };
    }
    default:
      return { kind, verb, detail: rest };
  }
}

export interface ModelOptions {
  /** The compiled spec: its node order, notes() and faultsUsed(). */
  readonly system?: TransitionSystem<unknown>;
  /** Whether to call the system's notes() for each step (default true). */
  readonly notes?: boolean;
}

/** Analyses a trace (initial state first, action null) for rendering. */
export function traceModel(trace: readonly TraceStep[], options: ModelOptions = {}): TraceModel {
  const system = options.system;
  const protocol = trace.length > 0 && trace.every((s) => isWorld(s.state));
  const faultsOf = (s: unknown): number | undefined => {
    if (protocol) return worldFaults(s as WorldLike);
    if (system?.faultsUsed) {
      try {
        return system.faultsUsed(s);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
  const notesOf = (i: number): string[] => {
    if (i === 0 || options.notes === false || system?.notes === undefined) return [];
    const label = trace[i]!.action;
    if (label === null) return [];
    try {
      return [...system.notes(trace[i - 1]!.state, label, trace[i]!.state)];
    } catch {
      return [];
    }
  };

  if (!protocol) {
    const steps: StepInfo[] = trace.map((s, i) => ({
      index: i,
      label: s.action,
      kind: i === 0 ? 'init' : 'action',
      verb: i === 0 ? 'init' : (s.action ?? '?'),
      detail: '',
      faults: faultsOf(s.state),
      sent: [],
      lost: [],
      notes: notesOf(i),
    }));
    return { protocol: false, timed: false, nodes: [], steps, messages: [], faults: trace.length ? faultsOf(trace[trace.length - 1]!.state) : undefined };
  }

  const worlds = trace.map((s) => s.state as WorldLike);
  const sysIds = (system as { nodeIds?: readonly string[] } | undefined)?.nodeIds;
  const nodes = sysIds && sysIds.every((id) => id in worlds[0]!.nodes) ? [...sysIds] : Object.keys(worlds[0]!.nodes);
  const sysTimed = (system as { timed?: unknown } | undefined)?.timed;
  const timed =
    typeof sysTimed === 'boolean'
      ? sysTimed
      : worlds.some((w) => w.time !== undefined);

  const messages: MessageLife[] = [];
  // Copies in flight, per identity key, oldest first.
  const live = new Map<string, MessageLife[]>();
  const send = (ref: MsgRef, at: number, duplicateOf?: number): number => {
    const life: MessageLife = { id: messages.length, msg: ref, sentAs: ref, sentAt: duplicateOf === undefined ? at : messages[duplicateOf]!.sentAt, end: 'in-flight', duplicateOf };
    messages.push(life);
    const q = live.get(ref.key);
    if (q) q.push(life);
    else live.set(ref.key, [life]);
    return life.id;
  };
  const end = (key: string, at: number, how: MessageLife['end']): number | undefined => {
    const q = live.get(key);
    const life = q?.shift();
    if (!life) return undefined;
    life.endAt = at;
    life.end = how;
    return life.id;
  };

  const steps: StepInfo[] = [];
  const init0: number[] = [];
  for (const env of worlds[0]!.inFlight) init0.push(send(msgRef(env), 0));
  steps.push({ index: 0, label: null, kind: 'init', verb: 'init', detail: '', time: timed ? (worlds[0]!.time ?? 0) : undefined, faults: worldFaults(worlds[0]!), sent: init0, lost: [], notes: [] });

  for (let i = 1; i < trace.length; i++) {
    const prev = worlds[i - 1]!;
    const next = worlds[i]!;
    const label = trace[i]!.action ?? '?';
    const p = parseLabel(label, nodes, prev);
    // Multiset difference of the in-flight messages, by identity.
    const before = countKeys(prev);
    const after = countKeys(next);
    const removed = new Map<string, number>();
    const added: { ref: MsgRef; n: number }[] = [];
    for (const [k, e] of before) {
      const d = e.n - (after.get(k)?.n ?? 0);
      if (d > 0) removed.set(k, d);
    }
    for (const [k, e] of after) {
      const d = e.n - (before.get(k)?.n ?? 0);
      if (d > 0) added.push({ ref: e.ref, n: d });
    }
    let delivered: number | undefined;
    const lost: number[] = [];
    const sent: number[] = [];
    const take = (k: string): boolean => {
      const n = removed.get(k) ?? 0;
      if (n === 0) return false;
      if (n === 1) removed.delete(k);
      else removed.set(k, n - 1);
      return true;
    };
    if (p.msgKey !== undefined && (p.verb === 'deliver' || p.verb === 'drop') && take(p.msgKey)) {
      const id = end(p.msgKey, i, p.verb === 'deliver' ? 'delivered' : 'dropped');
      if (p.verb === 'deliver') delivered = id;
      else if (id !== undefined) lost.push(id);
    }
    if (p.msgKey !== undefined && p.verb === 'delay' && take(p.msgKey)) {
      // The same copy, now exempt from maxDelay: it keeps its life under its new key.
      const life = live.get(p.msgKey)?.shift();
      const base = life?.msg.base;
      const a = added.find((x) => x.ref.base === base && x.n > 0);
      if (life && a) {
        a.n--;
        life.msg = a.ref;
        const q = live.get(a.ref.key);
        if (q) q.push(life);
        else live.set(a.ref.key, [life]);
      } else if (life) live.get(p.msgKey)!.unshift(life);
    }
    if (p.msgKey !== undefined && p.verb === 'duplicate') {
      const a = added.find((x) => x.ref.key === p.msgKey);
      if (a) {
        a.n--;
        const original = live.get(p.msgKey)?.[0];
        sent.push(send(a.ref, i, original?.id));
      }
    }
    for (const [k, n] of removed) {
      for (let j = 0; j < n; j++) {
        const id = end(k, i, 'lost');
        if (id !== undefined) lost.push(id);
      }
    }
    for (const a of added) for (let j = 0; j < a.n; j++) sent.push(send(a.ref, i));
    steps.push({
      index: i,
      label: trace[i]!.action,
      kind: p.kind,
      verb: p.verb,
      actor: p.actor,
      detail: p.detail,
      msg: p.msgKey !== undefined ? msgRefByKey(prev, p.msgKey) : undefined,
      time: timed ? (next.time ?? 0) : undefined,
      faults: worldFaults(next),
      sent,
      lost,
      delivered,
      notes: notesOf(i),
    });
  }
  return { protocol: true, timed, nodes, steps, messages, faults: worldFaults(worlds[worlds.length - 1]!) };
}

function msgRefByKey(w: WorldLike, key: string): MsgRef | undefined {
  for (const env of w.inFlight) {
    const ref = msgRef(env);
    if (ref.key === key) return ref;
  }
  return undefined;
}

/** `1 fault`, `3 faults` */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
