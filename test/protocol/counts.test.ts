// Exact distinct-state counts for small protocols, each computed independently of
// the compiler: by hand (the reasoning is in the comments) or by a direct
// enumerator of the protocol's abstract state written here from the semantics.
import { describe, expect, test } from 'vitest';
import { messages, protocol } from '../../src/protocol/index.js';
import { explore } from './oracle.js';

describe('hand-counted', () => {
  // a sends one Ping to b at init; b counts pings. Drop budget 1, duplicate budget 1.
  const ping = protocol({
    name: 'ping-count',
    messages: messages<{ Ping: {} }>(),
    roles: (role) => ({
      a: role({
        init: (ctx) => {
          ctx.send('b', { type: 'Ping' });
          return {};
        },
      }),
      b: role({ init: () => 0, on: { Ping: (n) => n + 1 } }),
    }),
    faults: { drop: 1, duplicate: 1 },
  });

  test('one ping with drop 1 and duplicate 1: 8 states', () => {
    // A world is (copies in flight k, b's count c, drops used d, duplicates used u),
    // and every copy ever made is in flight, delivered or dropped: k + c + d = 1 + u.
    //   u = 0: (1,0,0) (0,1,0) (0,0,1)                              → 3
    //   u = 1: d = 0: (2,0) (1,1) (0,2); d = 1: (1,0) (0,1)          → 5
    // All reachable (duplicate first, then deliver/drop in any order): 8.
    const r = explore(ping);
    expect(r.distinct).toBe(8);
    // and 3 with no duplicate (u = 0 row), 2 with no fault at all
    expect(explore(ping, { faults: { duplicate: 0 } }).distinct).toBe(3);
    expect(explore(ping, { faults: { duplicate: 0, drop: 0 } }).distinct).toBe(2);
  });

  test('unordered vs FIFO: two messages on one channel', () => {
    const two = (fifo: boolean) =>
      protocol({
        name: 'two-msgs',
        messages: messages<{ M: { n: number } }>(),
        roles: (role) => ({
          a: role({
            init: (ctx) => {
              ctx.send('b', { type: 'M', n: 1 });
              ctx.send('b', { type: 'M', n: 2 });
              return {};
            },
          }),
          b: role({ init: () => [] as number[], on: { M: (got, m) => [...got, m.n] } }),
        }),
        network: { fifo },
      });
    // unordered: [] with both in flight, [1], [2], [1,2], [2,1]  → 5
    expect(explore(two(false)).distinct).toBe(5);
    // FIFO: [], [1], [1,2]                                         → 3
    expect(explore(two(true)).distinct).toBe(3);
  });

  test('a periodic timer in timed mode fires exactly at its deadlines', () => {
    // timer every 2 ticks, maxTime 5. (time, count, deadline):
    // (0,0,2) (1,0,2) (2,0,2) → due: tick is blocked, so only fire → (2,1,4) (3,1,4) (4,1,4)
    // → fire → (4,2,6) (5,2,6). 8 states, a single path.
    const periodic = protocol({
      name: 'periodic',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.setTimer('t', 2);
            return 0;
          },
          timers: {
            t: (n, ctx) => {
              ctx.setTimer('t', 2);
              return n + 1;
            },
          },
        }),
      }),
      time: { mode: 'timed', maxTime: 5 },
    });
    const r = explore(periodic);
    expect(r.distinct).toBe(8);
    expect(r.generated).toBe(8); // one initial state, one successor each except the last
  });

  test('an async timer may fire at any time: counts, bounded by the handler', () => {
    const counter = protocol({
      name: 'async-timer',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.setTimer('t');
            return 0;
          },
          timers: {
            t: (n, ctx) => {
              if (n + 1 < 3) ctx.setTimer('t');
              return n + 1;
            },
          },
        }),
      }),
    });
    // n = 0, 1, 2 armed; n = 3 disarmed → 4
    expect(explore(counter).distinct).toBe(4);
  });

  test('pause in timed mode: an idle node, maxTime 2, pause budget 1', () => {
    const idle = protocol({
      name: 'idle',
      messages: messages<{}>(),
      roles: (role) => ({ a: role({ init: () => ({}) }) }),
      time: { mode: 'timed', maxTime: 2 },
      faults: { pause: 1 },
    });
    // time 0..2 × {up with no pause used, paused, up after resume} = 9
    expect(explore(idle).distinct).toBe(9);
  });

  test('partitions: every bipartition, or the listed candidates', () => {
    const idle = (n: number, partitions?: string[][]) =>
      protocol({
        name: 'idle-net',
        messages: messages<{}>(),
        roles: (role) => ({ n: role({ init: () => ({}) }) }),
        nodes: { n },
        faults: { partition: 1 },
        partitions,
      });
    // initial + one state per bipartition (2^(n-1) - 1) + healed (budget used) = 2^(n-1) + 1
    expect(explore(idle(3)).distinct).toBe(5);
    expect(explore(idle(4)).distinct).toBe(9);
    expect(explore(idle(5)).distinct).toBe(17);
    // listed: n1|rest and n1,n2|rest (n2,n3,n4|n1 is the first again)
    expect(explore(idle(4, [['n1'], ['n1', 'n2'], ['n2', 'n3', 'n4']])).distinct).toBe(4);
  });

  test('crash-recover vs crash-stop: two idle nodes, crash budget 2', () => {
    const idle = (recovery: 'crash-recover' | 'crash-stop') =>
      protocol({
        name: 'idle-crash',
        messages: messages<{}>(),
        roles: (role) => ({ n: role({ init: () => ({}) }) }),
        nodes: { n: 2 },
        faults: { crash: 2 },
        recovery,
      });
    // crash-recover, by crashes used: 0: (up,up); 1: (c,up) (up,c) (up,up);
    // 2: (c,c) (c,up) (up,c) (up,up) → 1 + 3 + 4 = 8
    expect(explore(idle('crash-recover')).distinct).toBe(8);
    // crash-stop: 0: (up,up); 1: (c,up) (up,c); 2: (c,c) → 4
    expect(explore(idle('crash-stop')).distinct).toBe(4);
  });

  test('clock skew: one initial state per combination of offsets of clock roles', () => {
    const skewed = protocol({
      name: 'skew',
      messages: messages<{}>(),
      roles: (role) => ({ c: role({ clock: true, init: () => ({}) }), plain: role({ init: () => ({}) }) }),
      nodes: { c: 2, plain: 1 },
      time: { mode: 'timed', maxTime: 0, maxSkew: 1 },
    });
    // offsets in {-1, 0, 1} for c1 and c2; `plain` has no clock: 3 × 3 = 9
    const r = explore(skewed);
    expect(r.distinct).toBe(9);
    expect(r.system.initialStates()).toHaveLength(9);
  });
});

