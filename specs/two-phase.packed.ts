// Lamport's TwoPhase commit again (see specs/two-phase.ts), written with packed():
// each variable declares its finite domain, so faultline packs a state into a few
// 32-bit words and actions write a draft instead of building objects. Same model,
// same counts as TLC (rms=8: 1,745,408 distinct, 18,507,778 generated); about 20×
// the speed of the plain-object version.
//
//   npx faultline check specs/two-phase.packed.ts -p rms=8
import { bool, forEach, ids, oneOf, packed, perKey } from 'faultline';

const RM = (p: { rms: number }) => ids('r', p.rms);

export default packed({
  name: 'two-phase-packed',
  params: { rms: 3 },
  layout: (p) => ({
    rmState: perKey(RM(p), oneOf('working', 'prepared', 'committed', 'aborted')),
    tmState: oneOf('init', 'done'),
    /** The set of RMs whose Prepared message the TM has received. */
    tmPrepared: perKey(RM(p), bool()),
    /** The set of messages sent: Prepared per RM, Commit, Abort. */
    msgs: { prepared: perKey(RM(p), bool()), commit: bool(), abort: bool() },
  }),
  init: (p) => {
    const none = Object.fromEntries(RM(p).map((rm) => [rm, false]));
    return {
      rmState: Object.fromEntries(RM(p).map((rm) => [rm, 'working' as const])),
      tmState: 'init' as const,
      tmPrepared: none,
      msgs: { prepared: none, commit: false, abort: false },
    };
  },
  // v holds the slots of the layout: s.get(v.tmState) reads, s.set(v.tmState, 'done') writes.
  define: (v, p) => {
    const rms = RM(p);
    return {
      actions: {
        TMCommit: (s) =>
          s.get(v.tmState) === 'init' && rms.every((rm) => s.get(v.tmPrepared[rm]!)) && s.set(v.tmState, 'done').set(v.msgs.commit, true),
        TMAbort: (s) => s.get(v.tmState) === 'init' && s.set(v.tmState, 'done').set(v.msgs.abort, true),
        TMRcvPrepared: forEach(rms, (s, rm) => s.get(v.tmState) === 'init' && s.get(v.msgs.prepared[rm]!) && s.set(v.tmPrepared[rm]!, true)),
        RMPrepare: forEach(rms, (s, rm) => s.get(v.rmState[rm]!) === 'working' && s.set(v.rmState[rm]!, 'prepared').set(v.msgs.prepared[rm]!, true)),
        RMChooseToAbort: forEach(rms, (s, rm) => s.get(v.rmState[rm]!) === 'working' && s.set(v.rmState[rm]!, 'aborted')),
        RMRcvCommitMsg: forEach(rms, (s, rm) => s.get(v.msgs.commit) && s.set(v.rmState[rm]!, 'committed')),
        RMRcvAbortMsg: forEach(rms, (s, rm) => s.get(v.msgs.abort) && s.set(v.rmState[rm]!, 'aborted')),
      },
      invariants: {
        TCConsistent: (s) => {
          let aborted = false;
          let committed = false;
          for (const rm of rms) {
            const st = s.get(v.rmState[rm]!);
            aborted ||= st === 'aborted';
            committed ||= st === 'committed';
          }
          return !(aborted && committed) || 'one RM committed while another aborted';
        },
      },
    };
  },
  symmetry: (p) => [RM(p)],
  expect: 'holds',
});
