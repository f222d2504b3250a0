// The protocol model's semantics, point by point (design brief, "The protocol
// model"): walks chosen paths with the compiled system and checks what is and
// is not enabled.
import { describe, expect, test } from 'vitest';
import { messages, observations, protocol } from '../../src/protocol/index.js';
import type { CompiledProtocol, World } from '../../src/protocol/index.js';
import { explore, labelsOf, step } from './oracle.js';
import { canon } from './oracle.js';

const compile = (spec: { compile(p: never, o?: { faults?: Record<string, number> }): unknown; params: unknown }, faults?: Record<string, number>) =>
  spec.compile(spec.params as never, { faults }) as CompiledProtocol;

/** Walks a path of labels from the (single) initial state. */
function walk(sys: CompiledProtocol, labels: string[]): World {
  const inits = sys.initialStates();
  expect(inits).toHaveLength(1);
  return labels.reduce((w, l) => step(sys, w, l), inits[0]!);
}

// A client/storage protocol used by several tests.
const kv = protocol({
  name: 'kv',
  params: { clients: 2 },
  messages: messages<{ Write: { token: number }; Ok: {} }>(),
  observations: observations<{ write: number }>(),
  nodes: (p) => ({ client: p.clients, storage: 1 }),
  roles: (role) => ({
    client: role({
      durable: () => ({ sent: 0 }),
      init: () => ({ token: 0, acked: false }),
      recover: (d) => ({ token: d.sent, acked: false }),
      on: { Ok: (s) => ({ ...s, acked: true }) },
      steps: {
        write: (s, ctx) => {
          if (s.acked || ctx.durable.sent !== 0) return undefined;
          ctx.persist({ sent: 7 });
          ctx.send('storage', { type: 'Write', token: 7 });
          return s;
        },
      },
      timers: { renew: (s) => s },
    }),
    storage: role({
      init: () => ({ writes: [] as number[] }),
      on: {
        Write: (s, m, ctx) => {
          ctx.observe('write', m.token);
          ctx.send(ctx.from, { type: 'Ok' });
          return { writes: [...s.writes, m.token] };
        },
      },
    }),
  }),
  faults: { drop: 1, crash: 1 },
});

describe('labels', () => {
  test('name the node, the action and the message', () => {
    const sys = compile(kv);
    const w = walk(sys, ['step client2.write']);
    const labels = labelsOf(sys, w);
    expect(labels).toContain('deliver Write{token:7} client2→storage');
    expect(labels).toContain('drop Write{token:7} client2→storage');
    expect(labels).toContain('crash client1');
    expect(labels).toContain('step client1.write');
  });

  test('deliver, fire, tick, pause, resume, restart, partition, heal, duplicate, delay, clockJump', () => {
    const spec = protocol({
      name: 'labels',
      messages: messages<{ Granted: { until: number; holder: string } }>(),
      nodes: { lock: 1, client: 2 },
      roles: (role) => ({
        lock: role({
          init: (ctx) => {
            ctx.send('client1', { type: 'Granted', until: 4, holder: 'client1' });
            return {};
          },
        }),
        client: role({
          clock: true,
          init: (ctx) => {
            ctx.setTimer('renew', 0);
            return {};
          },
          on: { Granted: (s) => s },
          timers: { renew: (s) => s },
        }),
      }),
      time: { mode: 'timed', maxTime: 5, maxDelay: 3, maxJump: 1 },
      faults: { pause: 1, crash: 1, partition: 1, duplicate: 1, delay: 1, clockJump: 1 },
      partitions: [['lock']],
    });
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    const l0 = labelsOf(sys, w0);
    expect(l0).toEqual([
      'deliver Granted{holder:"client1",until:4} lock→client1 (by t=3)',
      'fire client1.renew',
      'fire client2.renew',
      'duplicate Granted{holder:"client1",until:4} lock→client1 (by t=3)',
      'crash lock',
      'crash client1',
      'crash client2',
      'pause lock',
      'pause client1',
      'pause client2',
      'partition lock | client1,client2',
      'delay Granted{holder:"client1",until:4} lock→client1 (by t=3)',
      'clockJump client1 offset=-1',
      'clockJump client1 offset=+1',
      'clockJump client2 offset=-1',
      'clockJump client2 offset=+1',
    ]);
    // no tick: the renew timers are due (prompt timers)
    const w1 = walk(sys, ['fire client1.renew', 'fire client2.renew', 'pause client1', 'crash client2', 'partition lock | client1,client2']);
    const l1 = labelsOf(sys, w1);
    expect(l1).toContain('tick (t=1)');
    expect(l1).toContain('resume client1');
    expect(l1).toContain('restart client2');
    expect(l1).toContain('heal');
  });
});

