// Calls one user handler with a context object built from docs/protocol.md
// ("The handler context") and collects its effects. ctx.choose is explored by
// re-running the handler once per sequence of choices (each option its own outcome).
import { deepFreeze } from './canon.js';
import type { Setup } from './setup.js';
import type { Copy, RWorld } from './world.js';
import { cut } from './world.js';

export interface Outcome {
  /** What the handler returned (undefined from a step: not enabled). */
  result: unknown;
  durable: unknown;
  timers: Record<string, number | true>;
  /** Sent copies that survived the partition in force. */
  sent: Copy[];
  observed: [string, unknown][];
  /** The options chosen, in order (for the label). */
  chosen: unknown[];
}

export class ReferenceSpecError extends Error {}

const NO_OPTION = Symbol('no option');

/**
 * Runs `call(ctx)` for node `id` of world `w`, once per sequence of ctx.choose
 * answers. `timers` is the node's timer table before the call (a fire has already
 * disarmed its timer), `startedAt` the start time that monotonic() counts from.
 */
export function runHandler(
  setup: Setup,
  w: RWorld,
  id: string,
  what: string,
  call: (ctx: Record<string, unknown>) => unknown,
  opts: { from?: string; timers: Record<string, number | true>; durable: unknown; startedAt: number; offset: number },
): Outcome[] {
  const node = setup.byId.get(id)!;
  const outcomes: Outcome[] = [];
  const pending: number[][] = [[]];
  while (pending.length > 0) {
    const script = pending.pop()!;
    let made = 0;
    const chosen: unknown[] = [];
    let durable = opts.durable;
    const timers = { ...opts.timers };
    const sent: Copy[] = [];
    const observed: [string, unknown][] = [];
    const fail = (msg: string): never => {
      throw new ReferenceSpecError(`${setup.name}: ${id} (${node.role}) ${what}: ${msg}`);
    };
    const resolve = (to: string): string => {
      if (setup.byId.has(to)) return to;
      const ofRole = setup.roleNodes.get(to);
      if (ofRole && ofRole.length === 1) return ofRole[0]!;
      return fail(`send to unknown node ${to}`);
    };
    const send = (toName: string, msg: Copy['msg']) => {
      const to = resolve(toName);
      if (!setup.byId.get(to)!.def.on?.[msg.type]) fail(`${to} has no handler for ${msg.type}`);
      if (cut(w, id, to)) return; // lost: the partition separates them
      const copy: Copy = { from: id, to, msg: deepFreeze(msg) };
      if (setup.maxDelay !== undefined) copy.deliverBy = w.time + setup.maxDelay;
      sent.push(copy);
    };
    const needClock = () => {
      if (!setup.timed || !node.def.clock) fail('reads a clock without timed mode and clock: true');
    };
    const ctx: Record<string, unknown> = {
      self: id,
      role: node.role,
      index: node.index,
      params: setup.params,
      from: opts.from,
      get durable() {
        return durable;
      },
      send,
      broadcast(to: string | readonly string[], msg: Copy['msg']) {
        const targets = typeof to === 'string' ? (setup.roleNodes.get(to) ?? fail(`broadcast to unknown role ${to}`)) : to;
        for (const t of targets) if (t !== id) send(t, msg);
      },
      setTimer(name: string, delay?: number) {
        if (!node.def.timers?.[name]) fail(`setTimer of unknown timer ${name}`);
        if (setup.timed) {
          if (typeof delay !== 'number') fail('setTimer without a delay in timed mode');
          timers[name] = w.time + delay!;
        } else timers[name] = true;
      },
      cancelTimer(name: string) {
        if (!node.def.timers?.[name]) fail(`cancelTimer of unknown timer ${name}`);
        delete timers[name];
      },
      persist(d: unknown) {
        if (!node.def.durable) fail('persist() without durable state');
        durable = deepFreeze(d);
      },
      now() {
        needClock();
        return w.time + opts.offset;
      },
      monotonic() {
        needClock();
        return w.time - opts.startedAt;
      },
      peers(role?: string) {
        const ids = role === undefined ? setup.nodes.map((n) => n.id) : (setup.roleNodes.get(role) ?? []);
        return ids.filter((x) => x !== id);
      },
      choose(options: readonly unknown[]) {
        const k = made++;
        if (options.length === 0) throw NO_OPTION;
        if (k === script.length) {
          // first time at this choice: explore the other options later
          for (let i = options.length - 1; i >= 1; i--) pending.push([...script, i]);
          script.push(0);
        }
        chosen.push(options[script[k]!]);
        return options[script[k]!];
      },
      observe(key: string, value: unknown) {
        observed.push([key, deepFreeze(value)]);
      },
      note() {},
    };
    let result: unknown;
    try {
      result = call(ctx);
    } catch (e) {
      if (e === NO_OPTION) continue;
      throw e;
    }
    outcomes.push({ result: deepFreeze(result), durable, timers, sent, observed, chosen });
  }
  return outcomes;
}
