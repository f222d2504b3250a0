// Type safety of the protocol API, checked by `npm run typecheck` (tsc): every
// `@ts-expect-error` line must be a type error, or tsc fails. At run time the
// spec is only built, never explored.
import { expect, test } from 'vitest';
import { messages, observations, protocol } from '../../src/protocol/index.js';

const spec = protocol({
  name: 'types',
  params: { limit: 2 },
  messages: messages<{ Ping: { n: number }; Pong: {} }>(),
  observations: observations<{ seen: number }>(),
  nodes: (p) => ({ a: p.limit, b: 1 }),
  roles: (role) => ({
    a: role({
      init: (ctx) => {
        const none: undefined = ctx.durable; // no durable state declared
        void none;
        ctx.setTimer('renew', 1);
        // @ts-expect-error: a timer the role does not declare
        ctx.setTimer('renw', 1);
        ctx.send('b', { type: 'Ping', n: ctx.params.limit });
        // @ts-expect-error: a typo in a message type
        ctx.send('b', { type: 'Pnig', n: 1 });
        // @ts-expect-error: a missing field
        ctx.send('b', { type: 'Ping' });
        // @ts-expect-error: a field of the wrong type
        ctx.send('b', { type: 'Ping', n: '1' });
        ctx.observe('seen', 1);
        // @ts-expect-error: an observation of the wrong type
        ctx.observe('seen', 'x');
        return { x: 1 };
      },
      on: { Pong: (s) => s },
      timers: { renew: (s) => s },
    }),
    b: role({
      durable: () => ({ k: 1 }),
      init: (ctx) => ({ k: ctx.durable.k }),
      recover: (d) => ({ k: d.k }),
      on: {
        Ping: (s, m, ctx) => {
          // @ts-expect-error: durable state has its declared type
          ctx.persist({ k: 'x' });
          // @ts-expect-error: no such field
          void m.m;
          // @ts-expect-error: this role has no timers
          ctx.setTimer('renew', 1);
          return { k: s.k + m.n };
        },
      },
    }),
  }),
  invariants: {
    typed: (w) => {
      const a: { x: number } | null = w.node('a2').state;
      const b: { k: number } = w.node('b').durable;
      // @ts-expect-error: role a declares no durable state
      const bad: string = w.node('a1').durable;
      // @ts-expect-error: no role named c
      w.nodes('c');
      const pings: readonly { msg: { n: number } }[] = w.inFlight({ type: 'Ping' });
      const seen: readonly number[] = w.observed('seen');
      void [a, b, bad, pings, seen];
      return true;
    },
  },
});

const typo = protocol({
  name: 'typo',
  messages: messages<{ Ping: {} }>(),
  roles: (role) => ({
    a: role({
      init: () => ({}),
      // @ts-expect-error: a handler for a message type that does not exist
      on: { Pnig: (s: {}) => s },
    }),
  }),
});

test('the typed specs build', () => {
  expect(spec.kind).toBe('protocol');
  expect(spec.describe().actions).toEqual(['deliver Pong@a', 'fire renew@a', 'deliver Ping@b']);
  expect(typo.describe().actions).toEqual(['deliver Pnig@a']);
});
