// A reference semantics for protocol(), written from docs/protocol.md and the
// design brief's "The protocol model" only — no code shared with src/protocol; it
// only reads the user's definition (spec.definition) and calls the user's handlers
// with a context object of its own (handlers.ts). Slow and plain on purpose.
//
// This file: the transition relation, read off the two tables of "Actions and
// faults" and the sections on the network, crashes, partitions and timed mode.
// Every successor is { label, action, world, fault }; worlds are copied, never changed.
//
// Covered: deliver, fire, step (a step that changes nothing is not enabled),
// restart (recover or init, timers disarmed, monotonic from 0), resume, heal, tick
// (prompt local steps, due timers, maxDelay deadlines); drop, duplicate, crash (of
// an up or a paused node), pause, partition (every bipartition or the listed
// candidates; copies across the cut lost, sends across it lost), delay, clockJump;
// budgets, maxInFlight and constraint (checked, not expanded), maxTime, maxSkew
// (one initial world per offset combination), maxJump, maxDelay, FIFO channels
// (oldest first; drop anywhere; a duplicate right behind its original), durable vs
// volatile state, crash-recover vs crash-stop, choose (each option a successor),
// observe, the world view (view.ts), invariants, action properties, sometimes.
// Not covered: symmetry reduction, deadlock and done, spec errors and bad input,
// nondeterminism detection, the handler memo (it simply calls every handler),
// liveness, DFS/simulate/workers, and how a chosen value prints in a label
// (compared without it). Where the documentation leaves a choice open, this file
// says which one it makes (clockJump offsets; deliverBy of a delayed copy in
// world.ts; a deadline that expired while its receiver was down).
import { canon } from './canon.js';
import { runHandler, ReferenceSpecError, type Outcome } from './handlers.js';
import type { Setup } from './setup.js';
import { cut, worldKey, type Copy, type RNode, type RWorld } from './world.js';

export interface Successor {
  label: string;
  /** The coverage name ("Coverage"): `deliver Granted@client`, `restart@client`, `tick`, a fault's name. */
  action: string;
  world: RWorld;
  fault: boolean;
}

// ---------- labels ("Trace labels") ----------

export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${k}:${formatValue(o[k])}`).join(',')}}`;
  }
  return String(v);
}

export function messageLabel(c: Copy): string {
  const { type, ...fields } = c.msg;
  const keys = Object.keys(fields).sort();
  const body = keys.length === 0 ? '' : `{${keys.map((k) => `${k}:${formatValue(fields[k])}`).join(',')}}`;
  const by = c.deliverBy === undefined ? '' : c.deliverBy === null ? ' (delayed)' : ` (by t=${c.deliverBy})`;
  return `${type}${body} ${c.from}→${c.to}${by}`;
}

const chooseSuffix = (o: Outcome) => (o.chosen.length === 0 ? '' : ` (choose: ${o.chosen.map(formatValue).join(', ')})`);

// ---------- small world edits ----------

function withNode(w: RWorld, id: string, node: RNode): RWorld {
  return { ...w, nodes: { ...w.nodes, [id]: node } };
}

function useFault(w: RWorld, f: string): RWorld {
  return { ...w, faults: { ...w.faults, [f]: w.faults[f]! + 1 } };
}

function budgetLeft(setup: Setup, w: RWorld, f: keyof Setup['budgets']): boolean {
  return setup.budgets[f] > 0 && w.faults[f]! < setup.budgets[f];
}

/** The world after a handler of node `id` ran with outcome `o`, its new volatile state `state`. */
function apply(w: RWorld, id: string, node: RNode, state: unknown, o: Outcome): RWorld {
  const observed = { ...w.observed };
  for (const [k, v] of o.observed) observed[k] = [...(observed[k] ?? []), v];
  return {
    ...withNode(w, id, { ...node, state, durable: o.durable, timers: o.timers }),
    inFlight: [...w.inFlight, ...o.sent],
    observed,
  };
}

function mustBeState(setup: Setup, id: string, what: string, v: unknown): unknown {
  if (v === undefined || typeof v === 'function' || (typeof v === 'number' && !Number.isFinite(v))) {
    throw new ReferenceSpecError(`${setup.name}: ${id} ${what} returned ${String(v)}, not a state`);
  }
  return v;
}