describe('network', () => {
  test('in-flight messages are a multiset: two equal copies, one delivery successor, two deliveries', () => {
    const spec = protocol({
      name: 'multiset',
      messages: messages<{ M: {} }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'M' });
            ctx.send('b', { type: 'M' });
            return {};
          },
        }),
        b: role({ init: () => 0, on: { M: (n) => n + 1 } }),
      }),
    });
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    expect(w0.inFlight).toHaveLength(2);
    expect(sys.view(w0).inFlight({ type: 'M' })).toHaveLength(2);
    expect(labelsOf(sys, w0)).toEqual(['deliver M a→b']);
    const w2 = walk(sys, ['deliver M a→b', 'deliver M a→b']);
    expect(w2.nodes.b!.state).toBe(2);
    expect(explore(spec).distinct).toBe(3);
  });

  test('the network value does not depend on the order messages were sent in', () => {
    const spec = protocol({
      name: 'order',
      messages: messages<{ X: { n: number } }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('c', { type: 'X', n: 2 });
            return {};
          },
          steps: {
            go: (s: { done?: boolean }, ctx) => {
              if (s.done) return undefined;
              ctx.send('c', { type: 'X', n: 1 });
              return { done: true };
            },
          },
        }),
        b: role({
          init: (ctx) => {
            ctx.send('c', { type: 'X', n: 1 });
            return {};
          },
          steps: {
            go: (s: { done?: boolean }, ctx) => {
              if (s.done) return undefined;
              ctx.send('c', { type: 'X', n: 2 });
              return { done: true };
            },
          },
        }),
        c: role({ init: () => 0, on: { X: (n) => n + 1 } }),
      }),
    });
    const sys = compile(spec);
    const w = walk(sys, ['step a.go', 'step b.go']);
    expect(w.inFlight.map((e) => `${e.from}:${String(e.msg.n)}`)).toEqual(['a:1', 'b:1', 'a:2', 'b:2']);
    const w2 = walk(sys, ['step b.go', 'step a.go']);
    expect(canon(w2)).toBe(canon(w));
    expect(labelsOf(sys, w2)).toEqual(labelsOf(sys, w));
  });

  test('FIFO: only the oldest message of a channel is deliverable; a duplicate follows its original', () => {
    const spec = protocol({
      name: 'fifo',
      messages: messages<{ M: { n: number } }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            for (const n of [3, 1, 2]) ctx.send('b', { type: 'M', n });
            ctx.send('c', { type: 'M', n: 9 });
            return {};
          },
        }),
        b: role({ init: () => [] as number[], on: { M: (s, m) => [...s, m.n] } }),
        c: role({ init: () => [] as number[], on: { M: (s, m) => [...s, m.n] } }),
      }),
      network: { fifo: true },
      faults: { duplicate: 1, drop: 1 },
    });
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    expect(labelsOf(sys, w0).filter((l) => l.startsWith('deliver'))).toEqual(['deliver M{n:3} a→b', 'deliver M{n:9} a→c']);
    expect(labelsOf(sys, w0).filter((l) => l.startsWith('drop'))).toEqual(['drop M{n:3} a→b', 'drop M{n:1} a→b', 'drop M{n:2} a→b', 'drop M{n:9} a→c']);
    const w = walk(sys, ['duplicate M{n:1} a→b', 'deliver M{n:3} a→b', 'deliver M{n:1} a→b', 'deliver M{n:1} a→b', 'deliver M{n:2} a→b']);
    expect(w.nodes.b!.state).toEqual([3, 1, 1, 2]);
  });

  test('maxInFlight: states with more messages in flight are checked but not expanded', () => {
    const spec = protocol({
      name: 'flood',
      messages: messages<{ M: {} }>(),
      roles: (role) => ({
        a: role({
          init: () => ({}),
          steps: {
            send: (s, ctx) => {
              ctx.send('b', { type: 'M' });
              return s;
            },
          },
        }),
        b: role({ init: () => ({}), on: { M: (s) => s } }),
      }),
      network: { maxInFlight: 2 },
    });
    // 0, 1, 2 messages in flight (expanded) and 3 (reached and checked, not expanded, not counted: TLC's count)
    const o = explore(spec);
    expect(o.states.length).toBe(4);
    expect(o.distinct).toBe(3);
  });
});

