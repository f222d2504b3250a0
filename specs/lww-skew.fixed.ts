// Last-write-wins with skewed clocks — FIXED: writes are ordered by Lamport timestamps.
//
// The hazard (see specs/lww-skew.buggy.ts). Two replicas settle conflicting writes
// by "last write wins": a replica keeps the write with the later timestamp (ties
// broken by the writer's id). With time-of-day timestamps, skewed clocks can give
// a write that causally follows another — its client read the first value before
// writing — a lower timestamp, and last-write-wins silently discards it.
//
// The fix: Lamport timestamps. Each replica keeps a counter; it raises the counter
// to the timestamp of every write it receives, and stamps its own client's write
// with counter + 1. A write that causally follows another therefore always carries
// a strictly larger timestamp, whatever the clocks say, and last-write-wins only
// ever arbitrates between concurrent writes — which is what it is for. (A version
// number per register, incremented by every read-modify-write, is the same idea.)
// The clocks are still skewed in this model, but nothing reads them any more.
//
// The model is the buggy spec's. Timed mode, real time 0..maxTime (3 ticks), each
// clock offset anywhere in ±maxSkew (1 tick); faults allowed: one message dropped,
// one duplicated; any delivery order. Client A writes "a" at replica1 at t=0;
// client B either reads at replica2 first and writes "b" one tick after the first
// value arrives, or writes "b" at t=0 without reading. It holds: no replica ever
// discards a write in favour of one that the write causally follows. It is not
// vacuous: B's write "b", made after reading "a", ends up at both replicas
// (`laterWriteWins`), and some concurrent write does get discarded
// (`concurrentWriteDiscarded`).
//
//   faultline check specs/lww-skew.fixed.ts
//   faultline check specs/lww-skew.fixed.ts -p maxSkew=3 -p maxTime=5 --faults drop=2,duplicate=2
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
  /** The Lamport clock: at least every timestamp this replica has seen. */
  readonly clock: number;
}

export default protocol({
  name: 'lww-skew.fixed',
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
        return { value: null, ts: null, readsFirst, read: null, clock: 0 };
      },
      on: {
        Replicate: (s, m, ctx) => {
          if (s.readsFirst && s.read === null) {
            ctx.setTimer('write', 1); // B reads the value, and writes one tick later
            s = { ...s, read: m.value };
          }
          return lww({ ...s, clock: Math.max(s.clock, m.ts[0]) }, m.value, m.ts, ctx);
        },
      },
      timers: {
        write: (s, ctx) => {
          const value = VALUES[ctx.index - 1]!;
          const clock = s.clock + 1;
          const ts: Stamp = [clock, ctx.self]; // the Lamport clock: past everything seen
          ctx.observe('write', { value, ts, after: s.read });
          ctx.broadcast('replica', { type: 'Replicate', value, ts });
          return lww({ ...s, clock }, value, ts, ctx);
        },
      },
    }),
  }),
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxSkew: p.maxSkew }),
  faults: { drop: 1, duplicate: 1 },
  invariants: {
    causalWriteKept: (w) => causalWriteKept(w.observed('write'), w.observed('discard')),
  },
  sometimes: {
    // B read "a", wrote "b", and "b" won at both replicas.
    laterWriteWins: (w) => w.observed('write').some((x) => x.after === 'a') && w.nodes('replica').every((n) => n.state?.value === 'b'),
    // Last-write-wins did discard a write somewhere (one of two concurrent writes).
    concurrentWriteDiscarded: (w) => w.observed('discard').length > 0,
  },
  expect: 'holds',
});

/** Last write wins: keep whichever of the held write and the incoming one has the later stamp. */
function lww(s: Replica, value: string, ts: Stamp, ctx: { readonly self: string; observe(key: 'discard', d: Discard): void }): Replica {
  if (s.value === null || s.ts === null || later(ts, s.ts)) return { ...s, value, ts };
  if (s.value !== value) ctx.observe('discard', { at: ctx.self, kept: s.value, dropped: value });
  return s;
}
