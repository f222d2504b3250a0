// Small random protocols for the cross-check: two or three roles of one or two
// nodes, two message types, a timer, a step, optional durable state, clocks and
// choose(), under one fault or a pair of faults (every single fault and every
// pair is dealt in turn, so pause+crash — a crash while paused — is among them).
// Handlers are plain table-driven functions of the seeded draws: deterministic.
import { FAULTS, type Fault } from './setup.js';

/** mulberry32: a small seeded PRNG (same seed, same protocols). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every fault alone, then every pair. */
export const FAULT_SETS: Fault[][] = [
  ...FAULTS.map((f) => [f]),
  ...FAULTS.flatMap((f, i) => FAULTS.slice(i + 1).map((g) => [f, g])),
];

type S = { readonly c: number; readonly f: boolean };
type M = { readonly type: string; readonly v: number };

export function randomProtocol(seed: number, faultSet: readonly Fault[]): Record<string, unknown> {
  const r = prng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const chance = (p: number) => r() < p;
  const needsTime = faultSet.some((f) => f === 'pause' || f === 'clockJump' || f === 'delay');
  const timed = needsTime || chance(0.4);
  const roleNames = chance(0.25) ? ['a', 'b', 'c'] : ['a', 'b'];
  const counts: Record<string, number> = Object.fromEntries(roleNames.map((x) => [x, 1]));
  if (roleNames.length === 2 && chance(0.4)) counts.b = 2;
  const types = ['Ping', 'Pong'];
  const mod = chance(0.7) ? 2 : 3;
  const timerDelay = int(2) + 1;
  const roles: Record<string, unknown> = {};
  for (const role of roleNames) {
    const target = roleNames[(roleNames.indexOf(role) + 1 + int(roleNames.length - 1)) % roleNames.length]!;
    const sendOn = types.map(() => int(3)); // per type: 0 no reply, 1 reply to sender, 2 send on to `target`
    const replyType = types.map(() => types[int(2)]!);
    const add = types.map(() => int(mod));
    const durable = chance(0.3);
    const clock = timed && (faultSet.includes('clockJump') || chance(0.5));
    const useChoose = chance(0.25);
    const observeOn = int(2); // the message type whose handler records a ghost observation
    const initSends = role === 'a';
    const hasTimer = chance(0.5);
    const hasStep = chance(0.6);
    const stepAt = int(mod);
    const to = (ctx: any) => (counts[target]! === 1 ? target : ctx.choose([`${target}1`, `${target}2`]));
    const def: Record<string, unknown> = {
      init: (ctx: any): S => {
        if (initSends) ctx.send(to(ctx), { type: types[int2(role, 0)]!, v: 0 });
        if (hasTimer) ctx.setTimer('t', timerDelay);
        const c = durable ? (ctx.durable as { d: number }).d : 0;
        return { c, f: false };
      },
      on: Object.fromEntries(
        types.map((type, k) => [
          type,
          (s: S, m: M, ctx: any): S => {
            let c = (s.c + m.v + add[k]!) % mod;
            if (useChoose && k === 0) c = (c + ctx.choose([0, 1])) % mod;
            if (sendOn[k] === 1) ctx.send(ctx.from, { type: replyType[k]!, v: c % 2 });
            if (sendOn[k] === 2 && c !== 0) ctx.send(to(ctx), { type: replyType[k]!, v: 1 });
            if (durable && c > (ctx.durable as { d: number }).d) ctx.persist({ d: c });
            if (k === observeOn && !s.f) ctx.observe('seen', { by: ctx.self, c, at: timed && clock ? ctx.now() : 0 });
            if (hasTimer && c === mod - 1) ctx.cancelTimer('t');
            return { c, f: s.f || k === observeOn };
          },
        ]),
      ),
    };
    if (durable) def.durable = () => ({ d: 0 });
    if (durable && chance(0.5)) def.recover = (d: { d: number }) => ({ c: d.d, f: true });
    if (clock) def.clock = true;
    if (hasTimer) {
      def.timers = {
        t: (s: S, ctx: any): S => {
          if (s.c === 0) ctx.send(to(ctx), { type: 'Ping', v: 1 });
          if (s.c === 1 && timed) ctx.setTimer('t', timerDelay);
          return { ...s, c: (s.c + 1) % mod };
        },
      };
    }
    if (hasStep) {
      def.steps = {
        go: (s: S, ctx: any): S | undefined => {
          if (s.c !== stepAt || s.f) return undefined;
          if (clock && ctx.monotonic() > 1) return undefined;
          return { ...s, f: true };
        },
      };
    }
    roles[role] = def;
  }
  // fixed per-role draws used inside handlers (handlers must not draw at run time)
  function int2(role: string, k: number) {
    return (role.charCodeAt(0) + k + seed) % 2;
  }
  const faults = Object.fromEntries(faultSet.map((f) => [f, 1]));
  if (chance(0.2)) faults[faultSet[0]!] = 2;
  const time = timed
    ? {
        mode: 'timed',
        maxTime: 2 + int(2) - (roleNames.length > 2 ? 1 : 0),
        ...(chance(0.3) ? { maxSkew: 1 } : {}),
        ...(faultSet.includes('clockJump') ? { maxJump: 1 } : {}),
        ...(faultSet.includes('delay') || chance(0.3) ? { maxDelay: int(2) } : {}),
      }
    : { mode: 'async' };
  const bound = 1 + int(3);
  const kind = int(3);
  const property = (w: any): boolean | string => {
    if (kind === 0) return w.observed('seen').length < bound || `${w.observed('seen').length} observations`;
    if (kind === 1) return w.nodes().filter((n: any) => n.state?.c === mod - 1).length < bound + 1;
    // violated only after a fault: every node away from c = 0 (a crashed node has no c)
    return w.faultsUsed === 0 || w.nodes().some((n: any) => n.state?.c === 0) || w.inFlight({ type: 'Pong' }).length >= bound;
  };
  const nodeIds = roleNames.flatMap((x) => (counts[x] === 1 ? [x] : [`${x}1`, `${x}2`]));
  return {
    name: `random-${seed}-${faultSet.join('+')}`,
    messages: {},
    nodes: counts,
    roles: () => roles,
    faults,
    time,
    network: { maxInFlight: 2, ...(chance(0.3) ? { fifo: true } : {}) },
    ...(chance(0.2) ? { recovery: 'crash-stop' } : {}),
    ...(faultSet.includes('partition') && chance(0.5) ? { partitions: [[nodeIds[0]!], [roleNames[1]!]] } : {}),
    invariants: { bounded: property },
    ...(chance(0.3) ? { actionProperties: { noLateCrash: (_b: any, a: string, after: any) => !(a.startsWith('crash') && after.time > 1) } } : {}),
    sometimes: { someoneSees: (w: any) => w.observed('seen').length > 0 },
  };
}
