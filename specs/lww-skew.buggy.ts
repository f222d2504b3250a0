// Last-write-wins with skewed clocks — BUGGY: writes are ordered by time-of-day timestamps.
//
// The hazard. Two replicas hold one register and settle conflicting writes by
// "last write wins": every write carries a timestamp, and a replica keeps the
// write with the later one (ties broken by the writer's id), silently discarding
// the other. Here the timestamp is the writer's time-of-day clock, now(). Clocks
// are never exactly in step: replica1's may run a tick fast and replica2's a tick
// slow. Client A writes "a" at replica1; client B reads "a" at replica2 and, one
// tick later, writes "b". Write b causally follows a — B saw a before writing —
// yet its timestamp is *lower*, so last-write-wins keeps "a" and throws "b" away:
// a lost update, with every node up and every message delivered. Nothing failed;
// the clocks were merely within their normal error.
//
// The model. Timed mode: real time 0..maxTime (3 ticks); each replica's clock
// starts at any offset in ±maxSkew (1 tick) from real time — skew is part of the
// system model, not a fault. Faults allowed: one message dropped, one duplicated;
// any delivery order. Client A writes "a" at replica1 at t=0. Client B either
// reads at replica2 first and writes "b" one tick after the first value arrives
// there, or writes "b" at t=0 without reading (a write concurrent with A's, which
// last-write-wins may rightly discard). The invariant `causalWriteKept`: no replica
// discards a write in favour of one that the write causally follows (a ghost
// history records what each client read).
//
// The fix (specs/lww-skew.fixed.ts): Lamport timestamps. Each replica keeps a
// counter, raises it to every timestamp it receives, and stamps its own client's
// write with counter + 1. A write that causally follows another then always
// carries a larger timestamp, whatever the clocks say.
//
//   faultline check specs/lww-skew.buggy.ts                 # violates causalWriteKept
//   faultline check specs/lww-skew.buggy.ts -p maxSkew=0     # clocks in step: it holds
import { messages, observations, protocol } from 'faultline';
import { causalWriteKept, later, type Discard, type LwwObservations, type Stamp } from './lib/lww-skew.js';

/** The value each replica's client writes: replica1's client "a", replica2's "b". */
const VALUES = ['a', 'b'];

interface Replica {
  readonly value: string | null;
  readonly ts: Stamp | null;
  /** Client B (at replica2) reads before it writes: it waits for a value to read. */
  readonly readsFirst: boolean;
  /** What this replica's client read before writing (its write causally follows that write). */
  readonly read: string | null;
}

export default protocol({
  name: 'lww-skew.buggy',
  params: { maxSkew: 1, maxTime: 3 },
  messages: messages<{ Replicate: { value: string; ts: Stamp } }>(),
  observations: observations<LwwObservations>(),
  nodes: { replica: 2 },
  roles: (role) => ({
    replica: role({
      clock: true,
      init: (ctx): Replica => {
        // Client A writes at once, without reading. Client B either reads first
        // (its write then causally follows what it read) or also writes at once,
        // without reading (a write concurrent with A's).
        const readsFirst = ctx.index === 2 && ctx.choose([true, false]);
        if (!readsFirst) ctx.setTimer('write', 0);
        return { value: null, ts: null, readsFirst, read: null };
      },
      on: {
        Replicate: (s, m, ctx) => {
          if (s.readsFirst && s.read === null) {
            ctx.setTimer('write', 1); // B reads the value, and writes one tick later
            s = { ...s, read: m.value };
          }
          return lww(s, m.value, m.ts, ctx);
        },
      },
      timers: {
        write: (s, ctx) => {
          const value = VALUES[ctx.index - 1]!;
          const ts: Stamp = [ctx.now(), ctx.self]; // the time-of-day clock: skewed
          ctx.observe('write', { value, ts, after: s.read });
          ctx.broadcast('replica', { type: 'Replicate', value, ts });
          return lww(s, value, ts, ctx);
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxSkew: p.maxSkew }),
  faults: { drop: 1, duplicate: 1 },
  invariants: {
    causalWriteKept: (w) => causalWriteKept(w.observed('write'), w.observed('discard')),
  },
  expect: { violates: 'causalWriteKept' },
});

/** Last write wins: keep whichever of the held write and the incoming one has the later stamp. */
function lww(s: Replica, value: string, ts: Stamp, ctx: { readonly self: string; observe(key: 'discard', d: Discard): void }): Replica {
  if (s.value === null || s.ts === null || later(ts, s.ts)) return { ...s, value, ts };
  if (s.value !== value) ctx.observe('discard', { at: ctx.self, kept: s.value, dropped: value });
  return s;
}
