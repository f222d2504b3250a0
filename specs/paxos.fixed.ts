// Single-decree Paxos — FIXED: an acceptor's promise is on disk before it is sent.
//
// The hazard (see specs/paxos.buggy.ts). An acceptor's promise — "I will accept
// nothing in a ballot lower than n" — is what keeps a later ballot from choosing a
// different value, since any two majorities share an acceptor. An acceptor that
// keeps the promise only in memory forgets it when it crashes, and after a restart
// it may accept a lower ballot's value that its promise had already ruled out: two
// values chosen.
//
// The fix: the acceptor writes its promise to disk (together with what it has
// accepted) before it sends the promise, and a restarted acceptor restores both.
// A crash then only looks like a slow acceptor, which Paxos tolerates.
//
// The model is the buggy spec's. Asynchronous (no time): 2 proposers (proposer1
// wants "a", proposer2 "b") and 3 acceptors; each proposer tries one ballot
// (`rounds`: 1, so the retry timer never fires and faultline flags it), sends its
// Prepare to a majority of acceptors and its Accept to those that promised (as in
// "Paxos Made Simple"). Faults allowed: one message dropped, one duplicated, one
// crash of any node (it restarts with its durable state); any delivery order. It
// holds — at most one value is ever chosen — and a value is actually chosen
// (`valueChosen`, reachable). Which majority each proposer asks is explored up to
// renaming the acceptors, a symmetry reduction (specs/lib/paxos.ts).
//
// Larger checks (same verdict):
//   faultline check specs/paxos.fixed.ts -p allQuorums=true        # every pair of majorities, ~490k states
//   faultline check specs/paxos.fixed.ts -p rounds=2 --faults drop=0,duplicate=0,crash=0   # a retry each, ~380k states
//   faultline check specs/paxos.fixed.ts --faults drop=2,duplicate=1,crash=1
import { messages, observations, protocol } from 'faultline';
import { agreement, chosen, quorumsFor, type PaxosObservations, type Proposal } from './lib/paxos.js';

/** The value each proposer wants chosen: proposer1 "a", proposer2 "b", … */
const value = (index: number): string => String.fromCharCode(96 + index);

interface Proposer {
  /** The ballot of its current round (0: it has stopped). Round r of proposer i has ballot (r-1)·proposers + i: ballots are unique. */
  readonly ballot: number;
  readonly phase: 'prepare' | 'accept' | 'stopped';
  /** The acceptors that promised this ballot. */
  readonly promises: readonly string[];
  /** The highest-ballot proposal those acceptors reported having accepted. */
  readonly highest: Proposal | null;
}

interface Acceptor {
  /** The highest ballot it promised: it accepts nothing lower. */
  readonly promised: number;
  readonly accepted: Proposal | null;
}

/** What an acceptor keeps on disk: its promise as well as what it accepted. */
interface AcceptorDisk {
  readonly promised: number;
  readonly accepted: Proposal | null;
}

const STOPPED: Proposer = { ballot: 0, phase: 'stopped', promises: [], highest: null };

export default protocol({
  name: 'paxos.fixed',
  params: { proposers: 2, acceptors: 3, rounds: 1, allQuorums: false },
  messages: messages<{
    Prepare: { ballot: number };
    Promise: { ballot: number; accepted: Proposal | null };
    Accept: { ballot: number; value: string };
  }>(),
  observations: observations<PaxosObservations>(),
  nodes: (p) => ({ proposer: p.proposers, acceptor: p.acceptors }),
  roles: (role) => ({
    proposer: role({
      // The round it is in, on disk: after a restart it moves on to a new ballot.
      durable: () => 1,
      init: (ctx): Proposer => startRound(1, ctx),
      recover: (round, ctx): Proposer => startRound(round + 1, ctx),
      on: {
        Promise: (s, m, ctx): Proposer => {
          if (s.phase !== 'prepare' || m.ballot !== s.ballot || s.promises.includes(ctx.from)) return s;
          const promises = [...s.promises, ctx.from].sort();
          const highest = m.accepted !== null && (s.highest === null || m.accepted[0] > s.highest[0]) ? m.accepted : s.highest;
          if (2 * promises.length <= ctx.params.acceptors) return { ...s, promises, highest };
          // A majority promised: ask them to accept the value accepted in the highest
          // ballot they reported — or, if none reported one, its own value.
          const v = highest !== null ? highest[1] : value(ctx.index);
          ctx.broadcast(promises, { type: 'Accept', ballot: s.ballot, value: v });
          return { ...s, phase: 'accept', promises, highest };
        },
      },
      timers: {
        // Preempted, or stuck (async: it may fire at any time): try again with a higher ballot.
        retry: (_s, ctx) => startRound(ctx.durable + 1, ctx),
      },
    }),
    acceptor: role({
      durable: (): AcceptorDisk => ({ promised: 0, accepted: null }),
      init: (): Acceptor => ({ promised: 0, accepted: null }),
      // Its promise and what it accepted both survive a restart.
      recover: (disk): Acceptor => ({ promised: disk.promised, accepted: disk.accepted }),
      on: {
        Prepare: (s, m, ctx) => {
          if (m.ballot <= s.promised) return s; // it promised this ballot or a higher one already
          // Promise: never to accept a lower ballot; report what it accepted.
          ctx.persist({ promised: m.ballot, accepted: s.accepted }); // on disk before the promise is sent
          ctx.send(ctx.from, { type: 'Promise', ballot: m.ballot, accepted: s.accepted });
          return { ...s, promised: m.ballot };
        },
        Accept: (s, m, ctx) => {
          if (m.ballot < s.promised || s.accepted?.[0] === m.ballot) return s; // promised higher, or a duplicate
          const accepted: Proposal = [m.ballot, m.value];
          ctx.persist({ promised: m.ballot, accepted });
          ctx.observe('accepted', { acceptor: ctx.self, ballot: m.ballot, value: m.value });
          return { promised: m.ballot, accepted };
        },
      },
    }),
  }),
  faults: { drop: 1, duplicate: 1, crash: 1 },
  invariants: {
    agreement: (w) => agreement(w.observed('accepted'), w.nodes('acceptor').length),
  },
  sometimes: {
    valueChosen: (w) => chosen(w.observed('accepted'), w.nodes('acceptor').length).length > 0,
  },
  expect: 'holds',
});

/** Round `round` of a proposer: a fresh ballot, on disk before its Prepare goes to a majority. */
function startRound(
  round: number,
  ctx: {
    readonly index: number;
    readonly params: { proposers: number; acceptors: number; rounds: number; allQuorums: boolean };
    peers(role: string): readonly string[];
    persist(round: number): void;
    choose<X>(options: readonly X[]): X;
    broadcast(to: readonly string[], m: { type: 'Prepare'; ballot: number }): void;
    setTimer(t: 'retry'): void;
  },
): Proposer {
  const p = ctx.params;
  if (round > p.rounds) return STOPPED;
  ctx.persist(round);
  const ballot = (round - 1) * p.proposers + ctx.index;
  ctx.broadcast(ctx.choose(quorumsFor(ctx.index, ctx.peers('acceptor'), p.allQuorums)), { type: 'Prepare', ballot });
  if (round < p.rounds) ctx.setTimer('retry');
  return { ballot, phase: 'prepare', promises: [], highest: null };
}
