// The protocol liveness benchmark: the catalogue's largest protocol, single-decree
// Paxos (specs/paxos.fixed.ts), with one liveness property under the protocol
// defaults (ordinary actions weakly fair per instance, faults never): a value is
// eventually chosen. `npm run bench` checks it with and without --no-liveness to
// measure what the liveness pass costs in time and peak memory.
import { protocol } from 'faultline';
import paxos from '../../specs/paxos.fixed.js';
import { chosen } from '../../specs/lib/paxos.js';

export default protocol({
  ...paxos.definition,
  name: 'paxos-liveness',
  eventually: {
    someValueChosen: (w) => chosen(w.observed('accepted'), w.nodes('acceptor').length).length > 0,
  },
  expect: undefined,
});
