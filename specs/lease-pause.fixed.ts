// Lease and process pause — the FIXED version (the hazard: lease-pause.buggy.ts).
//
// The hazard. A client checks that its lease is valid, is paused (GC, VM
// suspend) before it writes, its lease expires, the lock service gives the lock
// to the next client, which writes; the first client wakes up and writes too,
// overwriting the newer holder's data. A lease alone cannot prevent this: the
// paused client cannot know it was paused, and no check it makes before the
// write closes the gap between the check and the write.
//
// The fix: fencing tokens. The lock service hands out a token with every lease,
// one higher than the last (the lease's number). The client sends its token with
// each write, and storage — the resource itself — remembers the highest token it
// has seen and rejects a write with a lower one. The client's code is unchanged
// except that it passes the token on; the safety moves to the one place that sees
// every write.
//
// The model and the faults are those of the buggy spec: a lock service with a
// queue that times leases exactly, two clients that each take the lock once and
// write once, a fast network (maxDelay: 0), and one process pause of the lock
// service or a client (pause: 1). The pause still happens and the stale write
// still arrives — the `staleWriteRejected` property below shows storage turning
// it away.
//   faultline check specs/lease-pause.fixed.ts                        # holds
//   faultline check specs/lease-pause.fixed.ts --faults pause=2,delay=1
//        # two pauses and a delayed message: still holds (a larger space)
//   faultline check specs/lease-pause.fixed.ts -p clients=3 -p maxTime=6
//
// The invariant, writesInLeaseOrder: storage never accepts a write made under a
// lease after it accepted a write made under a later lease.
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'lease-pause.fixed',
  params: { clients: 2, lease: 2, maxTime: 3 },
  messages: messages<{
    Acquire: {};
    Granted: { ttl: number; token: number };
    Write: { data: string; token: number };
  }>(),
  observations: observations<{
    /** The lock service granted a lease to this client (the n-th grant is lease n). */
    grant: string;
    /** Storage accepted a write from this client. */
    accepted: string;
    /** Storage rejected a write from this client: its token was too old. */
    rejected: string;
  }>(),
  nodes: (p) => ({ lock: 1, client: p.clients, storage: 1 }),
  roles: (role) => ({
    lock: role({
      init: () => ({ holder: null as string | null, queue: [] as string[], token: 0 }),
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder !== null) return { ...s, queue: [...s.queue, ctx.from] };
          ctx.send(ctx.from, { type: 'Granted', ttl: ctx.params.lease, token: s.token + 1 });
          ctx.setTimer('expire', ctx.params.lease);
          ctx.observe('grant', ctx.from);
          return { ...s, holder: ctx.from, token: s.token + 1 };
        },
      },
      timers: {
        // The lease is over: the lock goes to the next client in the queue.
        expire: (s, ctx) => {
          const [next, ...rest] = s.queue;
          if (next === undefined) return { ...s, holder: null };
          ctx.send(next, { type: 'Granted', ttl: ctx.params.lease, token: s.token + 1 });
          ctx.setTimer('expire', ctx.params.lease);
          ctx.observe('grant', next);
          return { holder: next, queue: rest, token: s.token + 1 };
        },
      },
    }),
    client: role({
      clock: true,
      init: (ctx) => {
        ctx.send('lock', { type: 'Acquire' });
        return { expiresAt: null as number | null, token: 0, checked: false, wrote: false };
      },
      on: {
        Granted: (s, m, ctx) => ({ ...s, expiresAt: ctx.monotonic() + m.ttl, token: m.token }),
      },
      steps: {
        // if (lease.isValid()) storage.write(data) — as two steps, because a
        // process can be paused between any two instructions.
        check: (s, ctx) =>
          !s.checked && !s.wrote && s.expiresAt !== null && ctx.monotonic() < s.expiresAt ? { ...s, checked: true } : undefined,
        write: (s, ctx) => {
          if (!s.checked) return undefined;
          ctx.send('storage', { type: 'Write', data: ctx.self, token: s.token });
          return { ...s, checked: false, wrote: true };
        },
      },
    }),
    storage: role({
      init: () => ({ data: null as string | null, maxToken: 0 }),
      on: {
        Write: (s, m, ctx) => {
          // The fence: a write from an older lease than one already seen is refused.
          if (m.token < s.maxToken) {
            ctx.observe('rejected', ctx.from);
            return s;
          }
          ctx.observe('accepted', ctx.from);
          return { data: m.data, maxToken: m.token };
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 0 }),
  faults: { pause: 1 },
  // Only the lock service and the clients pause. A paused storage, with writes
  // waiting in its buffers and handled in any order when it resumes, is the
  // network-delay variant of this story (--faults delay=1 shows it).
  // Fencing holds with storage pauses too: without this line, 592 states, all safe.
  constraint: (w) => w.status('storage') !== 'paused',
  invariants: {
    writesInLeaseOrder: (w) => {
      const grants = w.observed('grant');
      let newest = -1;
      for (const by of w.observed('accepted')) {
        const lease = grants.indexOf(by);
        if (lease < newest) {
          return `storage accepted ${by}'s write (lease #${lease + 1}, expired) after ${grants[newest]}'s write under lease #${newest + 1}`;
        }
        newest = Math.max(newest, lease);
      }
      return true;
    },
  },
  sometimes: {
    someWriteAccepted: (w) => w.observed('accepted').length > 0,
    leaseChangesHands: (w) => w.observed('grant').length > 1,
    staleWriteRejected: (w) => w.observed('rejected').length > 0,
  },
  // The clients are interchangeable: --symmetry counts worlds equal up to renaming them once.
  symmetry: ['client'],
  expect: 'holds',
});