describe('crash and restart', () => {
  test('volatile state and timers are lost, durable state kept, messages to the crashed node stay in flight', () => {
    const sys = compile(kv);
    const w = walk(sys, ['step client1.write', 'deliver Write{token:7} client1→storage', 'crash client1']);
    const c1 = w.nodes.client1!;
    expect(c1.status).toBe('crashed');
    expect(c1.state).toBe(null);
    expect(c1.timers).toEqual({});
    expect(c1.durable).toEqual({ sent: 7 });
    // the Ok to client1 stays in flight: not deliverable, but droppable
    expect(sys.view(w).inFlight({ type: 'Ok' })).toHaveLength(1);
    const labels = labelsOf(sys, w);
    expect(labels).not.toContain('deliver Ok client1→storage');
    expect(labels).not.toContain('deliver Ok storage→client1');
    expect(labels).toContain('drop Ok storage→client1');
    expect(labels).toContain('restart client1');
    expect(labels).not.toContain('crash client2'); // budget used
    // after the restart the recover hook rebuilt the volatile state from the durable state; the Ok is delivered late
    const w2 = walk(sys, ['step client1.write', 'deliver Write{token:7} client1→storage', 'crash client1', 'restart client1']);
    expect(w2.nodes.client1!.state).toEqual({ token: 7, acked: false });
    const w3 = step(sys, w2, 'deliver Ok storage→client1');
    expect(w3.nodes.client1!.state).toEqual({ token: 7, acked: true });
    // ghost observations survive everything
    expect(sys.view(w3).observed('write')).toEqual([7]);
  });
});

describe('timed mode', () => {
  const timed = (extra: object = {}) =>
    protocol({
      name: 'timed',
      messages: messages<{ M: {} }>(),
      roles: (role) => ({
        a: role({
          clock: true,
          init: (ctx) => {
            ctx.setTimer('t', 2);
            return { fired: -1 as number, mono: -1 as number };
          },
          timers: { t: (_s, ctx) => ({ fired: ctx.now(), mono: ctx.monotonic() }) },
        }),
      }),
      time: { mode: 'timed', maxTime: 6, ...extra },
      faults: { pause: 1, crash: 1 },
    });

  test('a due timer blocks tick; a paused node does not: its timer fires late after resume', () => {
    const sys = compile(timed());
    const w2 = walk(sys, ['tick (t=1)', 'tick (t=2)']);
    expect(labelsOf(sys, w2)).not.toContain('tick (t=3)');
    expect(labelsOf(sys, w2)).toContain('fire a.t');
    const p = walk(sys, ['tick (t=1)', 'pause a', 'tick (t=2)', 'tick (t=3)']);
    expect(labelsOf(sys, p)).not.toContain('fire a.t'); // paused: fires nothing
    expect(labelsOf(sys, p)).toContain('tick (t=4)');
    const late = step(sys, step(sys, p, 'resume a'), 'fire a.t');
    expect(late.nodes.a!.state).toEqual({ fired: 3, mono: 3 });
  });

  test('monotonic() counts from the last restart; now() does not', () => {
    const sys = compile(timed());
    const w = walk(sys, ['tick (t=1)', 'crash a', 'tick (t=2)', 'restart a', 'tick (t=3)', 'tick (t=4)', 'fire a.t']);
    expect(w.nodes.a!.state).toEqual({ fired: 4, mono: 2 });
    expect(w.nodes.a!.startedAt).toBe(2);
    expect(sys.view(w).node('a').clock).toEqual({ offset: 0, now: 4, monotonic: 2 });
  });

  test('time stops at maxTime', () => {
    const sys = compile(timed({ maxTime: 1 }));
    expect(labelsOf(sys, walk(sys, ['tick (t=1)']))).not.toContain('tick (t=2)');
  });

  test('an enabled step blocks tick (prompt local steps); a step that changes nothing is not enabled', () => {
    const spec = protocol({
      name: 'steps',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: () => ({ n: 0 }),
          steps: {
            inc: (s) => (s.n < 2 ? { n: s.n + 1 } : undefined),
            same: (s) => ({ ...s }), // equal value: not a step
          },
        }),
      }),
      time: { mode: 'timed', maxTime: 3 },
    });
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    expect(labelsOf(sys, w0)).toEqual(['step a.inc']);
    expect(labelsOf(sys, walk(sys, ['step a.inc', 'step a.inc']))).toEqual(['tick (t=1)']);
  });

  test('maxDelay: a message to an up node must be delivered or dropped before it is late; delay exempts it', () => {
    const spec = protocol({
      name: 'sync',
      messages: messages<{ M: {} }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'M' });
            return {};
          },
        }),
        b: role({ init: () => 0, on: { M: (n) => n + 1 } }),
      }),
      time: { mode: 'timed', maxTime: 5, maxDelay: 1 },
      faults: { delay: 1, pause: 1 },
    });
    const sys = compile(spec);
    const w1 = walk(sys, ['tick (t=1)']);
    expect(labelsOf(sys, w1)).not.toContain('tick (t=2)'); // M is due by t=1
    // a message to a paused node is not bound
    const p = walk(sys, ['pause b', 'tick (t=1)', 'tick (t=2)']);
    expect(labelsOf(sys, p)).toContain('tick (t=3)');
    // ... but it is again once the node is up
    expect(labelsOf(sys, step(sys, p, 'resume b'))).not.toContain('tick (t=3)');
    // delayed: exempt for good
    const d = walk(sys, ['delay M a→b (by t=1)', 'tick (t=1)', 'tick (t=2)', 'tick (t=3)']);
    expect(labelsOf(sys, d)).toEqual(['deliver M a→b (delayed)', 'tick (t=4)', 'pause a', 'pause b']);
  });
});

