// Shared parts of the two-phase-commit pair (specs/two-phase-commit.buggy.ts,
// specs/two-phase-commit.fixed.ts): the participants' durable states, the ghost
// history of outcomes and the invariant. No spec here. (specs/two-phase.ts is a
// different model: Lamport's TLA+ TwoPhase at the core layer.)

/** A participant's state of the transaction, kept on disk. */
export type Phase = 'working' | 'prepared' | 'committed' | 'aborted';

/** One participant reaching an outcome (ghost history: no crash erases it). */
export interface Outcome {
  readonly participant: string;
  readonly outcome: 'committed' | 'aborted';
}

export type TwoPhaseObservations = { outcome: Outcome };

/** The invariant of both specs: no participant commits while another aborts. */
export function atomicity(outcomes: readonly Outcome[]): true | string {
  const committed = outcomes.find((o) => o.outcome === 'committed');
  const aborted = outcomes.find((o) => o.outcome === 'aborted');
  if (committed !== undefined && aborted !== undefined) {
    return `${committed.participant} committed but ${aborted.participant} aborted: the transaction is half done`;
  }
  return true;
}
