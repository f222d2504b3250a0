// A request over a lossy link, retransmitted on a timer — the FIXED version of
// lossy-request.buggy.ts (read that file first).
//
// The fix. The client arms a retry timer with the request; when it fires and no
// response has come, the client sends the Request again. The server answers every
// copy (the request is idempotent here: it only reads).
//
// Bounding it. Without time (asynchronous mode) a timer may fire at any moment, so
// a client that retries forever can put any number of copies in flight, and the
// state space is infinite. With at most `drops` messages lost, `drops + 1` attempts
// are as good as forever: each lost message costs one attempt at most, so some
// attempt's Request and Response both get through. The spec retries up to
// `attempts` times, and the default is exactly that (drop budget 1, 2 attempts).
//   faultline check specs/lossy-request.fixed.ts                               # holds
//   faultline check specs/lossy-request.fixed.ts --faults drop=2                # violates answered:
//        # two losses beat two attempts — the retry budget must outlast the faults
//   faultline check specs/lossy-request.fixed.ts --faults drop=2 -p attempts=3  # holds
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'lossy-request.fixed',
  params: { attempts: 2 },
  messages: messages<{ Request: { id: number }; Response: { id: number } }>(),
  nodes: () => ({ client: 1, server: 1 }),
  faults: () => ({ drop: 1 }),
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Request', id: 1 });
        if (ctx.params.attempts > 1) ctx.setTimer('retry', 1);
        return { answered: false, attempts: 1 };
      },
      on: {
        Response: (s, _m, ctx) => {
          ctx.cancelTimer('retry');
          return { ...s, answered: true };
        },
      },
      timers: {
        retry: (s, ctx) => {
          if (s.answered) return s;
          ctx.send('server', { type: 'Request', id: 1 });
          if (s.attempts + 1 < ctx.params.attempts) ctx.setTimer('retry', 1);
          return { ...s, attempts: s.attempts + 1 };
        },
      },
    }),
    server: role({
      init: () => ({ served: 0 }),
      on: {
        Request: (s, m, ctx) => {
          ctx.send('client', { type: 'Response', id: m.id });
          return { served: s.served + 1 };
        },
      },
    }),
  }),
  eventually: {
    answered: (w) => w.node('client').state?.answered === true,
  },
  expect: 'holds',
});