describe('partition', () => {
  const spec = protocol({
    name: 'part',
    messages: messages<{ M: { n: number } }>(),
    nodes: { n: 3 },
    roles: (role) => ({
      n: role({
        init: () => ({ sent: 0, got: [] as number[] }),
        on: { M: (s, m) => ({ ...s, got: [...s.got, m.n] }) },
        steps: {
          send: (s, ctx) => {
            if (s.sent >= 2) return undefined;
            ctx.broadcast('n', { type: 'M', n: s.sent });
            return { ...s, sent: s.sent + 1 };
          },
        },
      }),
    }),
    faults: { partition: 1 },
  });

  test('every bipartition is explored; messages sent across the cut are lost until heal', () => {
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    expect(labelsOf(sys, w0).filter((l) => l.startsWith('partition'))).toEqual([
      'partition n1,n3 | n2',
      'partition n1,n2 | n3',
      'partition n1 | n2,n3',
    ]);
    const cut = walk(sys, ['step n1.send', 'partition n1 | n2,n3']);
    expect(cut.inFlight).toHaveLength(0); // the two in flight across the cut are lost
    expect(cut.partition).toEqual([['n1'], ['n2', 'n3']]);
    const sent = step(sys, cut, 'step n2.send'); // n2 → n1 lost, n2 → n3 kept
    expect(sent.inFlight.map((e) => `${e.from}→${e.to}`)).toEqual(['n2→n3']);
    expect(sys.notes!(cut, 'step n2.send', sent)).toEqual(['M{n:0} n2→n1 lost: the partition separates them']);
    const healed = step(sys, sent, 'heal');
    expect(healed.partition).toBe(null);
    expect(labelsOf(sys, healed).some((l) => l.startsWith('partition'))).toBe(false); // budget used
    // the second send reaches both (in flight in canonical order: by message, then route)
    expect(step(sys, healed, 'step n2.send').inFlight.map((e) => `${String(e.msg.n)}:${e.from}→${e.to}`)).toEqual([
      '0:n2→n3',
      '1:n2→n1',
      '1:n2→n3',
    ]);
  });

  test('the partition fault notes the messages it lost', () => {
    const sys = compile(spec);
    const w = walk(sys, ['step n1.send']);
    const next = step(sys, w, 'partition n1 | n2,n3');
    expect(sys.notes!(w, 'partition n1 | n2,n3', next)).toEqual(['lost in flight: M{n:0} n1→n2; M{n:0} n1→n3']);
  });
});

describe('choose', () => {
  test('each option is its own successor, labelled', () => {
    const spec = protocol({
      name: 'choose',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => ({ v: ctx.choose([1, 2]) }),
          steps: {
            pick: (s, ctx) => {
              if (s.v > 2) return undefined;
              const x = ctx.choose(['x', 'y']);
              const z = ctx.choose(x === 'x' ? [] : [10, 20]); // no option: no successor
              return { v: s.v + z };
            },
          },
        }),
      }),
    });
    const sys = compile(spec);
    const inits = sys.initialStates();
    expect(inits.map((w) => w.nodes.a!.state)).toEqual([{ v: 1 }, { v: 2 }]);
    expect(labelsOf(sys, inits[0]!)).toEqual(['step a.pick (choose: y, 10)', 'step a.pick (choose: y, 20)']);
  });
});

