// Convergence — the BUGGY version (the fix: convergence.fixed.ts).
//
// The hazard. Two replicas of one register each accepted a different write while
// they could not talk (replica1 has "red", replica2 "blue"). Now they gossip: a
// replica sends its value to the other whenever it changes, and a replica that
// hears a value different from its own adopts it — "the latest news wins" — and
// passes it on. But "latest" here means "latest to arrive", and the two replicas
// disagree about that: each adopts the other's value at the same moment, each
// passes on what it just adopted, and they swap again, forever. Sometimes, in
// other interleavings, they do agree for a moment, and then a value still in
// flight changes one of them back. Eventual consistency promises convergence:
// once the writes stop, the replicas eventually agree — and stay agreed. That is
// "eventually always" (<>[]P), a liveness property, and it is stronger than
// "agree again and again" ([]<>P): a system that keeps flapping into and out of
// agreement does not converge.
//
// The model. Nodes `replica1`, `replica2`, async mode. Each starts with its own
// write, not yet sent (`dirty`). Step `gossip`: a replica whose value changed
// since it last sent it sends it to the other. Only changes are sent, so at most
// two values are ever in flight and the state space is finite.
//
// Faults allowed: none. Concurrency alone does it.
//   faultline check specs/convergence.buggy.ts               # violates converged
//
// The property, converged (`eventuallyAlways`): along every fair behaviour, from
// some point on, both replicas hold the same value forever. Fairness is the
// protocol default: every message is eventually delivered, every enabled step
// (a pending gossip) eventually happens. The counterexample is a lasso from the
// very first state: both send, both adopt the other's value, both send again,
// both adopt again — and they are back where they started.
//
// The fix (convergence.fixed.ts): merge, do not overwrite. Each write carries a
// version — the writer's timestamp and, to break ties, its replica id (last
// writer wins) — and a replica adopts a value only if its version is greater.
// Both replicas then pick the same winner whatever the order of arrival, and the
// loser is never passed on again. Any merge that is commutative, associative and
// idempotent (a CRDT's join) converges the same way.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'convergence.buggy',
  messages: messages<{ Value: { data: string } }>(),
  nodes: { replica: 2 },
  roles: (role) => ({
    replica: role({
      // Each replica took its own client's write while the two could not talk.
      init: (ctx) => ({ data: ctx.index === 1 ? 'red' : 'blue', dirty: true }),
      on: {
        // A different value: adopt it (the latest to arrive wins) and pass it on.
        Value: (s, m) => (m.data === s.data ? s : { data: m.data, dirty: true }),
      },
      steps: {
        gossip: (s, ctx) => {
          if (!s.dirty) return undefined;
          ctx.broadcast('replica', { type: 'Value', data: s.data });
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
  expect: { violates: 'converged' },
});
