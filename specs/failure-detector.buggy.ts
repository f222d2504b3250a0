// Timeout-based failure detection — the BUGGY version (the fix: failure-detector.fixed.ts).
//
// The hazard. A coordinator gives a job — "send the welcome email" — to worker1
// and waits for it to report back. If no report comes within a timeout, it
// declares worker1 dead and gives the job to worker2. But a timeout cannot tell
// a dead worker from a slow one: worker1 may have sent the email already and
// only its report is late (a slow network), or it may be frozen in a GC pause
// and send the email when it wakes up. Either way the job runs twice, and the
// customer gets two emails. A timeout is a guess, and the system must be safe
// when the guess is wrong.
//
// The model. Nodes: `coordinator`, `worker1`, `worker2`, `mailer` (the outside
// world: it sends whatever email it is asked to). A worker does a job at once:
// it asks the mailer to send the email and reports Done. The coordinator's
// timeout (1 tick) is right for the network: messages are delivered in the tick
// they are sent (`maxDelay: 0`), so without faults the report always beats the
// timeout and nobody is suspected. The coordinator tries each worker in turn.
//
// Faults allowed: one late message (`delay: 1`: a message is exempt from
// maxDelay and may arrive at any later time) and one process pause (`pause: 1`).
// Nothing is lost and no node crashes.
//   faultline check specs/failure-detector.buggy.ts                 # violates emailSentOnce
//   faultline check specs/failure-detector.buggy.ts --faults delay=0
//        # the double email without a slow network: here the shortest story is the
//        # coordinator itself paused — when it wakes up its timeout is overdue and
//        # fires before it reads the Done report waiting for it
//
// The invariant, emailSentOnce: the mailer sends each job's email at most once.
//
// The fix (failure-detector.fixed.ts): make the effect idempotent at the
// receiver. Every Email request carries its job id; the mailer remembers which
// jobs' emails it has sent and ignores a second request for the same job. (An
// epoch check alone — the mailer refusing requests from an older assignment —
// would not do: the stale worker may be the first to reach the mailer, and then
// the new worker's request, with the newer epoch, is accepted too.)
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'failure-detector.buggy',
  params: { workers: 2, timeout: 1, maxTime: 3 },
  messages: messages<{
    Assign: { job: string };
    Done: { job: string };
    Email: { job: string };
  }>(),
  observations: observations<{
    /** The mailer sent the email of this job (an external effect: it cannot be taken back). */
    email: string;
    /** The coordinator declared this worker dead. */
    suspected: string;
  }>(),
  nodes: (p) => ({ coordinator: 1, worker: p.workers, mailer: 1 }),
  roles: (role) => ({
    coordinator: role({
      init: (ctx) => {
        ctx.send('worker1', { type: 'Assign', job: 'welcome-email' });
        ctx.setTimer('timeout', ctx.params.timeout);
        return { owner: 'worker1', done: false };
      },
      on: {
        Done: (s, _m, ctx) => {
          ctx.cancelTimer('timeout');
          return { ...s, done: true };
        },
      },
      timers: {
        // No report in time: the owner is declared dead, the next worker gets the job.
        timeout: (s, ctx) => {
          ctx.observe('suspected', s.owner);
          const workers = ctx.peers('worker');
          const next = workers[workers.indexOf(s.owner) + 1];
          if (next === undefined) return s; // nobody left to try
          ctx.send(next, { type: 'Assign', job: 'welcome-email' });
          ctx.setTimer('timeout', ctx.params.timeout);
          return { ...s, owner: next };
        },
      },
    }),
    worker: role({
      init: () => ({ jobsDone: 0 }),
      on: {
        Assign: (s, m, ctx) => {
          ctx.send('mailer', { type: 'Email', job: m.job });
          ctx.send('coordinator', { type: 'Done', job: m.job });
          return { jobsDone: s.jobsDone + 1 };
        },
      },
    }),
    mailer: role({
      init: () => ({ sent: [] as string[] }),
      on: {
        Email: (s, m, ctx) => {
          ctx.observe('email', m.job);
          return { sent: [...s.sent, m.job] };
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 0 }),
  faults: { delay: 1, pause: 1 },
  invariants: {
    emailSentOnce: (w) => {
      const sent = w.observed('email');
      const twice = sent.find((job, i) => sent.indexOf(job) !== i);
      return twice === undefined || `the ${twice} email was sent ${sent.filter((j) => j === twice).length} times`;
    },
  },
  sometimes: {
    emailSent: (w) => w.observed('email').length > 0,
    workerSuspected: (w) => w.observed('suspected').length > 0,
  },
  expect: { violates: 'emailSentOnce' },
});
