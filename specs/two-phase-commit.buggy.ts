// Two-phase commit — BUGGY: a participant that voted yes and hears nothing aborts on its own.
//
// The hazard. A coordinator asks every participant to prepare. Each votes yes —
// after making its work durable, so it can commit whatever happens — or no. If all
// vote yes the coordinator decides commit, otherwise abort; it writes the decision
// to disk and tells every participant. Atomicity: all commit, or all abort. The
// catch is the window after a participant has voted yes: only the coordinator knows
// the outcome now. This participant grows impatient: when no decision has arrived
// by its timeout it aborts unilaterally. But the coordinator may already have
// decided commit — its Commit is just slow, or lost, or the coordinator crashed
// after telling the others — and then one participant commits while another
// aborts. No fault is even needed: in the shortest trace every message is
// delivered; the Commit to participant2 is merely still on its way when
// participant2's timer fires.
//
// The model. Asynchronous (no time: a timer may fire at any point after it is set,
// so a timeout never proves that the coordinator is dead or that a message is
// lost). One coordinator and `participants` (2) participants; each participant
// may vote yes or no. Faults allowed: one message dropped, one duplicated, one
// crash of any node, which restarts from its durable state; any delivery order.
// The coordinator may abort on its own timeout while it has not decided. Retries
// can repeat without end, so states with more than `maxInFlight` (4) messages in
// flight are checked but not expanded (a constraint). The invariant `atomicity`:
// no participant commits while another aborts (a ghost history of outcomes).
//
// The fix (specs/two-phase-commit.fixed.ts): a participant that voted yes never
// decides alone. It is *in doubt*: on a timeout it asks the coordinator again and
// keeps waiting — the blocking that is two-phase commit's known price.
//
//   faultline check specs/two-phase-commit.buggy.ts
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
  name: 'two-phase-commit.buggy',
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
          // BUG: no decision has arrived, so give up and abort — on its own, after voting yes.
          return outcome('aborted', ctx);
        },
      },
    }),
  }),
  faults: { drop: 1, duplicate: 1, crash: 1 },
  network: (p) => ({ maxInFlight: p.maxInFlight }),
  invariants: {
    atomicity: (w) => atomicity(w.observed('outcome')),
  },
  // The participants are interchangeable: --symmetry counts worlds equal up to renaming them once.
  symmetry: ['participant'],
  expect: { violates: 'atomicity' },
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
