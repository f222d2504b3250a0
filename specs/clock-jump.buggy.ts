// Clock jump — the BUGGY version (the fix: clock-jump.fixed.ts).
//
// The hazard. A client holds a lease "for 2 ticks" and times it with the
// time-of-day clock: it notes `expiresAt = now() + ttl` and gives the lease up
// when `now() >= expiresAt`. But the time-of-day clock is not a stopwatch: NTP
// may step it — backwards too — when it finds the clock was fast. After a step
// back, `now()` reaches `expiresAt` late, so the client goes on believing it
// holds the lease after the lease is over. Meanwhile the lock service, which
// timed the lease correctly, hands the lock to the next client: two holders.
//
// The model. Nodes: `lock` (the lock service; it queues requests, times each
// lease with a timer, and waits `grace` ticks beyond the lease before handing
// the lock on — the usual safety margin; without it the old holder letting go
// and the next one taking over would fall on the same tick, in either order),
// `client1`, `client2`. Each client asks for the lock once, holds
// it, and gives it up when its own clock says the lease is over (a prompt local
// step, so without faults it lets go at the very instant the lease ends). Time
// is discrete (timed mode) and the network is fast: a message is delivered in
// the tick it was sent (`maxDelay: 0`). Clocks start exact (`maxSkew`, default
// 0) — a constant skew is harmless here, since it cancels out of a duration.
//
// Faults allowed: one clock jump (`clockJump: 1`): a client's time-of-day clock
// is set to real time + any offset in -maxJump..maxJump (maxJump = 2). Nothing
// else: no message is lost or delayed and no process pauses.
//   faultline check specs/clock-jump.buggy.ts                        # violates singleHolder
//   faultline check specs/clock-jump.buggy.ts --faults clockJump=0 -p maxSkew=2
//        # "expected a violation; it holds": skewed clocks alone are harmless here
//
// The invariant, singleHolder: at no time do two clients both believe they hold
// the lease.
//
// The fix (clock-jump.fixed.ts): measure the lease with the monotonic clock
// (`monotonic()`), which counts real ticks since the process started and is
// never stepped. Two words change.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'clock-jump.buggy',
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
        Granted: (_s, m, ctx) => ({ phase: 'holding' as const, expiresAt: ctx.now() + m.ttl }),
      },
      steps: {
        // The client's own idea of when its lease is over.
        release: (s, ctx) => (s.phase === 'holding' && ctx.now() >= s.expiresAt ? { ...s, phase: 'done' as const } : undefined),
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
  expect: { violates: 'singleHolder' },
});
