// A client pays, and retries when no receipt comes — the BUGGY version (the fix:
// payment.fixed.ts). Written by `faultline init` as a starting point: edit it, or copy
// it for your own protocol.
//
// The hazard. No receipt yet: was the request lost, the receipt lost, or is the server
// only slow? The client cannot tell, so it retries — and when the first Pay was only
// slow, the server charges the card twice. The network here is asynchronous (a timer
// can fire before a reply that is merely late) and may lose one message (`drop: 1`).
//
//   npx faultline check specs/payment.buggy.ts     # the shortest double charge
//   npx faultline check specs/payment.fixed.ts     # the fix holds in every state
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'payment.buggy',
  params: { attempts: 2 },
  messages: messages<{
    Pay: { amount: number };
    Receipt: { amount: number };
  }>(),
  nodes: { client: 1, server: 1 },
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Pay', amount: 100 });
        ctx.setTimer('retry');
        return { attempts: 1, paid: false };
      },
      on: {
        Receipt: (s, _m, ctx) => {
          ctx.cancelTimer('retry');
          return { ...s, paid: true };
        },
      },
      timers: {
        retry: (s, ctx) => {
          if (s.attempts >= ctx.params.attempts) return s; // give up
          ctx.send('server', { type: 'Pay', amount: 100 });
          ctx.setTimer('retry');
          return { ...s, attempts: s.attempts + 1 };
        },
      },
    }),
    server: role({
      durable: () => ({ ledger: [] as { amount: number }[] }),
      init: () => ({}),
      recover: () => ({}),
      on: {
        // The bug: every Pay is a new charge, even a retry of one already charged.
        Pay: (s, m, ctx) => {
          ctx.persist({ ledger: [...ctx.durable.ledger, { amount: m.amount }] });
          ctx.send(ctx.from, { type: 'Receipt', amount: m.amount });
          return s;
        },
      },
    }),
  }),
  faults: { drop: 1 },
  invariants: {
    chargedOnce: (w) => {
      const ledger = w.node('server').durable.ledger;
      return ledger.length <= 1 || `the customer was charged ${ledger.length} times for one payment`;
    },
  },
  sometimes: { paid: (w) => w.node('client').state?.paid === true },
  // `npx faultline check specs/` is green while this spec still shows its bug.
  expect: { violates: 'chargedOnce' },
});
