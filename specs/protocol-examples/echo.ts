// The README's protocol example (keep the two identical).
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'echo',
  messages: messages<{ Req: { n: number }; Resp: { n: number } }>(),
  observations: observations<{ answered: number }>(),
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Req', n: 1 });
        ctx.setTimer('retry'); // async mode: a timer may fire at any time
        return { done: false };
      },
      on: { Resp: (s) => ({ ...s, done: true }) },
      timers: {
        retry: (s, ctx) => {
          if (!s.done) ctx.send('server', { type: 'Req', n: 1 }); // a naive retry
          return s;
        },
      },
    }),
    server: role({
      init: () => ({ handled: 0 }),
      on: {
        Req: (s, m, ctx) => {
          ctx.observe('answered', m.n); // ghost history: no crash erases it
          ctx.send(ctx.from, { type: 'Resp', n: m.n });
          return { handled: s.handled + 1 };
        },
      },
    }),
  }),
  faults: { drop: 1 },
  invariants: {
    answeredOnce: (w) => w.observed('answered').length <= 1 || 'the request was executed twice',
  },
  expect: { violates: 'answeredOnce' },
});
