// Handler outcomes replayed by the coded search (src/protocol/handler-memo.ts): the
// search runs each handler once per node record and inputs, and still finds what the
// plain search finds when a handler's result depends on the time, the partition or
// the ghost history, with the node's record unchanged.
import { describe, expect, test } from 'vitest';
import type { TransitionSystem } from '../../src/core/types.js';
import { bfs } from '../../src/explore/bfs.js';
import { ValueSpace } from '../../src/explore/value-space.js';
import { Search } from '../../src/explore/search.js';
import { HandlerMemo, type Outcome } from '../../src/protocol/handler-memo.js';
import { messages, observations, protocol } from '../../src/protocol/index.js';
import type { World } from '../../src/protocol/world.js';
import { outcomeOf } from '../explore/outcome.js';

type Coded = TransitionSystem<World> & { codec(): import('../../src/values/state-codec.js').StateCodec<World> };

function both(system: Coded) {
  const plain = new Search(system, {});
  bfs(plain, ValueSpace.structural(plain));
  const coded = new Search(system, {});
  bfs(coded, ValueSpace.coded(coded, system.codec()));
  return { plain: outcomeOf(plain), coded: outcomeOf(coded) };
}

describe('the coded search replays handler outcomes', () => {
  test('a handler runs once per node record and message, not once per world', () => {
    let calls = 0;
    const spec = protocol({
      name: 'counted',
      messages: messages<{ Hi: { n: number } }>(),
      nodes: { peer: 3 },
      roles: (role) => ({
        peer: role({
          init: (ctx) => (ctx.broadcast('peer', { type: 'Hi', n: ctx.index }), 0),
          on: { Hi: (s, m) => (calls++, (s + m.n) % 3) },
        }),
      }),
      faults: { duplicate: 1, drop: 1 },
    });
    const system = spec.compile({}) as Coded;
    const coded = new Search(system, { recheckRate: 0 });
    bfs(coded, ValueSpace.coded(coded, system.codec()));
    const deliveries = coded.counts.coverage[system.actions.findIndex((a) => a.name === 'deliver Hi@peer')]!;
    const codedCalls = calls;
    calls = 0;
    const plain = new Search(system, { recheckRate: 0 }); // re-runs only the first expansion (6 deliveries)
    bfs(plain, ValueSpace.structural(plain));
    expect(outcomeOf(coded)).toEqual(outcomeOf(plain));
    expect(calls).toBe(deliveries + 6); // the plain search runs the handler for every delivery
    expect(deliveries).toBeGreaterThan(100);
    expect(codedCalls).toBeLessThan(deliveries / 4);

    // The cache belongs to the compiled system (compile.ts installs it with its one
    // codec): a second coded search replays every run the first one recorded; only
    // the initial world, expanded before any decoding, runs its 6 deliveries again.
    calls = 0;
    const again = new Search(system, { recheckRate: 0 });
    bfs(again, ValueSpace.coded(again, system.codec()));
    expect(outcomeOf(again)).toEqual(outcomeOf(plain));
    expect(calls).toBe(6);
    expect(codedCalls).toBeGreaterThan(6);
  });

  test('the same record at another time, under a partition, or with another ghost history gives its own outcome', () => {
    type Obs = { got: number };
    const spec = protocol({
      name: 'inputs',
      messages: messages<{ Ping: { k: number } }>(),
      observations: observations<Obs>(),
      nodes: { a: 1, b: 1 },
      roles: (role) => ({
        a: role({
          init: () => ({ sent: 0 }),
          steps: {
            // The same record with and without the partition: the Ping is lost across it.
            ping: (s, ctx) => {
              if (s.sent >= 2) return undefined;
              ctx.send('b', { type: 'Ping', k: s.sent });
              return { sent: s.sent + 1 };
            },
          },
        }),
        b: role({
          clock: true,
          init: () => ({ last: -1 }),
          // A Ping may arrive at any tick (no maxDelay): the same record at another
          // time. Two Pings in either order: the same record (same tick) with another ghost history.
          on: { Ping: (s, m, ctx) => (ctx.observe('got', m.k), { last: ctx.now() }) },
        }),
      }),
      time: { mode: 'timed', maxTime: 3 },
      faults: { partition: 1 },
    });
    const { plain, coded } = both(spec.compile({}) as Coded);
    expect(coded).toEqual(plain);
    expect(plain.distinct).toBeGreaterThan(50);
  });
});

describe('HandlerMemo', () => {
  const out = (label: string): Outcome => ({ rec: { status: 'up', state: label }, word: 0, sends: [], observed: {}, label });
  const observedA = Object.freeze({});
  const observedB = Object.freeze({});

  // Each ghost history with its number, as the codec interns them.
  const A = [0, observedA] as const;
  const B = [1, observedB] as const;

  test('finds an entry by node, record number, slot, ghost history, partition and time', () => {
    const memo = new HandlerMemo(2);
    const slot = HandlerMemo.slot(2, 1);
    memo.remember(0, 5, slot, ...A, null, 0, [out('x')]);
    expect(memo.find(0, 5, slot, ...A, null, 0)?.[0]?.label).toBe('x');
    expect(memo.find(1, 5, slot, ...A, null, 0)).toBeUndefined();
    expect(memo.find(0, 6, slot, ...A, null, 0)).toBeUndefined();
    expect(memo.find(0, 5, HandlerMemo.slot(1, 1), ...A, null, 0)).toBeUndefined();
    expect(memo.find(0, 5, slot, ...B, null, 0)).toBeUndefined();
    expect(memo.find(0, 5, slot, ...A, undefined, 0)).toBeUndefined();
    expect(memo.find(0, 5, slot, ...A, null, 1)).toBeUndefined();
    memo.remember(0, 5, slot, ...A, null, 1, []);
    expect(memo.find(0, 5, slot, ...A, null, 1)).toEqual([]); // a step that was not enabled
    expect(memo.find(0, 5, slot, ...A, null, 0)?.[0]?.label).toBe('x');
  });

  test('keys the entries by the ghost history\'s number, and still checks that it is the same history', () => {
    const memo = new HandlerMemo(1);
    for (let h = 0; h < 50; h++) memo.remember(0, 3, 0, h, Object.freeze({ h: [h] }), null, 0, [out(`h${h}`)]);
    memo.remember(0, 3, 0, ...B, null, 0, [out('B')]);
    expect(memo.find(0, 3, 0, ...B, null, 0)?.[0]?.label).toBe('B');
    expect(memo.find(0, 3, 0, 7, observedA, null, 0)).toBeUndefined(); // number 7 is another history
    expect(memo.find(0, 3, 0, 50, observedA, null, 0)).toBeUndefined();
  });

  test('starts over when full', () => {
    const memo = new HandlerMemo(1, 3);
    for (let w = 0; w < 3; w++) memo.remember(0, w, 0, ...A, null, 0, [out(String(w))]);
    expect(memo.find(0, 0, 0, ...A, null, 0)).toBeDefined();
    memo.remember(0, 3, 0, ...A, null, 0, [out('3')]);
    expect(memo.find(0, 0, 0, ...A, null, 0)).toBeUndefined();
    expect(memo.find(0, 3, 0, ...A, null, 0)?.[0]?.label).toBe('3');
  });
});
