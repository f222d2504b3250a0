// Protocol-layer benchmark: a leader replicates a log of `values` entries to two
// followers over a lossy network, with retransmission timers, acknowledgements
// and a crash-recovering follower whose log is durable. Three nodes, loss and
// crash budgets; `values` scales the state space: the defaults (values=5,
// maxInFlight=3) reach 546,798 distinct states within maxInFlight (1,123,864 with
// the states beyond it, which are checked but not counted); tests run it small.
import { messages, protocol } from 'faultline';

export default protocol({
  name: 'protocol-bench',
  params: { values: 5, drops: 2, crashes: 1, maxInFlight: 3 },
  messages: messages<{
    Append: { i: number };
    Ack: { len: number };
  }>(),
  nodes: { leader: 1, follower: 2 },
  roles: (role) => ({
    leader: role({
      init: (ctx) => {
        ctx.setTimer('retransmit');
        return { next: 1, acked: { follower1: 0, follower2: 0 } as Record<string, number>, committed: 0 };
      },
      steps: {
        propose: (s, ctx) => {
          if (s.next > ctx.params.values) return undefined;
          ctx.broadcast('follower', { type: 'Append', i: s.next });
          return { ...s, next: s.next + 1 };
        },
      },
      timers: {
        retransmit: (s, ctx) => {
          // resend the first missing entry to each follower that is behind
          for (const f of ctx.peers('follower')) {
            if (s.acked[f]! + 1 < s.next) ctx.send(f, { type: 'Append', i: s.acked[f]! + 1 });
          }
          if (s.committed < ctx.params.values) ctx.setTimer('retransmit');
          return s;
        },
      },
      on: {
        Ack: (s, m, ctx) => {
          if (m.len <= s.acked[ctx.from]!) return s;
          const acked = { ...s.acked, [ctx.from]: m.len };
          return { ...s, acked, committed: Math.min(...Object.values(acked)) };
        },
      },
    }),
    follower: role({
      durable: () => ({ len: 0 }),
      init: (ctx) => ({ len: ctx.durable.len }),
      recover: (d) => ({ len: d.len }),
      on: {
        Append: (s, m, ctx) => {
          if (m.i !== s.len + 1) return s;
          ctx.persist({ len: m.i });
          ctx.send('leader', { type: 'Ack', len: m.i });
          return { len: m.i };
        },
      },
    }),
  }),
  faults: (p) => ({ drop: p.drops, crash: p.crashes }),
  network: (p) => ({ maxInFlight: p.maxInFlight }),
  recovery: 'crash-recover',
  invariants: {
    // every committed entry is stored, durably and in the memory of each live follower
    committedIsStored: (w) => {
      const committed = w.node('leader').state?.committed ?? 0;
      for (const f of w.nodes('follower')) {
        if (f.durable.len < committed) return `${f.id} has ${f.durable.len} durable entries but ${committed} are committed`;
        if (f.state !== null && f.state.len < committed) return `${f.id} knows ${f.state.len} entries but ${committed} are committed`;
      }
      return true;
    },
  },
});
