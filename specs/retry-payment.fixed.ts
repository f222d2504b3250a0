// Request, lost reply, retry — the FIXED version (the hazard: retry-payment.buggy.ts).
//
// The hazard. A client that hears nothing back cannot tell a lost request from
// a lost reply or a slow server, so it must retry — and a naive retry after a
// lost receipt makes the server charge the card a second time.
//
// The fix: an idempotency key, and deduplication at the server. The client names
// the payment — the key is the order id, the same in every attempt and after a
// client restart (a key made up afresh per attempt would defeat the purpose) —
// and sends it with every Pay. The server writes the key into its ledger in the
// same durable write as the charge; a Pay whose key is already in the ledger is
// not charged again but answered with the receipt of the first charge. Retrying
// becomes safe, so the client keeps retrying as before.
//
// The model and the faults are those of the buggy spec: one client that retries
// after `retryAfter` ticks, up to `attempts` attempts; a fast network
// (maxDelay: 0); up to two lost messages (`drop: 2`) and one late one
// (`delay: 1`). Receipts are still lost or late and the client still retries —
// the `receiptReplayed` property below shows the server answering a retry from
// its ledger.
//   faultline check specs/retry-payment.fixed.ts                          # holds
//   faultline check specs/retry-payment.fixed.ts --faults drop=2,delay=1,duplicate=1,crash=1 -p maxTime=5
//        # more of everything, crashes included: the key lives in the durable ledger
//
// The invariant, chargedOnce: the ledger holds at most one charge (the client
// makes one payment).
import { messages, observations, protocol } from 'faultline';

/** The idempotency key: it names the payment (the order), not an attempt. */
const ORDER = 'order-1';

export default protocol({
  name: 'retry-payment.fixed',
  params: { amount: 100, attempts: 3, retryAfter: 1, maxTime: 3 },
  messages: messages<{
    Pay: { key: string; amount: number };
    Receipt: { key: string; amount: number };
  }>(),
  observations: observations<{
    /** The server answered a Pay whose key it had already charged, from its ledger. */
    replayed: string;
  }>(),
  nodes: { client: 1, server: 1 },
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Pay', key: ORDER, amount: ctx.params.amount });
        ctx.setTimer('retry', ctx.params.retryAfter);
        return { attempts: 1, paid: false };
      },
      on: {
        Receipt: (s, _m, ctx) => {
          ctx.cancelTimer('retry');
          return { ...s, paid: true };
        },
      },
      timers: {
        // No receipt yet: lost request, lost receipt or slow server? Try again.
        retry: (s, ctx) => {
          if (s.attempts >= ctx.params.attempts) return s; // give up
          ctx.send('server', { type: 'Pay', key: ORDER, amount: ctx.params.amount });
          ctx.setTimer('retry', ctx.params.retryAfter);
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
          // Deduplication: a key already in the ledger was charged; answer as the first time.
          const first = ctx.durable.ledger.find((e) => e.key === m.key);
          if (first !== undefined) {
            ctx.observe('replayed', m.key);
            ctx.send(ctx.from, { type: 'Receipt', key: first.key, amount: first.amount });
            return s;
          }
          ctx.persist({ ledger: [...ctx.durable.ledger, { key: m.key, amount: m.amount }] });
          ctx.send(ctx.from, { type: 'Receipt', key: m.key, amount: m.amount });
          return s;
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 0 }),
  faults: { drop: 2, delay: 1 },
  invariants: {
    chargedOnce: (w) => {
      const ledger = w.node('server').durable.ledger;
      return ledger.length <= 1 || `the customer was charged ${ledger.length} times for one payment`;
    },
  },
  sometimes: {
    paid: (w) => w.node('client').state?.paid === true,
    retried: (w) => (w.node('client').state?.attempts ?? 0) > 1,
    receiptReplayed: (w) => w.observed('replayed').length > 0,
  },
  expect: 'holds',
});
