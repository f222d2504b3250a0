// A lease-based lock, and the process-pause hazard (Kleppmann, "How to do
// distributed locking"): a client checks that its lease is still valid, then
// writes. Local steps are prompt, so without faults the write follows the check at
// the same instant and the invariant holds. A process pause between the check and
// the write lets the lease expire (and another client take the lock) before the
// write happens.
//
//   faultline check specs/protocol-examples/lease.ts                 # holds (pause 0)
//   faultline check specs/protocol-examples/lease.ts --faults pause=1 # violated
import { messages, observations, protocol } from 'faultline';

export default protocol({
  name: 'lease',
  params: { clients: 2, lease: 2 },
  messages: messages<{
    Acquire: {};
    Granted: { until: number };
    Denied: {};
    Write: { token: number };
  }>(),
  observations: observations<{ write: { by: string; at: number; until: number } }>(),
  nodes: (p) => ({ lock: 1, client: p.clients, storage: 1 }),
  roles: (role) => ({
    lock: role({
      clock: true,
      init: () => ({ holder: null as string | null, until: 0, token: 0 }),
      on: {
        Acquire: (s, _m, ctx) => {
          if (s.holder !== null && ctx.now() < s.until) {
            ctx.send(ctx.from, { type: 'Denied' });
            return s;
          }
          const until = ctx.now() + ctx.params.lease;
          ctx.send(ctx.from, { type: 'Granted', until });
          return { holder: ctx.from, until, token: s.token + 1 };
        },
      },
    }),
    client: role({
      clock: true,
      init: (ctx) => {
        ctx.send('lock', { type: 'Acquire' });
        return { until: -1, checked: false, wrote: false };
      },
      on: {
        Granted: (s, m) => ({ ...s, until: m.until }),
        Denied: (s, _m, ctx) => {
          ctx.setTimer('retry', 1);
          return s;
        },
      },
      timers: {
        retry: (s, ctx) => {
          ctx.send('lock', { type: 'Acquire' });
          return s;
        },
      },
      steps: {
        // check, then act: two local steps
        check: (s, ctx) => (!s.checked && !s.wrote && ctx.now() < s.until ? { ...s, checked: true } : undefined),
        write: (s, ctx) => {
          if (!s.checked) return undefined;
          ctx.observe('write', { by: ctx.self, at: ctx.now(), until: s.until });
          ctx.send('storage', { type: 'Write', token: s.until });
          return { ...s, checked: false, wrote: true };
        },
      },
    }),
    storage: role({
      init: () => ({ writes: 0 }),
      on: { Write: (s) => ({ writes: s.writes + 1 }) },
    }),
  }),
  time: { mode: 'timed', maxTime: 4 },
  faults: { pause: 0 },
  invariants: {
    writeWithinLease: (w) => {
      for (const x of w.observed('write')) {
        if (x.at >= x.until) return `${x.by} wrote at t=${x.at} with a lease that expired at t=${x.until}`;
      }
      return true;
    },
  },
  sometimes: { someoneWrites: (w) => w.observed('write').length > 0 },
});
