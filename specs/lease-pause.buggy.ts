// Lease and process pause — the BUGGY version (the fix: lease-pause.fixed.ts).
//
// The hazard. A lock service hands out leases: "you hold the lock for the next 2
// ticks". A client checks that its lease is still valid and then writes to
// storage. Between the check and the write the client's process is paused — a
// stop-the-world GC, a VM migration, a swapped-out page — for longer than the
// lease. The lease expires, the lock service gives the lock to the next client,
// which writes. Then the first client wakes up, still sure of its lease (it
// checked!), and writes too: storage accepts the stale write after the new
// holder's, and the new holder's data is overwritten (Kleppmann, "How to do
// distributed locking", 2016).
//
// The model. Nodes: `lock` (the lock service; it queues requests and times each
// lease with a timer, so its idea of expiry is exact), `client1`, `client2` and
// `storage`. Every client asks for the lock once and writes once. Time is
// discrete (timed mode) and the network is fast: a message is delivered in the
// tick it was sent (`maxDelay: 0`). Local steps are prompt, so without faults a
// client's check and write happen at the same instant, within its lease. The
// client measures its lease with its monotonic clock: this spec is about pauses,
// not clocks (see clock-jump.*.ts for that).
//
// Faults allowed: one process pause (`pause: 1`) of the lock service or a
// client (storage does not pause: see `constraint` below). Nothing else: no
// message is lost, delayed or duplicated, and no clock is wrong.
//   faultline check specs/lease-pause.buggy.ts                       # violates writesInLeaseOrder
//   faultline check specs/lease-pause.buggy.ts --faults pause=0      # "expected a violation; it holds"
//   faultline check specs/lease-pause.buggy.ts --faults pause=0,delay=1
//        # the same story without a pause: the Write is delayed in the network
//
// The invariant, writesInLeaseOrder: storage never accepts a write made under a
// lease after it accepted a write made under a later lease. (Leases are numbered
// in the order the lock service grants them; each client gets at most one.)
//
// The fix (lease-pause.fixed.ts): fencing tokens. The lock service hands out a
// token with every lease, one higher each time; the client sends its token with
// the write; storage remembers the highest token it has seen and rejects a write
// with a lower one. The pause still happens, the stale client still writes — and
// storage says no.
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'lease-pause.buggy',
  params: { clients: 2, lease: 2, maxTime: 3 },
  messages: messages<{
    Acquire: {};
    Granted: { ttl: number };
    Write: { data: string };
  }>(),
  observations: observations<{
    /** The lock service granted a lease to this client (the n-th grant is lease n). */
    grant: string;
    /** Storage accepted a write from this client. */
    accepted: string;
  }>(),
  nodes: (p) => ({ lock: 1, client: p.clients, storage: 1 }),
  roles: (role) => ({
    lock: role({
      init: () => ({ holder: null as string | null, queue: [] as string[] }),
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder !== null) return { ...s, queue: [...s.queue, ctx.from] };
          ctx.send(ctx.from, { type: 'Granted', ttl: ctx.params.lease });
          ctx.setTimer('expire', ctx.params.lease);
          ctx.observe('grant', ctx.from);
          return { ...s, holder: ctx.from };
        },
      },
      timers: {
        // The lease is over: the lock goes to the next client in the queue.
        expire: (s, ctx) => {
          const [next, ...rest] = s.queue;
          if (next === undefined) return { ...s, holder: null };
          ctx.send(next, { type: 'Granted', ttl: ctx.params.lease });
          ctx.setTimer('expire', ctx.params.lease);
          ctx.observe('grant', next);
          return { holder: next, queue: rest };
        },
      },
    }),
    client: role({
      clock: true,
      init: (ctx) => {
        ctx.send('lock', { type: 'Acquire' });
        return { expiresAt: null as number | null, checked: false, wrote: false };
      },
      on: {
        Granted: (s, m, ctx) => ({ ...s, expiresAt: ctx.monotonic() + m.ttl }),
      },
      steps: {
        // if (lease.isValid()) storage.write(data) — as two steps, because a
        // process can be paused between any two instructions.
        check: (s, ctx) =>
          !s.checked && !s.wrote && s.expiresAt !== null && ctx.monotonic() < s.expiresAt ? { ...s, checked: true } : undefined,
        write: (s, ctx) => {
          if (!s.checked) return undefined;
          ctx.send('storage', { type: 'Write', data: ctx.self });
          return { ...s, checked: false, wrote: true };
        },
      },
    }),
    storage: role({
      init: () => ({ data: null as string | null }),
      on: {
        Write: (_s, m, ctx) => {
          ctx.observe('accepted', ctx.from);
          return { data: m.data };
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 0 }),
  faults: { pause: 1 },
  // Only the lock service and the clients pause. A paused storage, with writes
  // waiting in its buffers and handled in any order when it resumes, is the
  // network-delay variant of this story (--faults delay=1 shows it).
  // Without this line the shortest counterexample (as long as this one) pauses
  // storage instead of client1.
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
  },
  // The clients are interchangeable: --symmetry counts worlds equal up to renaming them once.
  symmetry: ['client'],
  expect: { violates: 'writesInLeaseOrder' },
});
