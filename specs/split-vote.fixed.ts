// Split vote — FIXED: candidates are ranked, and a lower-ranked one defers.
//
// The hazard (see specs/split-vote.buggy.ts). Two candidates with identical
// election timeouts stand at the same moment, each votes for itself and refuses
// the other, both time out again together, and the vote splits in every term:
// no leader, ever, with no fault at all (a livelock).
//
// The fix: rank the candidates (here by id: node1 outranks node2) and break the
// tie with the rank. A vote now says whom it went to, so a candidate that lost an
// election learns who else stood. A candidate that lost to a split in which a
// higher-ranked node stood does not stand again: it keeps its timer stopped and
// waits for that node's request of the next term, and votes for it. The
// highest-ranked candidate never defers, so it stands again alone and wins. (Raft
// gets the same effect with randomised timeouts: one candidate usually times out
// first and collects the votes before the other stands. In async mode, where a
// timer may fire at any moment, randomness proves nothing; a rank does. A real
// deferring node also keeps a longer timeout, in case the node it defers to has
// crashed; there are no crashes here.)
//
// The model is the buggy spec's: two nodes, async mode, terms counted modulo 3
// (exact: `termsWithinOne`, see specs/lib/split-vote.ts), no faults. It holds:
// along every fair behaviour a leader is elected, and the split still happens
// on the way (`splitVote`, reachable).
//
//   faultline check specs/split-vote.fixed.ts
//   faultline check specs/split-vote.fixed.ts -p terms=0
//        # terms not wrapped at all: the same 25 states — with the rank, an
//        # election never needs a third term
import { messages, protocol } from 'faultline';
import { newer, nextTerm, termsWithinOne } from './lib/split-vote.js';

/** The rank: a lower id outranks a higher one (node1 outranks node2). */
const outranks = (a: string, b: string): boolean => a < b;

interface Node {
  /** The latest term this node knows of (modulo `terms`). */
  readonly term: number;
  readonly role: 'follower' | 'candidate' | 'leader';
  /** Whom it voted for in that term, or null. */
  readonly votedFor: string | null;
}

export default protocol({
  name: 'split-vote.fixed',
  params: { terms: 3 },
  messages: messages<{ RequestVote: { term: number }; Vote: { term: number; votedFor: string | null } }>(),
  nodes: { node: 2 },
  roles: (role) => ({
    node: role({
      init: (ctx): Node => {
        ctx.setTimer('election');
        return { term: 0, role: 'follower', votedFor: null };
      },
      on: {
        RequestVote: (s, m, ctx) => {
          if (newer(m.term, s.term, ctx.params.terms)) s = { term: m.term, role: 'follower', votedFor: null };
          // A request of an older term is ignored: its sender has since been asked to vote in a newer one.
          if (m.term !== s.term) return s;
          if (s.votedFor === null) {
            ctx.cancelTimer('election'); // it waits for the leader it votes for
            s = { ...s, votedFor: ctx.from };
          }
          ctx.send(ctx.from, { type: 'Vote', term: s.term, votedFor: s.votedFor });
          return s;
        },
        Vote: (s, m, ctx) => {
          if (m.term !== s.term || s.role !== 'candidate') return s;
          // Its own vote and the peer's: a majority of two.
          if (m.votedFor === ctx.self) return { ...s, role: 'leader' as const };
          // The peer refused: the election failed. If the peer stood too and
          // outranks this node, defer: wait for its next request (timer stopped).
          // Otherwise time out and stand again.
          if (m.votedFor === null || !outranks(m.votedFor, ctx.self)) ctx.setTimer('election');
          return s;
        },
      },
      timers: {
        // No leader heard from: stand in the next term, voting for itself.
        election: (s, ctx) => {
          const term = nextTerm(s.term, ctx.params.terms);
          ctx.broadcast('node', { type: 'RequestVote', term });
          return { term, role: 'candidate' as const, votedFor: ctx.self };
        },
      },
    }),
  }),
  invariants: {
    // What makes counting terms modulo `terms` exact (see specs/lib/split-vote.ts).
    termsWithinOne: (w) =>
      termsWithinOne([...w.nodes('node').map((n) => n.state!.term), ...w.inFlight().map((e) => e.msg.term)], w.params.terms),
  },
  eventually: {
    leaderElected: (w) => w.nodes('node').some((n) => n.state!.role === 'leader'),
  },
  sometimes: {
    // Not vacuous: both nodes stand in the same term, and each refuses the other.
    splitVote: (w) => w.nodes('node').every((n) => n.state!.role === 'candidate' && n.state!.votedFor === n.id),
  },
  expect: 'holds',
});
