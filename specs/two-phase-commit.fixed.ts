// Two-phase commit — FIXED: a participant that voted yes waits for the coordinator's decision.
//
// The hazard (see specs/two-phase-commit.buggy.ts). After voting yes, a participant
// no longer knows the outcome: the coordinator may have decided commit even if no
// Commit has arrived yet (it is slow, or lost, or the coordinator crashed after
// telling the others). A participant that aborts on a timeout can therefore abort
// a transaction that another participant commits.
//
// The fix: a participant that voted yes never decides alone. It is *in doubt*: on
// a timeout it asks the coordinator again (it repeats its vote, which a coordinator
// that has decided answers with the decision) and keeps waiting. Atomicity also
// rests on two writes to disk that the buggy spec already has: a participant makes
// its yes durable before sending it (a restart must not turn it into a no), and the
// coordinator writes its decision before sending it (a restart must not turn a
// commit into an abort). The price is blocking: while the coordinator is down or
// cut off, a prepared participant can neither commit nor abort.
//
// The model is the buggy spec's. Asynchronous (a timer may fire at any point after
// it is set); one coordinator and `participants` (2) participants, each free to
// vote yes or no; faults allowed: one message dropped, one duplicated, one crash of
// any node (it restarts from its durable state); any delivery order; states with
// more than `maxInFlight` (4) messages in flight are checked but not expanded. It
// holds: no participant commits while another aborts; and both outcomes happen
// (`allCommitted`, `allAborted`, reachable).
//
//   faultline check specs/two-phase-commit.fixed.ts
//   faultline check specs/two-phase-commit.fixed.ts -p participants=3          # ~470k states
//   faultline check specs/two-phase-commit.fixed.ts -p maxInFlight=6           # ~116k states
import { messages, observations, protocol } from 'faultline';
import { atomicity, type Phase, type TwoPhaseObservations } from './lib/two-phase-commit.js';

type Decision = 'commit' | 'abort' | null;

interface Coordinator {
  /** The outcome, once decided (also on disk). */
  readonly decision: Decision;
  /** The participants that voted yes (while undecided). */
  readonly yes: readonly string[];
}

export default protocol({
  name: 'two-phase-commit.fixed',
  params: { participants: 2, maxInFlight: 4 },
  messages: messages<{ Prepare: {}; VoteYes: {}; VoteNo: {}; Commit: {}; Abort: {} }>(),
  observations: observations<TwoPhaseObservations>(),
  nodes: (p) => ({ coordinator: 1, participant: p.participants }),
  roles: (role) => ({
    coordinator: role({
      durable: (): Decision => null,
      init: (ctx): Coordinator => {
        ctx.broadcast('participant', { type: 'Prepare' });
        ctx.setTimer('timeout');
        return { decision: null, yes: [] };
      },
      recover: (decision, ctx): Coordinator => {
        if (decision === null) ctx.setTimer('timeout'); // the votes were lost with the crash
        return { decision, yes: [] };
      },
      on: {
        VoteYes: (s, _m, ctx) => {
          if (s.decision !== null) {
            // A vote after the decision (a retry, a duplicate, a participant that asks): repeat the outcome.
            ctx.send(ctx.from, { type: s.decision === 'commit' ? 'Commit' : 'Abort' });
            return s;
          }
          const yes = s.yes.includes(ctx.from) ? s.yes : [...s.yes, ctx.from].sort();
          if (yes.length < ctx.params.participants) return { ...s, yes };
          return decide(s, 'commit', ctx); // every participant voted yes
        },
        VoteNo: (s, _m, ctx) => (s.decision === null ? decide(s, 'abort', ctx) : s),
      },
      timers: {
        // Not every vote arrived (lost, or a participant crashed): the coordinator may
        // abort, as long as it has not decided yet.
        timeout: (s, ctx) => (s.decision === null ? decide(s, 'abort', ctx) : s),
      },
    }),
    participant: role({
      durable: (): Phase => 'working',
      init: (): Phase => 'working',
      recover: (phase, ctx): Phase => {
        if (phase === 'prepared') ctx.setTimer('inDoubt');
        return phase;
      },
      on: {
        Prepare: (s, _m, ctx) => {
          if (s === 'prepared') ctx.send('coordinator', { type: 'VoteYes' }); // a duplicate Prepare: vote again
          if (s !== 'working') return s;
          if (ctx.choose(['yes', 'no']) === 'no') {
            ctx.send('coordinator', { type: 'VoteNo' });
            return outcome('aborted', ctx);
          }
          // Voting yes is a promise to commit if asked: the work is made durable first.
          ctx.persist('prepared');
          ctx.send('coordinator', { type: 'VoteYes' });
          ctx.setTimer('inDoubt');
          return 'prepared';
        },
        Commit: (s, _m, ctx) => (s === 'prepared' ? outcome('committed', ctx) : s),
        Abort: (s, _m, ctx) => (s === 'working' || s === 'prepared' ? outcome('aborted', ctx) : s),
      },
      timers: {
        inDoubt: (s, ctx) => {
          if (s !== 'prepared') return s;
          // No decision yet. Having voted yes, it may not decide alone: it is in doubt
          // and must wait for the coordinator's decision. It asks again (repeats its
          // vote, which a coordinator that has decided answers with the outcome).
          ctx.send('coordinator', { type: 'VoteYes' });
          ctx.setTimer('inDoubt');
          return s;
        },
      },
    }),
  }),
  faults: { drop: 1, duplicate: 1, crash: 1 },
  network: (p) => ({ maxInFlight: p.maxInFlight }),
  invariants: {
    atomicity: (w) => atomicity(w.observed('outcome')),
  },
  sometimes: {
    allCommitted: (w) => w.nodes('participant').every((n) => n.durable === 'committed'),
    allAborted: (w) => w.nodes('participant').every((n) => n.durable === 'aborted'),
  },
  // The participants are interchangeable: --symmetry counts worlds equal up to renaming them once.
  symmetry: ['participant'],
  expect: 'holds',
});

/** The coordinator decides: on disk first, then to every participant. */
function decide(
  s: Coordinator,
  decision: 'commit' | 'abort',
  ctx: { persist(d: Decision): void; broadcast(to: string, m: { type: 'Commit' } | { type: 'Abort' }): void },
): Coordinator {
  ctx.persist(decision);
  ctx.broadcast('participant', { type: decision === 'commit' ? 'Commit' : 'Abort' });
  return { decision, yes: [] };
}

/** A participant's final outcome: on disk, and in the ghost history. */
function outcome(
  o: 'committed' | 'aborted',
  ctx: { readonly self: string; persist(p: Phase): void; cancelTimer(t: 'inDoubt'): void; observe(k: 'outcome', v: { participant: string; outcome: 'committed' | 'aborted' }): void },
): Phase {
  ctx.persist(o);
  ctx.cancelTimer('inDoubt');
  ctx.observe('outcome', { participant: ctx.self, outcome: o });
  return o;
}
