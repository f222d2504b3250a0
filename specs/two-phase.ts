// Lamport's TwoPhase commit (TwoPhase.tla in the TLA+ examples, transaction_commit):
// a transaction manager (TM) and resource managers (RMs) that exchange messages
// through a set that only grows (messages are never lost or consumed). The same model
// as the TLA+ spec, action for action, so faultline's distinct and generated state
// counts equal TLC's: rms=3 gives 288 distinct states, rms=8 gives 1,745,408.
//
// The TLA+ sets are plain records of booleans here (tmPrepared: RM -> BOOLEAN, and
// msgs as Prepared per RM plus Commit and Abort): one-to-one with the TLA+ values,
// and the fastest natural style. bench/models/two-phase-immutable.ts is the same
// model with Immutable.js Sets of Records.
//
//   npx faultline check specs/two-phase.ts -p rms=5
import { forEach, ids, spec, type SpecDefinition } from 'faultline';

type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
interface State {
  readonly rmState: Readonly<Record<string, RMState>>;
  readonly tmState: 'init' | 'done';
  /** The set of RMs whose Prepared message the TM has received. */
  readonly tmPrepared: Readonly<Record<string, boolean>>;
  /** The set of messages sent: Prepared per RM, Commit, Abort. */
  readonly msgs: { readonly prepared: Readonly<Record<string, boolean>>; readonly commit: boolean; readonly abort: boolean };
}
/** The set RM of resource managers: r1 … rN. */
const RM = (p: { rms: number }) => ids('r', p.rms);
const RMStates: readonly RMState[] = ['working', 'prepared', 'committed', 'aborted'];
const none = (p: { rms: number }) => Object.fromEntries(RM(p).map((rm) => [rm, false]));
const setRM = (s: State, rm: string, to: RMState): State => ({ ...s, rmState: { ...s.rmState, [rm]: to } });

/** The definition, exported so a variant can extend it (bench/models/two-phase-liveness.ts adds a liveness property). */
export const twoPhase = {
  name: 'two-phase',
  params: { rms: 3 },
  init: (p): State => ({
    rmState: Object.fromEntries(RM(p).map((rm) => [rm, 'working' as RMState])),
    tmState: 'init',
    tmPrepared: none(p),
    msgs: { prepared: none(p), commit: false, abort: false },
  }),
  actions: {
    TMCommit: (s, p) =>
      s.tmState === 'init' && RM(p).every((rm) => s.tmPrepared[rm]) ? { ...s, tmState: 'done' as const, msgs: { ...s.msgs, commit: true } } : undefined,
    TMAbort: (s) => (s.tmState === 'init' ? { ...s, tmState: 'done' as const, msgs: { ...s.msgs, abort: true } } : undefined),
    TMRcvPrepared: forEach(RM, (s: State, rm) =>
      s.tmState === 'init' && s.msgs.prepared[rm] ? { ...s, tmPrepared: { ...s.tmPrepared, [rm]: true } } : undefined,
    ),
    RMPrepare: forEach(RM, (s: State, rm) =>
      s.rmState[rm] === 'working' ? { ...setRM(s, rm, 'prepared'), msgs: { ...s.msgs, prepared: { ...s.msgs.prepared, [rm]: true } } } : undefined,
    ),
    RMChooseToAbort: forEach(RM, (s: State, rm) => (s.rmState[rm] === 'working' ? setRM(s, rm, 'aborted') : undefined)),
    RMRcvCommitMsg: forEach(RM, (s: State, rm) => (s.msgs.commit ? setRM(s, rm, 'committed') : undefined)),
    RMRcvAbortMsg: forEach(RM, (s: State, rm) => (s.msgs.abort ? setRM(s, rm, 'aborted') : undefined)),
  },
  invariants: {
    TPTypeOK: (s, p) =>
      RM(p).every((rm) => RMStates.includes(s.rmState[rm]!) && typeof s.tmPrepared[rm] === 'boolean') &&
      (s.tmState === 'init' || s.tmState === 'done'),
    TCConsistent: (s) => {
      const states = Object.values(s.rmState);
      return !(states.includes('aborted') && states.includes('committed')) || 'one RM committed while another aborted';
    },
  },
  // The RMs are interchangeable: --symmetry explores one state per permutation class.
  symmetry: (p) => [RM(p)],
  expect: 'holds',
} satisfies SpecDefinition<State, { rms: number }>;

export default spec(twoPhase);