describe('budgets', () => {
  test('a budget of 0 removes the fault\'s actions; --faults overrides the spec', () => {
    const names = (faults?: Record<string, number>) => compile(kv, faults).actions.map((a) => a.name);
    expect(names()).toEqual([
      'deliver Ok@client',
      'fire renew@client',
      'step write@client',
      'restart@client',
      'deliver Write@storage',
      'restart@storage',
      'drop',
      'crash',
    ]);
    expect(names({ crash: 0, drop: 2, duplicate: 1 })).toEqual([
      'deliver Ok@client',
      'fire renew@client',
      'step write@client',
      'deliver Write@storage',
      'drop',
      'duplicate',
    ]);
    expect(compile(kv).actions.filter((a) => a.fault).map((a) => a.name)).toEqual(['drop', 'crash']);
    const r = explore(kv, { faults: { drop: 0, crash: 0 } });
    expect(r.states.every((w: World) => w.faults === undefined && w.time === undefined && w.partition === undefined)).toBe(true);
  });

  test('faults used counts only the fault table rows (not restart, resume, heal, tick)', () => {
    const sys = compile(kv, { crash: 1, drop: 1 });
    const w = walk(sys, ['step client1.write', 'crash client1', 'restart client1', 'drop Write{token:7} client1→storage']);
    expect(sys.faultsUsed!(w)).toBe(2);
    expect(sys.view(w).faults).toEqual({ drop: 1, duplicate: 0, crash: 1, pause: 0, partition: 0, delay: 0, clockJump: 0 });
  });
});

describe('world view', () => {
  test('helpers: nodes, node, live, inFlight filters, observed, status', () => {
    const sys = compile(kv);
    const w = walk(sys, ['step client1.write', 'step client2.write', 'deliver Write{token:7} client2→storage', 'crash client1']);
    const v = sys.view(w);
    expect(v.nodes('client').map((n) => n.id)).toEqual(['client1', 'client2']);
    expect(v.nodes().map((n) => n.role)).toEqual(['client', 'client', 'storage']);
    expect(v.live('client').map((n) => n.id)).toEqual(['client2']);
    expect(v.node('storage').state).toEqual({ writes: [7] });
    expect(v.node('client2').durable).toEqual({ sent: 7 });
    expect(v.status('client1')).toBe('crashed');
    expect(v.inFlight({ type: 'Write' }).map((m) => m.from)).toEqual(['client1']);
    expect(v.inFlight({ type: 'Write', token: 8 })).toEqual([]);
    expect(v.inFlight(undefined, { to: 'client2' }).map((m) => m.msg.type)).toEqual(['Ok']);
    expect(v.inFlight((m) => m.from === 'storage')).toHaveLength(1);
    expect(v.observed('write')).toEqual([7]);
    expect(v.faultsUsed).toBe(1);
    expect(v.partition).toBe(null);
    expect(v.time).toBe(0);
    expect(() => v.node('nobody')).toThrow(/unknown node "nobody"/);
  });
});

describe('determinism', () => {
  test('successors come in the same order every time', () => {
    const sys = compile(kv);
    const w = walk(sys, ['step client1.write', 'step client2.write']);
    const a = labelsOf(sys, w);
    const b = labelsOf(compile(kv), walk(compile(kv), ['step client2.write', 'step client1.write']));
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length); // labels are unique among the successors
  });
});

describe('notes', () => {
  test('ctx.note() remarks are returned for the step that made them', () => {
    const spec = protocol({
      name: 'notes',
      messages: messages<{ M: { n: number } }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'M', n: 1 });
            return {};
          },
        }),
        b: role({
          init: () => 0,
          on: {
            M: (s, m, ctx) => {
              ctx.note(`got ${m.n} from ${ctx.from}`);
              return s + m.n;
            },
          },
        }),
      }),
      faults: { drop: 1 },
    });
    const sys = compile(spec);
    const w0 = sys.initialStates()[0]!;
    const w1 = step(sys, w0, 'deliver M{n:1} a→b');
    expect(sys.notes!(w0, 'deliver M{n:1} a→b', w1)).toEqual(['got 1 from a']);
    expect(sys.notes!(w0, 'drop M{n:1} a→b', step(sys, w0, 'drop M{n:1} a→b'))).toEqual([]);
  });
});
