// The liveness benchmark: Lamport's TwoPhase (specs/two-phase.ts) with one liveness
// property under weak fairness of every action instance: every RM eventually
// commits or aborts. It holds, so the liveness pass runs over the whole graph.
// `npm run bench` checks it with and without --no-liveness (same spec, same search)
// to measure what the liveness pass costs in time and in peak memory.
import { spec } from 'faultline';
import { twoPhase } from '../../specs/two-phase.js';

export default spec({
  ...twoPhase,
  name: 'two-phase-liveness',
  eventually: {
    allDecided: (s) => Object.values(s.rmState).every((r) => r === 'committed' || r === 'aborted'),
  },
  fairness: 'weak',
});
