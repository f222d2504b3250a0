// TwoPhase with Immutable.js Sets of Records for tmPrepared and msgs: the same model
// as specs/two-phase.ts in another spec style, for the benchmark.
//
// Lamport's TwoPhase commit (TwoPhase.tla in the TLA+ examples, transaction_commit):
// a transaction manager (TM) and resource managers (RMs) that exchange messages
// through a set that only grows (messages are never lost or consumed). Line by line
// the same model as the TLA+ spec, so faultline's distinct and generated state
// counts equal TLC's: rms=3 gives 288 distinct states, rms=8 gives 1,745,408.
import { Record as ImmutableRecord, Set as ImmutableSet } from 'immutable';
import { forEach, ids, spec } from 'faultline';

type RMState = 'working' | 'prepared' | 'committed' | 'aborted';

/** [type: {"Prepared"}, rm: RM] \cup [type: {"Commit", "Abort"}] */
const Message = ImmutableRecord<{ type: 'Prepared' | 'Commit' | 'Abort'; rm: string | null }>({ type: 'Commit', rm: null });
type Message = ReturnType<typeof Message>;
const Commit = Message({ type: 'Commit' });
const Abort = Message({ type: 'Abort' });
const preparedMsgs = new Map<string, Message>();
/** [type |-> "Prepared", rm |-> rm], made once per RM (Records are values: any copy is equal). */
const Prepared = (rm: string): Message => {
  let m = preparedMsgs.get(rm);
  if (m === undefined) preparedMsgs.set(rm, (m = Message({ type: 'Prepared', rm })));
  return m;
};

interface State {
  readonly rmState: Readonly<Record<string, RMState>>;
  readonly tmState: 'init' | 'done';
  readonly tmPrepared: ImmutableSet<string>;
  readonly msgs: ImmutableSet<Message>;
}

const RM = (p: { rms: number }) => ids('r', p.rms);

const setRM = (s: State, rm: string, to: RMState): State => ({ ...s, rmState: { ...s.rmState, [rm]: to } });

export default spec({
  name: 'two-phase-immutable',
  params: { rms: 3 },
  init: (p): State => ({
    rmState: Object.fromEntries(RM(p).map((rm) => [rm, 'working' as RMState])),
    tmState: 'init',
    tmPrepared: ImmutableSet<string>(),
    msgs: ImmutableSet<Message>(),
  }),
  actions: {
    TMCommit: (s, p) =>
      s.tmState === 'init' && s.tmPrepared.size === p.rms ? { ...s, tmState: 'done' as const, msgs: s.msgs.add(Commit) } : undefined,
    TMAbort: (s) => (s.tmState === 'init' ? { ...s, tmState: 'done' as const, msgs: s.msgs.add(Abort) } : undefined),
    TMRcvPrepared: forEach(RM, (s: State, rm) =>
      s.tmState === 'init' && s.msgs.has(Prepared(rm)) ? { ...s, tmPrepared: s.tmPrepared.add(rm) } : undefined,
    ),
    RMPrepare: forEach(RM, (s: State, rm) =>
      s.rmState[rm] === 'working' ? { ...setRM(s, rm, 'prepared'), msgs: s.msgs.add(Prepared(rm)) } : undefined,
    ),
    RMChooseToAbort: forEach(RM, (s: State, rm) => (s.rmState[rm] === 'working' ? setRM(s, rm, 'aborted') : undefined)),
    RMRcvCommitMsg: forEach(RM, (s: State, rm) => (s.msgs.has(Commit) ? setRM(s, rm, 'committed') : undefined)),
    RMRcvAbortMsg: forEach(RM, (s: State, rm) => (s.msgs.has(Abort) ? setRM(s, rm, 'aborted') : undefined)),
  },
  invariants: {
    TPTypeOK: (s, p) =>
      RM(p).every((rm) => ['working', 'prepared', 'committed', 'aborted'].includes(s.rmState[rm]!)) &&
      (s.tmState === 'init' || s.tmState === 'done') &&
      s.tmPrepared.every((rm) => RM(p).includes(rm)),
    TCConsistent: (s) => {
      const states = Object.values(s.rmState);
      return !(states.includes('aborted') && states.includes('committed')) || 'one RM committed while another aborted';
    },
  },
  expect: 'holds',
});
