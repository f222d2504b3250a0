// Lock holder crash — FIXED: the lock is a lease that expires.
//
// The hazard (see specs/lock-holder-crash.buggy.ts). A lock that only its holder
// can give back is never given back when the holder crashes: the lock service
// keeps the dead client as the holder and every waiter waits forever.
//
// The fix: grant a lease, not a lock. The lock service arms a timer (`lease`)
// with every grant; if it fires before the holder's release, the lease has
// expired and the lock passes to the next client in the queue. A release from a
// client whose lease has expired is ignored. After its own crash the lock
// service re-arms the lease of the holder on its disk (the lease starts over:
// a conservative choice, it never cuts a lease short). In async mode the lease
// may also expire while its holder is alive and still working: two clients then
// each believe they hold the lock. That is the safety side of leases, and the
// reason storage must check fencing tokens (specs/lease-pause.fixed.ts); this
// pair is about progress only.
//
// The model is the buggy spec's plus the lease timer. Faults allowed: one crash,
// crash-recover (the lock service comes back with its table; a client comes back
// as a new process that does not ask again). It holds: every waiting client
// eventually holds the lock (or has crashed) — and a lease does expire on a
// crashed holder and the waiter gets the lock (`servedAfterCrash`, reachable).
//
//   faultline check specs/lock-holder-crash.fixed.ts
//   faultline check specs/lock-holder-crash.fixed.ts --faults crash=2
//        # two crashes (both clients, or the lock service twice): still holds, 1,913 states
//   faultline check specs/lock-holder-crash.fixed.ts --faults crash=1,drop=1
//        # violates client1GetsLock: a lost Acquire is never retried — a lease
//        # frees a lock, it does not replace retries (see lossy-request)
import { messages, observations, protocol } from 'faultline';

/** The lock service's table: the holder and the queue of waiting clients. */
interface Table {
  readonly holder: string | null;
  readonly queue: readonly string[];
}

export default protocol({
  name: 'lock-holder-crash.fixed',
  messages: messages<{ Acquire: {}; Granted: {}; Release: {} }>(),
  observations: observations<{
    /** The lease of this client expired before its release (the lock moved on without it). */
    expired: string;
  }>(),
  nodes: { lock: 1, client: 2 },
  roles: (role) => ({
    lock: role({
      durable: (): Table => ({ holder: null, queue: [] }),
      init: (ctx): Table => ctx.durable,
      recover: (d, ctx): Table => {
        if (d.holder !== null) ctx.setTimer('lease'); // the holder's lease starts over
        return d;
      },
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder === null) return grant(s, ctx.from, ctx);
          if (s.holder === ctx.from || s.queue.includes(ctx.from)) return s;
          return save({ ...s, queue: [...s.queue, ctx.from] }, ctx);
        },
        Release: (s, _m, ctx) => {
          if (s.holder !== ctx.from) return s; // its lease expired: the lock has moved on
          ctx.cancelTimer('lease');
          return handOn(s, ctx);
        },
      },
      timers: {
        // The holder's lease expired before its release: the lock moves on.
        lease: (s, ctx) => {
          if (s.holder !== null) ctx.observe('expired', s.holder);
          return handOn(s, ctx);
        },
      },
    }),
    client: role({
      durable: () => ({}), // nothing on disk
      init: () => ({ phase: 'idle' as 'idle' | 'waiting' | 'holding' | 'done' | 'restarted' }),
      // Restarted, it is a new process: the job that needed the lock is lost, and it does not ask again.
      recover: () => ({ phase: 'restarted' as const }),
      on: {
        Granted: (s) => (s.phase === 'waiting' ? { phase: 'holding' as const } : s),
      },
      steps: {
        acquire: (s, ctx) => {
          if (s.phase !== 'idle') return undefined;
          ctx.send('lock', { type: 'Acquire' });
          return { phase: 'waiting' as const };
        },
        release: (s, ctx) => {
          if (s.phase !== 'holding') return undefined;
          ctx.send('lock', { type: 'Release' });
          return { phase: 'done' as const };
        },
      },
    }),
  }),
  faults: { crash: 1 },
  leadsTo: {
    client1GetsLock: [(w) => w.node('client1').state?.phase === 'waiting', (w) => w.status('client1') === 'crashed' || w.node('client1').state?.phase === 'holding'],
    client2GetsLock: [(w) => w.node('client2').state?.phase === 'waiting', (w) => w.status('client2') === 'crashed' || w.node('client2').state?.phase === 'holding'],
  },
  sometimes: {
    // Not vacuous: a holder crashes, its lease expires, and the other client gets the lock.
    servedAfterCrash: (w) => {
      const gone = w.nodes('client').filter((c) => c.status === 'crashed' || c.state?.phase === 'restarted');
      const holder = w.nodes('client').find((c) => c.state?.phase === 'holding' && w.node('lock').state?.holder === c.id);
      return holder !== undefined && gone.some((c) => w.observed('expired').includes(c.id));
    },
  },
  expect: 'holds',
});

/** The table on disk, then in memory. */
function save(t: Table, ctx: { persist(d: Table): void }): Table {
  ctx.persist(t);
  return t;
}

type LockCtx = { persist(d: Table): void; send(to: string, m: { type: 'Granted' }): void; setTimer(t: 'lease'): void };

/** Hands the lock to `client`, as a lease. */
function grant(t: Table, client: string, ctx: LockCtx): Table {
  ctx.send(client, { type: 'Granted' });
  ctx.setTimer('lease');
  return save({ ...t, holder: client }, ctx);
}

/** The holder is done (released, or its lease expired): the first in the queue gets the lock. */
function handOn(t: Table, ctx: LockCtx): Table {
  const [next, ...queue] = t.queue;
  if (next === undefined) return save({ holder: null, queue }, ctx);
  return grant({ holder: null, queue }, next, ctx);
}
