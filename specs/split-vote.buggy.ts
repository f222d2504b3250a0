// Split vote — the BUGGY version (the fix: split-vote.fixed.ts).
//
// The hazard. Raft-style leader election: a node that hears from no leader
// times out, becomes a candidate for the next term, votes for itself and asks the
// others for their votes; a node votes at most once per term, for the first
// candidate that asks. With two nodes whose election timeouts are identical, both
// time out at the same moment, both vote for themselves, each refuses the other
// (it has already voted in that term), both see the election fail, both time out
// again at the same moment — in the next term, and the next, forever. No fault is
// needed: nothing is lost and nobody crashes, and yet no leader is ever elected.
// This is a livelock, a liveness failure of a system in which every node keeps
// busy (why Raft randomises its election timeouts).
//
// The model. Two nodes, async mode (a timer may fire at any point after it is
// set: "identical timeouts" is the schedule in which both fire before either
// hears from the other). A candidate waits for its peer's answer before it
// times out again (the election timeout is longer than a round trip), so its
// timer is re-armed only when an election has failed. A request of an older term
// is ignored (its sender is about to be asked for a vote in the newer one, which
// settles it). A node that grants its
// vote stops its own timer: it now waits for the leader it voted for (whose
// heartbeats, with no faults, would keep it quiet — they are left out). Terms
// are counted modulo 3 (param `terms`): every term in the world is within one of
// every other (invariant `termsWithinOne`), so "newer", "the same" and "older"
// are still exact, and the endless run of ever larger terms is a genuine cycle of
// the model (specs/lib/split-vote.ts explains; the test checks the invariant on
// the unwrapped model).
//
// Faults allowed: none.
//
// The property, leaderElected (`eventually`): along every fair behaviour, some
// node becomes leader. Fairness is the protocol default: every armed timer
// eventually fires, every message is eventually delivered. The counterexample is
// a lasso: both nodes stand, refuse each other, stand again — and after three
// terms the world is the one it started the loop from.
//   faultline check specs/split-vote.buggy.ts            # violates leaderElected
//   faultline check specs/split-vote.buggy.ts -p terms=0 --max-states 5000
//        # terms not wrapped: an infinite model, no cycle to find — the search
//        # stops at the state bound, every term within one of the others
//
// The fix (split-vote.fixed.ts): rank the candidates. A vote names whom it went
// to, so a candidate that lost an election learns who else stood; a candidate
// that lost to a split in which a higher-ranked node stood does not stand again
// but waits for that node's next request and votes for it. (Raft gets the same
// effect from randomised timeouts: one candidate usually times out first.)
import { messages, protocol } from 'faultline';
import { newer, nextTerm, termsWithinOne } from './lib/split-vote.js';

interface Node {
  /** The latest term this node knows of (modulo `terms`). */
  readonly term: number;
  readonly role: 'follower' | 'candidate' | 'leader';
  /** Whom it voted for in that term, or null. */
  readonly votedFor: string | null;
}

export default protocol({
  name: 'split-vote.buggy',
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
          // The peer refused: the election failed. Time out and stand again.
          ctx.setTimer('election');
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
  expect: { violates: 'leaderElected' },
});
