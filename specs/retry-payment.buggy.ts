// Request, lost reply, retry — the BUGGY version (the fix: retry-payment.fixed.ts).
//
// The hazard. A client asks a payment server to charge a card and waits for the
// receipt. No receipt comes. Was the request lost (nothing happened: retry!),
// or was the receipt lost (the card was charged: don't!), or is the server just
// slow? The client cannot tell these apart — they look exactly the same from
// where it stands. A naive client retries after a timeout, and when it was the
// receipt that got lost, the server executes the payment a second time.
//
// The model. Nodes: `client` and `server`. The client sends one Pay request,
// retries it after `retryAfter` ticks without a receipt, up to `attempts`
// attempts in all. The server charges every Pay it receives, writing the charge
// to its ledger (durable state: it survives a crash), and sends a Receipt. The
// network is fast — a message is delivered in the tick it was sent
// (`maxDelay: 0`) — so without faults the receipt always beats the retry timer.
//
// Faults allowed: the three things the client cannot tell apart — up to two
// lost messages (`drop: 2`: a lost request or a lost receipt) and one late one
// (`delay: 1`: exempt from maxDelay, it may arrive at any later time: a slow
// server or network). No node crashes.
//   faultline check specs/retry-payment.buggy.ts                          # violates chargedOnce
//   faultline check specs/retry-payment.buggy.ts --faults drop=0
//        # the same double charge with nothing lost: the receipt is only late
//   faultline check specs/retry-payment.buggy.ts --faults drop=0,delay=0,crash=1
//        # ... or the client crashes and, restarted, pays again
//
// The invariant, chargedOnce: the ledger holds at most one charge (the client
// makes one payment).
//
// The fix (retry-payment.fixed.ts): an idempotency key. The client names the
// payment (`order-1`) and sends the same key with every attempt; the server
// records the key in the ledger with the charge and, seeing a key it already
// has, does not charge again but answers with the receipt of the first charge.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'retry-payment.buggy',
  params: { amount: 100, attempts: 3, retryAfter: 1, maxTime: 3 },
  messages: messages<{
    Pay: { amount: number };
    Receipt: { amount: number };
  }>(),
  nodes: { client: 1, server: 1 },
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Pay', amount: ctx.params.amount });
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
          ctx.send('server', { type: 'Pay', amount: ctx.params.amount });
          ctx.setTimer('retry', ctx.params.retryAfter);
          return { ...s, attempts: s.attempts + 1 };
        },
      },
    }),
    server: role({
      durable: () => ({ ledger: [] as { amount: number }[] }),
      init: () => ({}),
      recover: () => ({}),
      on: {
        Pay: (s, m, ctx) => {
          ctx.persist({ ledger: [...ctx.durable.ledger, { amount: m.amount }] });
          ctx.send(ctx.from, { type: 'Receipt', amount: m.amount });
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
  },
  expect: { violates: 'chargedOnce' },
});