// ---------- initial worlds ----------

export function initialWorlds(setup: Setup): RWorld[] {
  const faults = Object.fromEntries(Object.entries(setup.budgets).filter(([, b]) => b > 0).map(([f]) => [f, 0]));
  let worlds: RWorld[] = [{ time: 0, nodes: {}, inFlight: [], observed: {}, faults, partition: null }];
  for (const n of setup.nodes) {
    const offsets = setup.timed && n.def.clock ? range(-setup.maxSkew, setup.maxSkew) : [0];
    const next: RWorld[] = [];
    for (const w of worlds) {
      for (const offset of offsets) {
        let durable: unknown = undefined;
        if (n.def.durable) {
          const ds = runHandler(setup, w, n.id, 'durable', (ctx) => n.def.durable!(ctx), { timers: {}, durable: undefined, startedAt: 0, offset });
          durable = ds[0]!.durable === undefined ? ds[0]!.result : ds[0]!.durable;
        }
        const node: RNode = { status: 'up', state: null, durable, timers: {}, offset, startedAt: 0 };
        for (const o of runHandler(setup, w, n.id, 'init', (ctx) => n.def.init(ctx), { timers: {}, durable, startedAt: 0, offset })) {
          next.push(apply(w, n.id, node, mustBeState(setup, n.id, 'init', o.result), o));
        }
      }
    }
    worlds = next;
  }
  return worlds;
}

