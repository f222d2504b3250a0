// Split brain — BUGGY: a node that stops hearing from the leader makes itself leader.
//
// The hazard. Three nodes; node1 leads term 1 and sends a heartbeat every tick. A
// follower that hears nothing for `timeout` ticks concludes that the leader is dead
// and takes over: it makes itself leader of the next term and starts sending
// heartbeats. But "I stopped hearing from the leader" is all a node can know, and
// every follower that stops hearing draws the same conclusion at the same time. A
// partition that cuts node1 off from node2 and node3 silences both; each declares
// itself leader of term 2, and each would now accept writes as the one authority of
// that term — split brain. (Meanwhile node1, cut off, still believes it leads term 1.)
//
// The model. Timed mode, real time 0..maxTime (6 ticks), a synchronous network
// (maxDelay 1: a message is delivered within one tick unless a fault intervenes), so
// without a fault every follower hears a heartbeat at least every 2 ticks and the
// timeout of 3 never fires: with `--faults partition=0` the spec holds. Faults
// allowed: one partition (any bipartition of the three nodes; it may heal). The
// invariant `oneLeaderPerTerm`: no two nodes ever become leader of the same term.
//
// The fix (specs/split-brain.fixed.ts): majority quorums and terms. A node that
// times out only becomes a *candidate* for a new term; it leads only once a
// majority of the nodes have voted for it, and a node votes at most once per term
// (its vote is written to disk before it is sent, so a crash cannot make it vote
// twice). Two majorities of one cluster always share a node, so two leaders of one
// term would need that node to vote twice.
//
//   faultline check specs/split-brain.buggy.ts                        # violates oneLeaderPerTerm
//   faultline check specs/split-brain.buggy.ts --faults partition=0   # no partition: it holds
import { messages, observations, protocol } from 'faultline';
import { oneLeaderPerTerm, type SplitBrainObservations } from './lib/split-brain.js';

interface Node {
  /** The latest term this node knows of. */
  readonly term: number;
  /** The leader it follows in that term (itself when it leads), or null. */
  readonly leader: string | null;
}

export default protocol({
  name: 'split-brain.buggy',
  params: { nodes: 3, timeout: 3, maxTime: 6 },
  messages: messages<{ Heartbeat: { term: number } }>(),
  observations: observations<SplitBrainObservations>(),
  nodes: (p) => ({ node: p.nodes }),
  roles: (role) => ({
    node: role({
      init: (ctx): Node => {
        // node1 leads term 1 and sends a heartbeat every tick; the others follow it.
        if (ctx.index === 1) {
          ctx.observe('leader', { term: 1, node: ctx.self });
          ctx.broadcast('node', { type: 'Heartbeat', term: 1 });
          ctx.setTimer('heartbeat', 1);
        } else {
          ctx.setTimer('election', ctx.params.timeout);
        }
        return { term: 1, leader: 'node1' };
      },
      on: {
        Heartbeat: (s, m, ctx) => {
          if (m.term < s.term) return s; // from a deposed leader: ignore it
          ctx.cancelTimer('heartbeat'); // a leader that hears of a newer one steps down
          ctx.setTimer('election', ctx.params.timeout); // the leader is alive: wait again
          return { term: m.term, leader: ctx.from };
        },
      },
      timers: {
        heartbeat: (s, ctx) => {
          ctx.broadcast('node', { type: 'Heartbeat', term: s.term });
          ctx.setTimer('heartbeat', 1);
          return s;
        },
        election: (s, ctx) => {
          // No heartbeat for `timeout` ticks: the leader must be dead, so take over.
          const term = s.term + 1;
          ctx.observe('leader', { term, node: ctx.self });
          ctx.broadcast('node', { type: 'Heartbeat', term });
          ctx.setTimer('heartbeat', 1);
          return { term, leader: ctx.self };
        },
      },
    }),
  }),
  // A heartbeat arrives within 1 tick unless a fault intervenes, so a follower
  // hears one at least every 2 ticks and a timeout of 3 never fires without a fault.
  time: (p) => ({ mode: 'timed', maxTime: p.maxTime, maxDelay: 1 }),
  faults: { partition: 1 },
  invariants: {
    oneLeaderPerTerm: (w) => oneLeaderPerTerm(w.observed('leader')),
  },
  expect: { violates: 'oneLeaderPerTerm' },
});
