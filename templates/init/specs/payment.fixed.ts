// A client pays, and retries when no receipt comes — the FIXED version (the bug:
// payment.buggy.ts). Written by `faultline init` as a starting point.
//
// The fix: an idempotency key. The client names the payment (`order-1`) and sends the
// same key with every attempt; the server records the key with the charge and, seeing
// a key it already has, answers with the first receipt instead of charging again.
//
//   npx faultline check specs/payment.fixed.ts     # holds in every reachable state
import { messages, protocol } from 'faultline';

const ORDER = 'order-1';

export default protocol({
  name: 'payment.fixed',
  params: { attempts: 2 },
  messages: messages<{
    Pay: { key: string; amount: number };
    Receipt: { key: string; amount: number };
  }>(),
  nodes: { client: 1, server: 1 },
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Pay', key: ORDER, amount: 100 });
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
          ctx.send('server', { type: 'Pay', key: ORDER, amount: 100 });
          ctx.setTimer('retry');
          return { ...s, attempts: s.attempts + 1 };
        },
      },
    }),
    server: role({
      durable: () => ({ ledger: [] as { key: string; amount: number }[] }),
      init: () => ({}),
      recover: () => ({}),
      on: {
        Pay: (s, m, ctx) => {
          // The fix: a key already in the ledger was charged; answer as the first time.
          const first = ctx.durable.ledger.find((e) => e.key === m.key);
          if (first === undefined) ctx.persist({ ledger: [...ctx.durable.ledger, { key: m.key, amount: m.amount }] });
          ctx.send(ctx.from, { type: 'Receipt', key: m.key, amount: first?.amount ?? m.amount });
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
  expect: 'holds',
});
