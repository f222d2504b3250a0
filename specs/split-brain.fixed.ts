// Split brain — FIXED: a leader needs the votes of a majority, and a node votes once per term.
//
// The hazard (see specs/split-brain.buggy.ts). A follower that stops hearing from
// the leader cannot tell a dead leader from a partition, and every follower cut off
// from the leader draws the same conclusion at the same time; if each simply makes
// itself leader of the next term, a partition gives that term two leaders, each
// accepting writes as its one authority: split brain.
//
// The fix: majority quorums and terms ("the truth is defined by the majority"). A
// follower that times out becomes a *candidate* for the next term, votes for itself
// and asks the others for their votes; it leads the term only once a majority
// (2 of 3) have voted for it. A node votes at most once per term, and writes its
// term and vote to disk before sending the vote, so not even a crash and restart
// lets it vote twice. Any two majorities share a node, so a term has at most one
// leader. A node that hears of a newer term adopts it; a leader that does steps down.
// The deposed node1, cut off on the minority side, may still believe it leads
// term 1 — but a term-1 leader cannot gather a majority of anything any more: the
// majority has moved on to term 2.
//
// The model is the buggy spec's: timed mode, real time 0..maxTime (6 ticks), a
// synchronous network (maxDelay 1), heartbeats every tick, a timeout of 3 ticks;
// node1 starts as the leader of term 1, elected with every node's vote. Faults
// allowed: one partition (any bipartition, which may heal). It holds, and a new
// leader is actually elected after the fault (`newLeaderElected`, reachable).
// Larger: `--faults partition=1,crash=1` (about a million states, ~1 min) proves
// the votes survive a crash; `-p maxTime=7` explores a tick longer.
//
//   faultline check specs/split-brain.fixed.ts
//   faultline check specs/split-brain.fixed.ts --faults crash=1      # ~1M states
import { messages, observations, protocol } from 'faultline';
import { oneLeaderPerTerm, type SplitBrainObservations } from './lib/split-brain.js';

interface Node {
  /** The latest term this node knows of. */
  readonly term: number;
  /** The leader it follows in that term (itself when it leads), or null. */
  readonly leader: string | null;
  /** Whom it voted for in that term (at most one node per term), or null. */
  readonly votedFor: string | null;
  /** As a candidate: the nodes that voted for it in this term. */
  readonly votes: readonly string[];
}

/** What survives a crash: the term and the vote cast in it. */
interface Vote {
  readonly term: number;
  readonly votedFor: string | null;
}

export default protocol({
  name: 'split-brain.fixed',
  params: { nodes: 3, timeout: 3, maxTime: 6 },
  messages: messages<{ Heartbeat: { term: number }; RequestVote: { term: number }; Vote: { term: number } }>(),
  observations: observations<SplitBrainObservations>(),
  nodes: (p) => ({ node: p.nodes }),
  roles: (role) => ({
    node: role({
      // node1 was elected leader of term 1 with everyone's vote.
      durable: (): Vote => ({ term: 1, votedFor: 'node1' }),
      init: (ctx): Node => {
        // node1 leads term 1 and sends a heartbeat every tick; the others follow it.
        if (ctx.index === 1) {
          ctx.observe('leader', { term: 1, node: ctx.self });
          ctx.broadcast('node', { type: 'Heartbeat', term: 1 });
          ctx.setTimer('heartbeat', 1);
        } else {
          ctx.setTimer('election', ctx.params.timeout);
        }
        return { term: 1, leader: 'node1', votedFor: 'node1', votes: [] };
      },
      recover: (d, ctx): Node => {
        ctx.setTimer('election', ctx.params.timeout);
        return { term: d.term, leader: null, votedFor: d.votedFor, votes: [] };
      },
      on: {
        Heartbeat: (s, m, ctx) => {
          if (m.term < s.term) return s; // from a deposed leader: ignore it
          ctx.cancelTimer('heartbeat'); // a leader that hears of a newer one steps down
          ctx.setTimer('election', ctx.params.timeout); // the leader is alive: wait again
          return { ...newTerm(s, m.term, ctx), leader: ctx.from };
        },
        RequestVote: (s, m, ctx) => {
          if (m.term < s.term) return s;
          s = newTerm(s, m.term, ctx);
          if (s.votedFor !== null && s.votedFor !== ctx.from) return s; // one vote per term
          ctx.persist({ term: s.term, votedFor: ctx.from }); // on disk before the vote is sent
          ctx.send(ctx.from, { type: 'Vote', term: s.term });
          ctx.setTimer('election', ctx.params.timeout);
          return { ...s, votedFor: ctx.from };
        },
        Vote: (s, m, ctx) => {
          if (m.term !== s.term || s.leader !== null || s.votedFor !== ctx.self || s.votes.includes(ctx.from)) return s;
          const votes = [...s.votes, ctx.from].sort();
          if (2 * votes.length <= ctx.params.nodes) return { ...s, votes };
          // A majority voted for it in this term: it leads the term.
          ctx.observe('leader', { term: s.term, node: ctx.self });
          ctx.broadcast('node', { type: 'Heartbeat', term: s.term });
          ctx.setTimer('heartbeat', 1);
          ctx.cancelTimer('election');
          return { ...s, leader: ctx.self, votes };
        },
      },
      timers: {
        heartbeat: (s, ctx) => {
          ctx.broadcast('node', { type: 'Heartbeat', term: s.term });
          ctx.setTimer('heartbeat', 1);
          return s;
        },
        election: (s, ctx) => {
          // No heartbeat for `timeout` ticks: stand for election in a new term,
          // voting for itself; it leads only once a majority has voted for it.
          const term = s.term + 1;
          ctx.persist({ term, votedFor: ctx.self });
          ctx.broadcast('node', { type: 'RequestVote', term });
          ctx.setTimer('election', ctx.params.timeout); // no majority in time: try a later term
          return { term, leader: null, votedFor: ctx.self, votes: [ctx.self] };
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
  sometimes: {
    // After the fault, a new leader is elected by a majority.
    newLeaderElected: (w) => w.observed('leader').some((l) => l.term > 1),
  },
  expect: 'holds',
});

/** The node's state in `term`: a newer term than its own clears its leader and vote. */
function newTerm(s: Node, term: number, ctx: { persist(d: Vote): void; cancelTimer(t: 'heartbeat'): void }): Node {
  if (term === s.term) return s;
  ctx.persist({ term, votedFor: null });
  ctx.cancelTimer('heartbeat');
  return { term, leader: null, votedFor: null, votes: [] };
}
