// Clock jump — the FIXED version (the hazard: clock-jump.buggy.ts).
//
// The hazard. A client that times its lease with the time-of-day clock
// (`expiresAt = now() + ttl`) keeps the lease too long when NTP steps its clock
// back: `now()` reaches `expiresAt` late, and the client still believes it holds
// the lease after the lock service has handed it to the next client.
//
// The fix: measure durations with the monotonic clock. `monotonic()` counts real
// ticks since the process started and no clock adjustment ever moves it, so
// `monotonic() + ttl` is a real deadline. (The time-of-day clock is for telling
// people what time it is, not for timing things.) Two words change; the clock
// still jumps — the `holderClockSteppedBack` property below shows a lease holder
// whose time-of-day clock was stepped back — and no longer matters.
//
// The model and the faults are those of the buggy spec: a lock service that
// queues requests, times each lease with a timer and waits `grace` ticks beyond
// it; two clients that each hold the lease once; a fast network (maxDelay: 0);
// one clock jump of a client's time-of-day clock to any offset in -2..2.
//   faultline check specs/clock-jump.fixed.ts                          # holds
//   faultline check specs/clock-jump.fixed.ts --faults clockJump=3 -p maxJump=3 -p maxSkew=1
//   faultline check specs/clock-jump.fixed.ts -p clients=3 -p maxTime=8
//
// The invariant, singleHolder: at no time do two clients both believe they hold
// the lease.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'clock-jump.fixed',
  params: { clients: 2, lease: 2, grace: 1, maxJump: 2, maxSkew: 0, maxTime: 4 },
  messages: messages<{
    Acquire: {};
    Granted: { ttl: number };
  }>(),
  nodes: (p) => ({ lock: 1, client: p.clients }),
  roles: (role) => ({
    lock: role({
      init: () => ({ holder: null as string | null, queue: [] as string[] }),
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder !== null) return { ...s, queue: [...s.queue, ctx.from] };
          ctx.send(ctx.from, { type: 'Granted', ttl: ctx.params.lease });
          ctx.setTimer('expire', ctx.params.lease + ctx.params.grace);
          return { ...s, holder: ctx.from };
        },
      },
      timers: {
        // The lease (and the grace period after it) is over: next in the queue.
        expire: (s, ctx) => {
          const [next, ...rest] = s.queue;
          if (next === undefined) return { ...s, holder: null };
          ctx.send(next, { type: 'Granted', ttl: ctx.params.lease });
          ctx.setTimer('expire', ctx.params.lease + ctx.params.grace);
          return { holder: next, queue: rest };
        },
      },
    }),
    client: role({
      clock: true,
      init: (ctx) => {
        ctx.send('lock', { type: 'Acquire' });
        return { phase: 'waiting' as 'waiting' | 'holding' | 'done', expiresAt: 0 };
      },
      on: {
        Granted: (_s, m, ctx) => ({ phase: 'holding' as const, expiresAt: ctx.monotonic() + m.ttl }),
      },
      steps: {
        // The client's own idea of when its lease is over.
        release: (s, ctx) => (s.phase === 'holding' && ctx.monotonic() >= s.expiresAt ? { ...s, phase: 'done' as const } : undefined),
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 0, maxSkew: p.maxSkew, maxJump: p.maxJump }),
  faults: { clockJump: 1 },
  invariants: {
    singleHolder: (w) => {
      const holders = w.nodes('client').filter((c) => c.state?.phase === 'holding');
      if (holders.length <= 1) return true;
      const clocks = holders.map((c) => `${c.id}'s clock reads ${c.clock!.now} (lease until ${c.state!.expiresAt})`).join(', ');
      return `${holders.map((c) => c.id).join(' and ')} both hold the lease at t=${w.time}: ${clocks}`;
    },
  },
  sometimes: {
    leaseChangesHands: (w) => w.nodes('client').filter((c) => c.state?.phase !== 'waiting').length > 1,
    holderClockSteppedBack: (w) => w.nodes('client').some((c) => c.state?.phase === 'holding' && c.clock!.offset < 0),
  },
  // The clients are interchangeable: --symmetry counts worlds equal up to renaming them once.
  symmetry: ['client'],
  expect: 'holds',
});
