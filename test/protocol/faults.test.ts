// For each fault of the design's fault table, a tiny protocol where that fault is
// necessary and sufficient for a violation: the invariant holds with the budget at
// 0, fails with budget 1, and the shortest trace contains exactly that fault.
// Shortest traces come from the independent BFS in oracle.ts.
import { describe, expect, test } from 'vitest';
import { messages, observations, protocol, FAULT_NAMES } from '../../src/protocol/index.js';
import leaseSpec from '../../specs/protocol-examples/lease.js';
import { explore } from './oracle.js';
import type { Spec } from '../../src/core/types.js';

// The example imports 'faultline' (the build's types; the source at run time).
const lease = leaseSpec as unknown as Spec<any>;

const faultsIn = (trace: string[]) => trace.filter((l) => (FAULT_NAMES as readonly string[]).includes(l.split(' ')[0]!));

/** Holds at budget 0, violated at budget 1 with a shortest trace holding exactly one fault, that one. */
function necessaryAndSufficient(spec: Spec<any>, fault: string, invariant: string, extra: Record<string, number> = {}) {
  const none = explore(spec, { faults: { ...extra, [fault]: 0 } });
  expect(none.violations.has(invariant), `${invariant} must hold without ${fault}`).toBe(false);
  const one = explore(spec, { faults: { ...extra, [fault]: 1 } });
  const v = one.violations.get(invariant);
  expect(v, `${invariant} must fail with one ${fault}`).toBeDefined();
  const faults = faultsIn(v!.trace);
  expect(faults).toHaveLength(1);
  expect(faults[0]!.split(' ')[0]).toBe(fault);
  return { none, one, trace: v!.trace };
}

const pingSpec = protocol({
  name: 'ping',
  messages: messages<{ Ping: {} }>(),
  roles: (role) => ({
    a: role({
      init: (ctx) => {
        ctx.send('b', { type: 'Ping' });
        return { sent: true };
      },
    }),
    b: role({ init: () => ({ got: false }), on: { Ping: () => ({ got: true }) } }),
  }),
  invariants: {
    arrivesOrOnItsWay: (w) => w.node('b').state?.got === true || w.inFlight({ type: 'Ping' }).length > 0 || 'the ping is lost',
  },
});

describe('drop', () => {
  test('is necessary and sufficient to lose the ping', () => {
    const { trace } = necessaryAndSufficient(pingSpec, 'drop', 'arrivesOrOnItsWay');
    expect(trace).toEqual(['drop Ping a→b']);
  });
});

describe('partition', () => {
  test('loses the messages in flight across the cut', () => {
    const { trace } = necessaryAndSufficient(pingSpec, 'partition', 'arrivesOrOnItsWay');
    expect(trace).toEqual(['partition a | b']);
  });
});

describe('duplicate', () => {
  const inc = protocol({
    name: 'inc-once',
    messages: messages<{ Inc: {} }>(),
    roles: (role) => ({
      a: role({
        init: (ctx) => {
          ctx.send('b', { type: 'Inc' });
          return {};
        },
      }),
      b: role({ init: () => ({ n: 0 }), on: { Inc: (s) => ({ n: s.n + 1 }) } }),
    }),
    invariants: { incrementedOnce: (w) => (w.node('b').state?.n ?? 0) <= 1 },
  });
  test('is necessary and sufficient to apply a message twice', () => {
    const { trace } = necessaryAndSufficient(inc, 'duplicate', 'incrementedOnce');
    expect(trace).toEqual(['duplicate Inc a→b', 'deliver Inc a→b', 'deliver Inc a→b']);
  });
});

describe('crash', () => {
  // b acknowledges a value; the invariant says it still knows every value it acknowledged.
  const store = (durable: boolean) =>
    protocol({
      name: durable ? 'store-durable' : 'store-volatile',
      messages: messages<{ Set: { v: number } }>(),
      observations: observations<{ acked: number }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'Set', v: 1 });
            return {};
          },
        }),
        b: role({
          durable: () => ({ v: 0 }),
          init: () => ({ v: 0 }),
          recover: (d) => ({ v: d.v }),
          on: {
            Set: (_s, m, ctx) => {
              if (durable) ctx.persist({ v: m.v });
              ctx.observe('acked', m.v);
              return { v: m.v };
            },
          },
        }),
      }),
      invariants: {
        remembersAcked: (w) => {
          const b = w.node('b');
          return b.state === null || w.observed('acked').every((v) => v === b.state!.v) || 'b forgot an acknowledged value';
        },
      },
    });

  test('is necessary and sufficient to lose volatile state (crash-recover)', () => {
    const { trace } = necessaryAndSufficient(store(false), 'crash', 'remembersAcked');
    expect(trace).toEqual(['deliver Set{v:1} a→b', 'crash b', 'restart b']);
  });

  test('durable state survives the crash', () => {
    const r = explore(store(true), { faults: { crash: 1 } });
    expect(r.violations.size).toBe(0);
    expect(r.coverage.get('restart@b')).toBeGreaterThan(0);
  });

  test('crash-stop: a crashed node never restarts', () => {
    const spec = store(false);
    const stop = protocol({ ...spec.definition, name: 'store-stop', recovery: 'crash-stop' });
    const r = explore(stop, { faults: { crash: 1 } });
    expect(r.violations.size).toBe(0);
    expect([...r.coverage.keys()].some((a) => a.startsWith('restart'))).toBe(false);
    expect(r.states.some((w: any) => w.nodes.b.status === 'crashed')).toBe(true);
  });
});

