// Single-decree Paxos — BUGGY: an acceptor keeps its promise in volatile memory.
//
// The hazard. Paxos makes a set of nodes choose one value although messages are
// lost, duplicated and reordered and nodes crash and restart. A proposer picks a
// unique ballot and asks a majority of acceptors to *promise* to accept nothing in
// a lower ballot; each promise reports what the acceptor has already accepted, and
// the proposer must then propose the value accepted in the highest ballot reported
// (its own value only if none was). A value is chosen once a majority accepts it in
// one ballot. Any two majorities share an acceptor, and that acceptor's promise is
// what stops a later ballot from choosing a different value — so the promise must
// survive a crash. Here the acceptor writes what it accepts to disk, but keeps its
// promise only in memory. In the shortest trace acceptor1 promises ballot 2 to
// proposer2 (which, hearing of no accepted value, proposes its own "b"), crashes,
// restarts with its promise forgotten, and accepts ballot 1's "a" after all: "a" is
// chosen in ballot 1 by acceptor1 and acceptor2, and "b" in ballot 2 by acceptor1
// and acceptor3. Two values chosen; consensus is broken by one crash.
//
// The model. Asynchronous (no time): 2 proposers (proposer1 wants "a", proposer2
// "b") and 3 acceptors. Each proposer tries one ballot (`rounds`: 1), sends its
// Prepare to a majority of acceptors and its Accept to those that promised
// (as in Lamport's "Paxos Made Simple"). Faults allowed: one message dropped, one
// duplicated, one crash of any node, which restarts with its durable state; the
// network delivers in any order. The invariant `agreement`: at most one value is
// ever chosen (computed from a ghost history of every acceptance).
// Which majority each proposer asks is explored up to renaming the acceptors — a
// symmetry reduction (specs/lib/paxos.ts); `-p allQuorums=true` explores every pair.
//
// The fix (specs/paxos.fixed.ts): the acceptor writes its promise to disk before
// it sends it, and restores it on restart.
//
//   faultline check specs/paxos.buggy.ts                        # violates agreement
//   faultline check specs/paxos.buggy.ts --faults crash=0       # without a crash: it holds
import { messages, observations, protocol } from 'faultline';
import { agreement, quorumsFor, type PaxosObservations, type Proposal } from './lib/paxos.js';

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

/** What an acceptor keeps on disk. BUG: only what it accepted — not its promise. */
interface AcceptorDisk {
  readonly accepted: Proposal | null;
}

const STOPPED: Proposer = { ballot: 0, phase: 'stopped', promises: [], highest: null };

export default protocol({
  name: 'paxos.buggy',
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
      durable: (): AcceptorDisk => ({ accepted: null }),
      init: (): Acceptor => ({ promised: 0, accepted: null }),
      // BUG: the promise was only in memory. After a restart the acceptor knows what
      // it accepted (so it promised at least that ballot), not what it promised since.
      recover: (disk): Acceptor => ({ promised: disk.accepted?.[0] ?? 0, accepted: disk.accepted }),
      on: {
        Prepare: (s, m, ctx) => {
          if (m.ballot <= s.promised) return s; // it promised this ballot or a higher one already
          // Promise: never to accept a lower ballot; report what it accepted.
          ctx.send(ctx.from, { type: 'Promise', ballot: m.ballot, accepted: s.accepted });
          return { ...s, promised: m.ballot };
        },
        Accept: (s, m, ctx) => {
          if (m.ballot < s.promised || s.accepted?.[0] === m.ballot) return s; // promised higher, or a duplicate
          const accepted: Proposal = [m.ballot, m.value];
          ctx.persist({ accepted });
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
  expect: { violates: 'agreement' },
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
