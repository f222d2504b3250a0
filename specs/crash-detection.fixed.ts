// Crash detection — FIXED: heartbeats (probes) and a timeout.
//
// The hazard (see specs/crash-detection.fixed.ts). A monitor that learns of a
// worker's departure only from the worker's own goodbye never learns of a crash:
// a crashed process sends nothing. Completeness — every crashed node is
// eventually suspected — is a liveness property, and it fails.
//
// The fix: notice silence. The monitor probes the worker on a timer: it sends a
// Ping and expects a Pong before its timer fires again; a probe still unanswered
// then means "suspect the worker" (and probing stops). A crashed worker answers
// nothing, so the next timeout suspects it. Only one probe is outstanding at a
// time, so at most one Ping or Pong is in flight and the async state space is
// finite (a timer that re-armed itself and sent a message every time would not
// be: in async mode a timer may fire any number of times before a message is
// delivered). The price is accuracy: in async mode the timer may also fire
// before a live worker's Pong arrives, and the monitor then suspects a worker
// that is fine (`liveWorkerSuspected` is reachable) — failure-detector.buggy.ts
// shows what acting on such a wrong suspicion costs. Completeness and accuracy
// cannot both be had without bounds on delays; this spec asks only for the first.
//
// The model is the buggy spec's plus the probe (timer `probe` at the monitor,
// Ping and Pong). Faults allowed: one crash, crash-stop. It holds: along every
// fair behaviour, a crashed worker is eventually suspected — and a crash that is
// later detected is reachable (`crashDetected`).
//
//   faultline check specs/crash-detection.fixed.ts
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'crash-detection.fixed',
  messages: messages<{ Goodbye: {}; Ping: {}; Pong: {} }>(),
  nodes: { monitor: 1, worker: 1 },
  roles: (role) => ({
    monitor: role({
      init: (ctx) => {
        ctx.setTimer('probe');
        return { suspected: false, awaiting: false };
      },
      on: {
        Goodbye: (s, _m, ctx) => {
          ctx.cancelTimer('probe');
          return { ...s, suspected: true };
        },
        Pong: (s) => ({ ...s, awaiting: false }),
      },
      timers: {
        // Time for the next probe: the last one still unanswered means the worker is suspected.
        probe: (s, ctx) => {
          if (s.awaiting) return { ...s, suspected: true };
          ctx.send('worker', { type: 'Ping' });
          ctx.setTimer('probe');
          return { ...s, awaiting: true };
        },
      },
    }),
    worker: role({
      init: () => ({ left: false }),
      on: {
        Ping: (s, _m, ctx) => {
          if (!s.left) ctx.send('monitor', { type: 'Pong' });
          return s;
        },
      },
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
  sometimes: {
    // Not vacuous: the worker crashes and the monitor notices.
    crashDetected: (w) => w.status('worker') === 'crashed' && w.node('monitor').state?.suspected === true,
    // The price of a timeout in async mode: a live worker suspected.
    liveWorkerSuspected: (w) => w.status('worker') === 'up' && w.node('worker').state?.left === false && w.node('monitor').state?.suspected === true,
  },
  expect: 'holds',
});
