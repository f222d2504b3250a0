// Convergence — FIXED: merge by version (last writer wins), do not overwrite.
//
// The hazard (see specs/convergence.fixed.ts). Two replicas that each took a
// different write gossip their values, and each adopts whatever it hears last:
// they swap values, pass the swapped values on, and swap back, forever. They
// never converge — and in some interleavings agree for a moment only to be
// pulled apart by a value still in flight.
//
// The fix: every write carries a version, the writer's timestamp and its replica
// id (to break ties between concurrent writes), and a replica adopts a value
// only if its version is greater than its own (last writer wins). Both replicas
// pick the same winner whatever order the gossip arrives in, and a replica never
// passes on a value that lost, so the swapping stops. (Last writer wins throws
// the losing write away — here "red", written at the same time as "blue" — which
// is its own hazard: see specs/lww-skew.buggy.ts. Any commutative, associative,
// idempotent merge — a CRDT's join — converges the same way and may keep both.)
//
// The model is the buggy spec's, the values versioned: both writes at time 1,
// so the replica id decides. Faults allowed: none. It holds: along every fair
// behaviour the replicas end up agreeing for good.
//   faultline check specs/convergence.fixed.ts
//   faultline check specs/convergence.fixed.ts --faults duplicate=1
//        # a duplicated Value changes nothing: the merge is idempotent (holds)
//   faultline check specs/convergence.fixed.ts --faults drop=1
//        # violates converged: a lost update is never sent again — gossip that
//        # only sends changes needs periodic anti-entropy to survive a loss
import { messages, protocol } from 'faultline';

/** A value and its version: the writer's timestamp, then its id to break ties. */
interface Versioned {
  readonly data: string;
  readonly ts: number;
  readonly by: string;
}

/** Whether version a is greater than version b (last writer wins, ties by replica id). */
const newer = (a: Versioned, b: Versioned): boolean => a.ts > b.ts || (a.ts === b.ts && a.by > b.by);

export default protocol({
  name: 'convergence.fixed',
  messages: messages<{ Value: Versioned }>(),
  nodes: { replica: 2 },
  roles: (role) => ({
    replica: role({
      // Each replica took its own client's write while the two could not talk.
      // Both writes happened at time 1: concurrent, so the replica id decides.
      init: (ctx) => ({ data: ctx.index === 1 ? 'red' : 'blue', ts: 1, by: ctx.self, dirty: true }),
      on: {
        // A newer version: adopt it and pass it on. An older or equal one: ignore it.
        Value: (s, m) => (newer(m, s) ? { data: m.data, ts: m.ts, by: m.by, dirty: true } : s),
      },
      steps: {
        gossip: (s, ctx) => {
          if (!s.dirty) return undefined;
          ctx.broadcast('replica', { type: 'Value', data: s.data, ts: s.ts, by: s.by });
          return { ...s, dirty: false };
        },
      },
    }),
  }),
  eventuallyAlways: {
    converged: (w) => {
      const [a, b] = w.nodes('replica');
      return a!.state!.data === b!.state!.data || `replica1 has ${a!.state!.data}, replica2 ${b!.state!.data}`;
    },
  },
  expect: 'holds',
});
