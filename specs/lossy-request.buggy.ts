// A request over a lossy link, no retransmission — the BUGGY version (the fix:
// lossy-request.fixed.ts). A liveness hazard: nothing bad happens, something good
// never does.
//
// The hazard. A client sends one Request to a server and waits for the Response.
// The network may lose a message. If the Request (or the Response) is lost, the
// client waits forever: no invariant is ever broken — every state is "still
// waiting" — but the request is never answered. Only a liveness property can say
// what is wrong: "eventually the client has its answer".
//
// The model. Nodes: `client`, `server`. Asynchronous network (no time): a message
// may take arbitrarily long, and one may be lost (`drop: 1`). faultline's default
// fairness is the partially synchronous model: faults are never obliged to happen,
// and every ordinary action that stays enabled eventually happens (each message in
// flight to an up node is eventually delivered, each armed timer eventually fires).
//
// The property, answered (`eventually`): along every fair behaviour, the client
// eventually has a response.
//   faultline check specs/lossy-request.buggy.ts                 # violates answered
//   faultline check specs/lossy-request.buggy.ts --faults drop=0  # holds: a reliable link
//
// The counterexample is a lasso: `drop Request{id:1} client→server`, then the world
// halts — no message in flight, no timer armed — and stays so forever.
//
// The fix (lossy-request.fixed.ts): retransmit on a timer until answered.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'lossy-request.buggy',
  messages: messages<{ Request: { id: number }; Response: { id: number } }>(),
  nodes: () => ({ client: 1, server: 1 }),
  faults: () => ({ drop: 1 }),
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.send('server', { type: 'Request', id: 1 });
        return { answered: false };
      },
      on: {
        Response: (s) => ({ ...s, answered: true }),
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
  expect: { violates: 'answered' },
});