describe('pause', () => {
  test('the lease check-then-write holds with pause budget 0 (prompt local steps), breaks with 1', () => {
    const { trace, none } = necessaryAndSufficient(lease, 'pause', 'writeWithinLease');
    expect(trace).toEqual([
      'deliver Acquire client1→lock',
      'deliver Granted{until:2} lock→client1',
      'step client1.check',
      'pause client1',
      'tick (t=1)',
      'tick (t=2)',
      'resume client1',
      'step client1.write',
    ]);
    // without a pause, writes do happen (the invariant is not vacuous)
    expect(none.states.some((w: any) => (w.observed.write ?? []).length > 0)).toBe(true);
  });
});

describe('delay', () => {
  // a pings b and suspects it if no pong came back within 3 ticks; b never fails.
  const detector = (maxDelay: number | undefined) =>
    protocol({
      name: 'detector',
      messages: messages<{ Ping: {}; Pong: {} }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'Ping' });
            ctx.setTimer('timeout', 3);
            return { suspect: false, ok: false };
          },
          on: {
            Pong: (s, _m, ctx) => {
              ctx.cancelTimer('timeout');
              return { ...s, ok: true };
            },
          },
          timers: { timeout: (s) => ({ ...s, suspect: true }) },
        }),
        b: role({
          init: () => ({}),
          on: {
            Ping: (s, _m, ctx) => {
              ctx.send(ctx.from, { type: 'Pong' });
              return s;
            },
          },
        }),
      }),
      time: { mode: 'timed', maxTime: 4, maxDelay },
      invariants: { noFalseSuspicion: (w) => !w.node('a').state?.suspect || 'a suspects b, which is up' },
    });

  test('is necessary and sufficient for a false suspicion when the network is synchronous (maxDelay)', () => {
    const { trace } = necessaryAndSufficient(detector(1), 'delay', 'noFalseSuspicion');
    // the ping (or the pong) is delayed past the 3-tick timeout
    expect(trace.filter((l) => l.startsWith('delay '))[0]).toMatch(/^delay P[io]ng [ab]→[ab] \(by t=\d\)$/);
    expect(trace.at(-1)).toBe('fire a.timeout');
    expect(trace.filter((l) => l.startsWith('tick'))).toEqual(['tick (t=1)', 'tick (t=2)', 'tick (t=3)']);
  });

  test('without maxDelay a timeout proves nothing: violated with no fault at all', () => {
    const r = explore(detector(undefined));
    const v = r.violations.get('noFalseSuspicion');
    expect(v).toBeDefined();
    expect(faultsIn(v!.trace)).toEqual([]);
    expect(v!.trace).toEqual(['tick (t=1)', 'tick (t=2)', 'tick (t=3)', 'fire a.timeout']);
  });
});

describe('clockJump', () => {
  const sampler = protocol({
    name: 'sampler',
    messages: messages<{}>(),
    observations: observations<{ tod: number; mono: number }>(),
    roles: (role) => ({
      a: role({
        clock: true,
        init: (ctx) => {
          ctx.setTimer('sample', 1);
          return {};
        },
        timers: {
          sample: (s, ctx) => {
            ctx.observe('tod', ctx.now());
            ctx.observe('mono', ctx.monotonic());
            ctx.setTimer('sample', 1);
            return s;
          },
        },
      }),
    }),
    time: { mode: 'timed', maxTime: 3, maxJump: 2 },
    invariants: {
      timeOfDayNeverBackwards: (w) => w.observed('tod').every((t, i, a) => i === 0 || a[i - 1]! <= t),
      monotonicNeverBackwards: (w) => w.observed('mono').every((t, i, a) => i === 0 || a[i - 1]! <= t),
    },
  });

  test('is necessary and sufficient for the time-of-day clock to go backwards; monotonic() is unaffected', () => {
    const { trace, one } = necessaryAndSufficient(sampler, 'clockJump', 'timeOfDayNeverBackwards');
    // sampled 1 at t=1; the clock jumps to offset -2 (before or after the tick); sampled 0 at t=2
    expect(trace).toHaveLength(5);
    expect(trace.filter((l) => !l.startsWith('clockJump'))).toEqual(['tick (t=1)', 'fire a.sample', 'tick (t=2)', 'fire a.sample']);
    expect(trace.indexOf('clockJump a offset=-2')).toBeGreaterThan(1);
    expect(one.violations.get('timeOfDayNeverBackwards')!.state.observed.tod).toEqual([1, 0]);
    expect(one.violations.has('monotonicNeverBackwards')).toBe(false);
  });
});

test('every fault of the design table has a test above', () => {
  expect([...FAULT_NAMES].sort()).toEqual(['clockJump', 'crash', 'delay', 'drop', 'duplicate', 'partition', 'pause']);
});
