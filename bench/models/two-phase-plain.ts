// TwoPhase in plain objects only: the same state space as specs/two-phase.ts
// (sets of RMs and of messages as records of booleans), for comparing spec styles.
import { forEach, ids, spec } from 'faultline';

type RMState = 'working' | 'prepared' | 'committed' | 'aborted';
interface State {
  readonly rmState: Readonly<Record<string, RMState>>;
  readonly tmState: 'init' | 'done';
  /** The set of RMs whose Prepared message the TM has received. */
  readonly tmPrepared: Readonly<Record<string, boolean>>;
  /** The set of messages sent: Prepared per RM, Commit, Abort. */
  readonly msgs: { readonly prepared: Readonly<Record<string, boolean>>; readonly commit: boolean; readonly abort: boolean };
}
const cache = new Map<number, string[]>();
const RM = (p: { rms: number }) => cache.get(p.rms) ?? (cache.set(p.rms, ids('r', p.rms)), cache.get(p.rms)!);
const none = (p: { rms: number }) => Object.fromEntries(RM(p).map((rm) => [rm, false]));
const setRM = (s: State, rm: string, to: RMState): State => ({ ...s, rmState: { ...s.rmState, [rm]: to } });

export default spec({
  name: 'two-phase-plain',
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
    TCConsistent: (s) => {
      const states = Object.values(s.rmState);
      return !(states.includes('aborted') && states.includes('committed')) || 'one RM committed while another aborted';
    },
  },
});
