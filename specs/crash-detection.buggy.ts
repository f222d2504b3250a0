// Crash detection — the BUGGY version (the fix: crash-detection.fixed.ts).
//
// The hazard. A monitor keeps a list of the workers it can give jobs to, and
// takes a worker off the list when it learns the worker is gone. Here it learns
// that only from the worker itself: a worker that shuts down in good order says
// goodbye. A worker that crashes says nothing — a crashed process sends no last
// message — so the monitor never learns of it and keeps counting on a worker that
// no longer exists. A failure detector must be *complete*: every crashed node is
// eventually suspected. Completeness is a liveness property ("eventually"), and
// no amount of waiting satisfies it when nothing the monitor does can notice
// silence: it needs heartbeats and a timeout.
//
// The model. Nodes `monitor` and `worker`, async mode. The worker may leave in
// good order at any time (step `leave`: it sends Goodbye); the monitor marks it
// gone when the Goodbye arrives.
//
// Faults allowed: one crash (`crash: 1`), crash-stop (`recovery: 'crash-stop'`:
// a crashed node never comes back). Nothing is lost.
//   faultline check specs/crash-detection.buggy.ts                 # violates crashSuspected
//   faultline check specs/crash-detection.buggy.ts --faults crash=0
//        # "expected a violation …; it holds": without a crash the trigger never holds
//
// The property, crashSuspected (`leadsTo`): whenever the worker has crashed, the
// monitor eventually suspects it (crashed ~> suspected). Fairness is the protocol
// default (every message is eventually delivered, every enabled step eventually
// happens); faults are never obliged. The counterexample: the worker crashes
// first thing, and then nothing can ever happen — the behaviour halts with the
// crash unnoticed.
//
// The fix (crash-detection.fixed.ts): the monitor probes the worker on a timer
// (Ping, answered by Pong) and suspects it when a probe goes unanswered until
// the next one is due. One probe is outstanding at a time, so at most one Ping
// or Pong is in flight: the state space stays finite in async mode.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'crash-detection.buggy',
  messages: messages<{ Goodbye: {} }>(),
  nodes: { monitor: 1, worker: 1 },
  roles: (role) => ({
    monitor: role({
      init: () => ({ suspected: false }),
      on: {
        // The only way it learns that the worker is gone.
        Goodbye: (s) => ({ ...s, suspected: true }),
      },
    }),
    worker: role({
      init: () => ({ left: false }),
      steps: {
        // Shut down in good order, saying goodbye.
        leave: (s, ctx) => {
          if (s.left) return undefined;
          ctx.send('monitor', { type: 'Goodbye' });
          return { left: true };
        },
      },
    }),
  }),
  faults: { crash: 1 },
  recovery: 'crash-stop',
  leadsTo: {
    crashSuspected: [(w) => w.status('worker') === 'crashed', (w) => w.node('monitor').state?.suspected === true],
  },
  expect: { violates: 'crashSuspected' },
});