function range(lo: number, hi: number): number[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

// ---------- ordinary actions ----------

/** Copies that may be delivered next: all of them, or with FIFO the oldest of each channel. */
function deliverable(setup: Setup, w: RWorld): Copy[] {
  if (!setup.fifo) return distinctCopies(w); // equal copies: delivering either gives the same world
  const seen = new Set<string>();
  return w.inFlight.filter((c) => {
    const ch = `${c.from}\u0000${c.to}`;
    if (seen.has(ch)) return false;
    seen.add(ch);
    return true;
  });
}

function without(list: readonly Copy[], c: Copy): Copy[] {
  const i = list.indexOf(c);
  return [...list.slice(0, i), ...list.slice(i + 1)];
}

function deliverSuccessors(setup: Setup, w: RWorld): Successor[] {
  const out: Successor[] = [];
  for (const c of deliverable(setup, w)) {
    const node = w.nodes[c.to]!;
    if (node.status !== 'up') continue;
    const def = setup.byId.get(c.to)!.def;
    const rest = { ...w, inFlight: without(w.inFlight, c) };
    for (const o of runHandler(setup, rest, c.to, `on.${c.msg.type}`, (ctx) => def.on![c.msg.type]!(node.state, c.msg, ctx), {
      from: c.from,
      timers: node.timers,
      durable: node.durable,
      startedAt: node.startedAt,
      offset: node.offset,
    })) {
      out.push({ label: `deliver ${messageLabel(c)}${chooseSuffix(o)}`, action: `deliver ${c.msg.type}@${setup.byId.get(c.to)!.role}`, world: apply(rest, c.to, node, mustBeState(setup, c.to, `on.${c.msg.type}`, o.result), o), fault: false });
    }
  }
  return out;
}

function due(setup: Setup, w: RWorld, deadline: number | true): boolean {
  return !setup.timed || (deadline as number) <= w.time;
}

function fireSuccessors(setup: Setup, w: RWorld): Successor[] {
  const out: Successor[] = [];
  for (const n of setup.nodes) {
    const node = w.nodes[n.id]!;
    if (node.status !== 'up') continue;
    for (const [name, deadline] of Object.entries(node.timers)) {
      if (!due(setup, w, deadline)) continue;
      const timers = { ...node.timers };
      delete timers[name]; // disarmed before its handler runs
      for (const o of runHandler(setup, w, n.id, `timers.${name}`, (ctx) => n.def.timers![name]!(node.state, ctx), {
        timers,
        durable: node.durable,
        startedAt: node.startedAt,
        offset: node.offset,
      })) {
        out.push({ label: `fire ${n.id}.${name}${chooseSuffix(o)}`, action: `fire ${name}@${n.role}`, world: apply(w, n.id, node, mustBeState(setup, n.id, `timers.${name}`, o.result), o), fault: false });
      }
    }
  }
  return out;
}

/** Steps of node `id` that return a state and change the world. */
function stepSuccessorsOf(setup: Setup, w: RWorld, id: string): Successor[] {
  const n = setup.byId.get(id)!;
  const node = w.nodes[id]!;
  if (node.status !== 'up' || !n.def.steps) return [];
  const before = worldKey(setup, w);
  const out: Successor[] = [];
  for (const [name, step] of Object.entries(n.def.steps)) {
    for (const o of runHandler(setup, w, id, `steps.${name}`, (ctx) => step(node.state, ctx), {
      timers: node.timers,
      durable: node.durable,
      startedAt: node.startedAt,
      offset: node.offset,
    })) {
      if (o.result === undefined) continue;
      const after = apply(w, id, node, mustBeState(setup, id, `steps.${name}`, o.result), o);
      if (worldKey(setup, after) === before) continue; // no effect: not enabled
      out.push({ label: `step ${id}.${name}${chooseSuffix(o)}`, action: `step ${name}@${n.role}`, world: after, fault: false });
    }
  }
  return out;
}

function restartSuccessors(setup: Setup, w: RWorld): Successor[] {
  if (!setup.crashRecover) return [];
  const out: Successor[] = [];
  for (const n of setup.nodes) {
    const node = w.nodes[n.id]!;
    if (node.status !== 'crashed') continue;
    const fresh: RNode = { ...node, status: 'up', timers: {}, startedAt: w.time };
    const call = n.def.recover ? (ctx: unknown) => n.def.recover!(node.durable, ctx) : (ctx: unknown) => n.def.init(ctx);
    for (const o of runHandler(setup, w, n.id, n.def.recover ? 'recover' : 'init', call, {
      timers: {},
      durable: node.durable,
      startedAt: w.time,
      offset: node.offset,
    })) {
      out.push({ label: `restart ${n.id}${chooseSuffix(o)}`, action: `restart@${n.role}`, world: apply(w, n.id, fresh, mustBeState(setup, n.id, 'recover', o.result), o), fault: false });
    }
  }
  return out;
}

/**
 * maxDelay: a copy that must be delivered (or dropped) before time may pass. A copy
 * to a paused or crashed node is not bound; it keeps its deadline, so once the node
 * is up again an expired deadline holds time until the copy goes (the docs say only
 * "not bound (until it is up again)"; faultline agrees on every cross-checked space).
 */
function holdsTime(setup: Setup, w: RWorld, c: Copy): boolean {
  return (
    setup.maxDelay !== undefined &&
    typeof c.deliverBy === 'number' &&
    c.deliverBy <= w.time &&
    w.nodes[c.to]!.status === 'up' &&
    !cut(w, c.from, c.to)
  );
}

/** `steps`: the world's enabled steps (of up nodes). */
function tickEnabled(setup: Setup, w: RWorld, steps: readonly Successor[]): boolean {
  if (!setup.timed || w.time >= setup.maxTime || steps.length > 0) return false;
  for (const n of setup.nodes) {
    const node = w.nodes[n.id]!;
    if (node.status === 'up' && Object.values(node.timers).some((d) => due(setup, w, d))) return false;
  }
  return !w.inFlight.some((c) => holdsTime(setup, w, c));
}

// ---------- faults ----------

/** One successor per distinct copy (equal copies are one choice), or per position with FIFO. */
function distinctCopies(w: RWorld): Copy[] {
  const seen = new Set<string>();
  return w.inFlight.filter((c) => {
    const k = canon(c);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function faultSuccessors(setup: Setup, w: RWorld): Successor[] {
  const out: Successor[] = [];
  const copies = setup.fifo ? w.inFlight : distinctCopies(w);
  if (budgetLeft(setup, w, 'drop')) {
    for (const c of copies) out.push({ action: 'drop', label: `drop ${messageLabel(c)}`, world: { ...useFault(w, 'drop'), inFlight: without(w.inFlight, c) }, fault: true });
  }
  if (budgetLeft(setup, w, 'duplicate')) {
    for (const c of copies) {
      const i = w.inFlight.indexOf(c);
      // FIFO: the copy arrives right behind its original
      const inFlight = [...w.inFlight.slice(0, i + 1), { ...c }, ...w.inFlight.slice(i + 1)];
      out.push({ action: 'duplicate', label: `duplicate ${messageLabel(c)}`, world: { ...useFault(w, 'duplicate'), inFlight }, fault: true });
    }
  }
  if (budgetLeft(setup, w, 'delay') && setup.timed && setup.maxDelay !== undefined) {
    for (const c of copies) {
      if (c.deliverBy === null) continue; // exempt already
      const inFlight = w.inFlight.map((x) => (x === c ? { ...c, deliverBy: null } : x));
      out.push({ action: 'delay', label: `delay ${messageLabel(c)}`, world: { ...useFault(w, 'delay'), inFlight }, fault: true });
    }
  }
  for (const n of setup.nodes) {
    const node = w.nodes[n.id]!;
    if (budgetLeft(setup, w, 'crash') && node.status !== 'crashed') {
      const crashed: RNode = { ...node, status: 'crashed', state: null, timers: {} };
      out.push({ action: 'crash', label: `crash ${n.id}`, world: withNode(useFault(w, 'crash'), n.id, crashed), fault: true });
    }
    if (budgetLeft(setup, w, 'pause') && setup.timed && node.status === 'up') {
      out.push({ action: 'pause', label: `pause ${n.id}`, world: withNode(useFault(w, 'pause'), n.id, { ...node, status: 'paused' }), fault: true });
    }
    if (budgetLeft(setup, w, 'clockJump') && setup.timed && n.def.clock) {
      // "set to any value in -maxJump..maxJump": a jump moves the clock, so the offset
      // it already has is not offered (faultline agrees; the docs could say "any other").
      // Any node of a clock role, whatever its status (the table's "a node with a clock").
      for (const offset of range(-setup.maxJump, setup.maxJump)) {
        if (offset === node.offset) continue;
        out.push({ action: 'clockJump', label: `clockJump ${n.id} offset=${offset}`, world: withNode(useFault(w, 'clockJump'), n.id, { ...node, offset }), fault: true });
      }
    }
  }
  if (budgetLeft(setup, w, 'partition') && w.partition === null) {
    for (const side of setup.partitions) {
      const other = setup.nodes.map((n) => n.id).filter((id) => !side.includes(id));
      const split: RWorld = { ...useFault(w, 'partition'), partition: side };
      split.inFlight = w.inFlight.filter((c) => !cut(split, c.from, c.to)); // in flight across the cut: lost
      out.push({ action: 'partition', label: `partition ${side.join(',')} | ${other.join(',')}`, world: split, fault: true });
    }
  }
  return out;
}

/** Every successor of a world: ordinary actions, then faults. */
export function successors(setup: Setup, w: RWorld): Successor[] {
  const out = [...deliverSuccessors(setup, w), ...fireSuccessors(setup, w)];
  const steps = setup.nodes.flatMap((n) => stepSuccessorsOf(setup, w, n.id));
  out.push(...steps);
  out.push(...restartSuccessors(setup, w));
  for (const n of setup.nodes) {
    if (w.nodes[n.id]!.status === 'paused') out.push({ label: `resume ${n.id}`, action: 'resume', world: withNode(w, n.id, { ...w.nodes[n.id]!, status: 'up' }), fault: false });
  }
  if (w.partition !== null) out.push({ label: 'heal', action: 'heal', world: { ...w, partition: null }, fault: false });
  if (tickEnabled(setup, w, steps)) out.push({ label: `tick (t=${w.time + 1})`, action: 'tick', world: { ...w, time: w.time + 1 }, fault: false });
  out.push(...faultSuccessors(setup, w));
  // FIFO: equal copies at different places may give the same label and world; count each once
  const seen = new Set<string>();
  return out.filter((s) => {
    if (!setup.fifo) return true;
    const k = `${s.label}\u0000${worldKey(setup, s.world)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