describe('against a direct enumerator', () => {
  // N clients each send one Req to the server; the server answers each with an Ack
  // and counts the requests it served; a client is done when its Ack arrives.
  // Budget: D drops.
  const reqAck = protocol({
    name: 'req-ack',
    params: { clients: 3, drops: 1 },
    messages: messages<{ Req: {}; Ack: {} }>(),
    nodes: (p) => ({ server: 1, client: p.clients }),
    roles: (role) => ({
      server: role({
        init: () => ({ served: 0 }),
        on: {
          Req: (s, _m, ctx) => {
            ctx.send(ctx.from, { type: 'Ack' });
            return { served: s.served + 1 };
          },
        },
      }),
      client: role({
        init: (ctx) => {
          ctx.send('server', { type: 'Req' });
          return { done: false };
        },
        on: { Ack: () => ({ done: true }) },
      }),
    }),
    faults: (p) => ({ drop: p.drops }),
  });

  // The same protocol written directly: each client is in one of five phases.
  // A world shows less than the phase vector: a client whose Req or whose Ack was
  // lost looks the same (nothing in flight, not done); only the server's count of
  // served requests and the number of drops tell the totals apart.
  type Phase = 'req' | 'reqLost' | 'ack' | 'ackLost' | 'done';
  function direct(n: number, drops: number): number {
    const next: Record<Phase, Phase[]> = {
      req: ['ack', 'reqLost'], // deliver Req (server answers) | drop it
      ack: ['done', 'ackLost'], // deliver Ack | drop it
      reqLost: [],
      ackLost: [],
      done: [],
    };
    const lost = (v: Phase[]) => v.filter((p) => p === 'reqLost' || p === 'ackLost').length;
    const served = (v: Phase[]) => v.filter((p) => p === 'ack' || p === 'ackLost' || p === 'done').length;
    const visible = (v: Phase[]) => `${v.map((p) => (p.endsWith('Lost') ? 'idle' : p)).join()}|${served(v)}|${lost(v)}`;
    const start: Phase[] = Array(n).fill('req');
    const seenVectors = new Set([start.join()]);
    const worlds = new Set([visible(start)]);
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      v.forEach((p, i) => {
        for (const q of next[p]) {
          const w = v.slice();
          w[i] = q;
          if (lost(w) > drops || seenVectors.has(w.join())) continue;
          seenVectors.add(w.join());
          worlds.add(visible(w));
          queue.push(w);
        }
      });
    }
    return worlds.size;
  }
  const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
  /**
   * Σ_{j ≤ D} C(N, j) · (j + 1) · 3^(N−j): j idle clients (which ones: C(N, j); how
   * many of them were served before the loss: j + 1), the others in 3 phases.
   */
  const formula = (n: number, d: number) => {
    let s = 0;
    for (let j = 0; j <= Math.min(d, n); j++) s += binom(n, j) * (j + 1) * 3 ** (n - j);
    return s;
  };

  for (const [clients, drops] of [
    [1, 0],
    [1, 1],
    [2, 1],
    [3, 0],
    [3, 1],
    [3, 2],
    [4, 2],
  ] as const) {
    test(`clients=${clients} drops=${drops}`, () => {
      const expected = direct(clients, drops);
      expect(expected).toBe(formula(clients, drops));
      expect(explore(reqAck, { params: { clients, drops } }).distinct).toBe(expected);
    });
  }
});
