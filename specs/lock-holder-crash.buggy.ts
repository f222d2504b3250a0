// Lock holder crash — the BUGGY version (the fix: lock-holder-crash.fixed.ts).
//
// The hazard. A lock service hands a lock to one client at a time and queues the
// others until the holder releases it. If the holder crashes while it holds the
// lock, the release never comes: the lock service still records the dead client
// as the holder, and every client queued behind it waits forever. Nothing is
// wrong with any single step — no two clients ever hold the lock — yet the system
// stops making progress. Waiting for a lock is a liveness property, and a lock
// that only its holder can give back fails it the first time a holder dies.
//
// The model. Nodes `lock`, `client1`, `client2`, async mode. Each client acquires
// the lock once (step `acquire`: it sends Acquire and waits), holds it, and
// releases it (step `release`). The lock service grants the lock when it is free
// and otherwise queues the request; a Release from the holder hands the lock to
// the first client in the queue. The lock service keeps its table on disk (as
// ZooKeeper or etcd do), so it survives its own crash.
//
// Faults allowed: one crash (`crash: 1`), crash-recover. The lock service keeps
// its table on disk and comes back. A client keeps nothing on disk: restarted,
// it is a new process that has lost the job that needed the lock, and it does
// not ask again (a crash-stop client would do as well: the point is that the
// holder's release never comes).
//   faultline check specs/lock-holder-crash.buggy.ts                 # violates client1GetsLock
//   faultline check specs/lock-holder-crash.buggy.ts --faults crash=0
//        # "expected a violation …; it holds": with no crash every waiter is served
//
// The properties, client1GetsLock and client2GetsLock (`leadsTo`): whenever a
// client waits for the lock, it eventually holds it — unless it crashes itself
// (waiting ~> holding or crashed). Fairness is the protocol default: every message
// is eventually delivered, every enabled step (a holder's release) eventually
// happens, a crashed node eventually restarts; faults are never obliged. The
// counterexample: both ask, the lock service grants client2 the lock and queues
// client1, client2 crashes holding it and comes back as a new process — and the
// behaviour halts, client1 waiting for a release that will never be sent.
//
// The fix (lock-holder-crash.fixed.ts): grant the lock as a lease that expires.
// The lock service arms a timer with every grant; when it fires before the
// holder's release, the lock passes to the next client in the queue.
import { messages, protocol } from 'faultline';

/** The lock service's table: the holder and the queue of waiting clients. */
interface Table {
  readonly holder: string | null;
  readonly queue: readonly string[];
}

export default protocol({
  name: 'lock-holder-crash.buggy',
  messages: messages<{ Acquire: {}; Granted: {}; Release: {} }>(),
  nodes: { lock: 1, client: 2 },
  roles: (role) => ({
    lock: role({
      durable: (): Table => ({ holder: null, queue: [] }),
      init: (ctx): Table => ctx.durable,
      recover: (d): Table => d,
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder === null) return grant(s, ctx.from, ctx);
          if (s.holder === ctx.from || s.queue.includes(ctx.from)) return s;
          return save({ ...s, queue: [...s.queue, ctx.from] }, ctx);
        },
        Release: (s, _m, ctx) => {
          if (s.holder !== ctx.from) return s;
          const [next, ...queue] = s.queue;
          if (next === undefined) return save({ holder: null, queue }, ctx);
          return grant({ holder: null, queue }, next, ctx);
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
  expect: { violates: 'client1GetsLock' },
});

/** The table on disk, then in memory. */
function save(t: Table, ctx: { persist(d: Table): void }): Table {
  ctx.persist(t);
  return t;
}

/** Hands the lock to `client`. */
function grant(t: Table, client: string, ctx: { persist(d: Table): void; send(to: string, m: { type: 'Granted' }): void }): Table {
  ctx.send(client, { type: 'Granted' });
  return save({ ...t, holder: client }, ctx);
}
