// Timeout-based failure detection — the FIXED version (the hazard: failure-detector.buggy.ts).
//
// The hazard. A coordinator gives a job ("send the welcome email") to worker1
// and, hearing nothing back within a timeout, declares worker1 dead and gives
// the job to worker2. The timeout guessed wrong — worker1 was only slow, or the
// coordinator itself was paused — and the email goes out twice.
//
// The fix: make the effect idempotent at the receiver. The takeover itself is
// not prevented (the coordinator cannot know better); it is made harmless. Every
// Email request carries its job id, the same id whichever worker runs the job,
// and the mailer remembers the jobs whose email it has sent and ignores a second
// request for one of them. The key must name the job, not the attempt or the
// worker: a key per attempt would let both attempts through.
//
// The model and the faults are those of the buggy spec: a coordinator with a
// 1-tick timeout that is right for the network (maxDelay: 0), two workers tried
// in turn, a mailer; one delayed message (`delay: 1`) and one process pause
// (`pause: 1`). The false suspicion still happens — the `workerSuspected` and
// `duplicateIgnored` properties below show it, and the mailer turning the second
// request away.
//   faultline check specs/failure-detector.fixed.ts                     # holds
//   faultline check specs/failure-detector.fixed.ts -p workers=3 -p maxTime=4 --faults delay=2,pause=1,duplicate=1
//
// The invariant, emailSentOnce: the mailer sends each job's email at most once.
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'failure-detector.fixed',
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
    /** The mailer ignored a second request for this job's email. */
    ignored: string;
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
          // Idempotent: the job id is the key; a job's email goes out once.
          if (s.sent.includes(m.job)) {
            ctx.observe('ignored', m.job);
            return s;
          }
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
    duplicateIgnored: (w) => w.observed('ignored').length > 0,
  },
  expect: 'holds',
});
