// Bad input: each is a clear SpecError naming the role and the handler.
import { describe, expect, test } from 'vitest';
import { isSpecError, type SpecError } from '../../src/core/errors.js';
import { messages, protocol } from '../../src/protocol/index.js';
import { check } from '../../src/check/check.js';
import { explore } from './oracle.js';

function specError(f: () => unknown): SpecError {
  try {
    f();
  } catch (e) {
    if (isSpecError(e)) return e;
    throw new Error(`expected a SpecError, got ${String(e)}`);
  }
  throw new Error('expected a SpecError, nothing was thrown');
}

type Msgs = { Ping: { n: number }; Pong: {} };

/** A two-role protocol whose client runs `act` when it starts. */
function clientDoes(act: (ctx: any, s: any) => unknown, extra: Record<string, unknown> = {}) {
  return protocol({
    name: 'bad',
    messages: messages<Msgs>(),
    nodes: { client: 2, server: 1 },
    roles: (role) => ({
      client: role({
        init: () => ({ n: 0 }),
        steps: { go: (s, ctx) => (s.n === 0 ? (act(ctx, s) as { n: number }) ?? { n: 1 } : undefined) },
        timers: { renew: (s) => s },
      }),
      server: role({ init: () => ({}), on: { Ping: (s) => s } }),
    }),
    ...extra,
  });
}

const run = (spec: ReturnType<typeof clientDoes>, faults?: Record<string, number>) => explore(spec, { faults });

describe('handler errors name the role and the handler', () => {
  test.each([
    ['send to an unknown node', (ctx: any) => ctx.send('sever', { type: 'Ping', n: 1 }), /send to unknown node "sever"; the nodes are client1, client2, server/],
    ['send to a role of several nodes', (ctx: any) => ctx.send('client', { type: 'Ping', n: 1 }), /client is a role of 2 nodes .*use broadcast\("client", msg\)/],
    ['broadcast to an unknown role', (ctx: any) => ctx.broadcast('servers', { type: 'Ping', n: 1 }), /broadcast to unknown role "servers"/],
    ['a message the receiver has no handler for', (ctx: any) => ctx.send('server', { type: 'Pong' }), /sends Pong to server, but role server has no handler for Pong/],
    ['a message without a type', (ctx: any) => ctx.send('server', { n: 1 }), /a message must be an object with a string type/],
    ['a message field that is not a value', (ctx: any) => ctx.send('server', { type: 'Ping', n: undefined }), /message Ping: field n is undefined/],
    ['a timer without a handler', (ctx: any) => ctx.setTimer('renw'), /setTimer\("renw"\): role client has no timer "renw"/],
    ['cancelling a timer without a handler', (ctx: any) => ctx.cancelTimer('x'), /cancelTimer\("x"\): role client has no timer "x"/],
    ['persist without durable state', (ctx: any) => ctx.persist({ a: 1 }), /persist\(\): role client declares no durable state/],
    ['now() in async mode', (ctx: any) => ctx.now(), /now\(\): clocks exist only in timed mode/],
    ['choose() without an array', (ctx: any) => ctx.choose(3), /choose\(options\): options must be an array/],
    ['observe() of a non-value', (ctx: any) => ctx.observe('k', () => 1), /observe\("k", value\): not a state value: it is a function/],
    ['a handler that throws', () => {
      throw new RangeError('boom');
    }, /handler steps.go of role client \(node client1\) threw: RangeError: boom/],
  ])('%s', (_what, act, message) => {
    const e = specError(() => run(clientDoes(act)));
    expect(e.message).toMatch(message);
    expect(e.role).toBe('client');
    expect(e.handler).toBe('steps.go');
    expect(e.action).toBe('step client1.go');
  });

  test('a thrown exception is kept as the cause', () => {
    const boom = new Error('boom');
    const e = specError(() =>
      run(
        clientDoes(() => {
          throw boom;
        }),
      ),
    );
    expect(e.cause).toBe(boom);
  });

  test.each([
    ['undefined', undefined, /returned a non-state: undefined \(return the new local state, or s itself/],
    ['a function', () => 1, /returned a non-state: it is a function/],
    ['a Promise', Promise.resolve(1), /returned a non-state: it is an instance of class Promise/],
    ['a JavaScript Map', new Map(), /returned a non-state: it is a JavaScript Map/],
    ['a state with an undefined field', { a: { b: undefined } }, /returned a non-state: .a.b is undefined/],
    ['NaN', NaN, /returned a non-state: it is NaN/],
  ])('a message handler returning %s', (_what, value, message) => {
    const spec = protocol({
      name: 'returns',
      messages: messages<{ Ping: {} }>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.send('b', { type: 'Ping' });
            return {};
          },
        }),
        b: role({ init: () => ({}), on: { Ping: () => value as {} } }),
      }),
    });
    const e = specError(() => explore(spec));
    expect(e.message).toMatch(message);
    expect(e.role).toBe('b');
    expect(e.handler).toBe('on.Ping');
    expect(e.action).toBe('deliver Ping a→b');
  });

  test('init and timers must return a state too', () => {
    const spec = protocol({
      name: 'init-undefined',
      messages: messages<{}>(),
      roles: (role) => ({ a: role({ init: () => undefined as unknown as {} }) }),
    });
    const e = specError(() => explore(spec));
    expect(e.role).toBe('a');
    expect(e.handler).toBe('init');
    const t = protocol({
      name: 'timer-undefined',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.setTimer('t');
            return {};
          },
          timers: { t: () => undefined as unknown as {} },
        }),
      }),
    });
    const e2 = specError(() => explore(t));
    expect([e2.role, e2.handler, e2.action]).toEqual(['a', 'timers.t', 'fire a.t']);
  });

  test('a handler that mutates its state is reported by the checker', () => {
    const spec = protocol({
      name: 'mutates',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: () => ({ n: 0 }),
          steps: {
            inc: (s) => {
              if (s.n >= 2) return undefined;
              (s as { n: number }).n++;
              return s;
            },
          },
        }),
      }),
    });
    const r = check(spec, {});
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/mutated the state/);
    expect(r.error!.role).toBe('a');
    expect(r.error!.handler).toBe('steps.inc');
  });

  test('a nondeterministic handler is reported by the checker', () => {
    let calls = 0;
    const spec = protocol({
      name: 'impure',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: () => ({ n: 0 }),
          steps: { inc: (s) => (s.n < 3 ? { n: s.n + 1 + (calls++ % 2) } : undefined) },
        }),
      }),
    });
    const r = check(spec, { recheckRate: 1 });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/nondeterministic/);
    expect(r.error!.message).toMatch(/step a.inc/);
  });

  test('now() in a role without a clock; setTimer without a delay in timed mode', () => {
    const timed = { time: { mode: 'timed', maxTime: 2 } };
    const e = specError(() => run(clientDoes((ctx) => ctx.now(), timed)));
    expect(e.message).toMatch(/now\(\): role client has no clock; declare clock: true/);
    expect([e.role, e.handler]).toEqual(['client', 'steps.go']);
    const e2 = specError(() => run(clientDoes((ctx) => ctx.setTimer('renew'), timed)));
    expect(e2.message).toMatch(/setTimer\("renew"\) needs a delay in timed mode/);
    const e3 = specError(() => run(clientDoes((ctx) => ctx.setTimer('renew', -1), timed)));
    expect(e3.message).toMatch(/the delay must be a non-negative integer/);
  });
});

describe('spec errors at compile time', () => {
  const ok = clientDoes(() => undefined);

  test.each([
    ['an unknown fault name', { drop: 1, lose: 1 }, /unknown fault "lose" in --faults; the faults are drop, duplicate, crash, pause, partition, delay, clockJump/],
    ['a negative budget', { drop: -1 }, /the budget of fault drop in --faults must be a non-negative integer, got -1/],
    ['a fractional budget', { crash: 0.5 }, /the budget of fault crash in --faults must be a non-negative integer/],
    ['a pause budget in async mode', { pause: 1 }, /a pause budget \(1\) is refused in async mode: without time a pause adds no behaviour/],
    ['a clockJump budget in async mode', { clockJump: 1 }, /needs timed mode/],
    ['a delay budget in async mode', { delay: 1 }, /needs timed mode with maxDelay/],
  ])('%s (from --faults)', (_what, faults, message) => {
    const e = specError(() => ok.compile(ok.params as never, { faults }));
    expect(e.message).toMatch(message);
    expect(e.handler).toBe('faults');
  });

  test('the same checks apply to the spec\'s own budgets', () => {
    const e = specError(() => clientDoes(() => undefined, { faults: { dorp: 1 } }).compile({} as never));
    expect(e.message).toMatch(/unknown fault "dorp" in the spec's faults/);
    const e2 = specError(() => clientDoes(() => undefined, { faults: { pause: 1 } }).compile({} as never));
    expect(e2.message).toMatch(/refused in async mode/);
  });

  test('timed-mode budgets need their bounds', () => {
    const timed = (faults: object, time: object = {}) =>
      clientDoes(() => undefined, { time: { mode: 'timed', maxTime: 2, ...time }, faults }).compile({} as never);
    expect(specError(() => timed({ delay: 1 })).message).toMatch(/a delay budget \(1\) needs time.maxDelay/);
    expect(specError(() => timed({ clockJump: 1 })).message).toMatch(/needs time.maxJump/);
    expect(specError(() => timed({ clockJump: 1 }, { maxJump: 1 })).message).toMatch(/no role declares clock: true/);
    expect(() => timed({ pause: 1 })).not.toThrow();
  });

  test('bad definitions', () => {
    expect(specError(() => clientDoes(() => undefined, { nodes: { client: 1, servr: 1 } }).compile({} as never)).message).toMatch(
      /nodes names role "servr", which is not defined/,
    );
    expect(specError(() => clientDoes(() => undefined, { nodes: { client: -1, server: 1 } }).compile({} as never)).message).toMatch(
      /the node count of role client must be a non-negative integer/,
    );
    expect(specError(() => clientDoes(() => undefined, { nodes: { client: ['a', 'a'], server: 1 } }).compile({} as never)).message).toMatch(
      /two nodes have the id a/,
    );
    expect(specError(() => clientDoes(() => undefined, { time: { mode: 'timed' } }).compile({} as never)).message).toMatch(
      /time.maxTime must be a non-negative integer \(required in timed mode\)/,
    );
    expect(specError(() => clientDoes(() => undefined, { time: { mode: 'async', maxTime: 3 } }).compile({} as never)).message).toMatch(
      /maxTime only apply in timed mode/,
    );
    expect(specError(() => clientDoes(() => undefined, { recovery: 'restart' })).message).toMatch(/recovery must be 'crash-recover' or 'crash-stop'/);
    expect(specError(() => clientDoes(() => undefined, { invariants: { x: 3 } })).message).toMatch(/invariants.x must be a function/);
    const noInit = specError(() =>
      protocol({ name: 'x', messages: messages<{}>(), roles: (role) => ({ a: role({} as never) }) }).compile({} as never),
    );
    expect([noInit.role, noInit.handler]).toEqual(['a', 'init']);
    const badHandler = specError(() =>
      protocol({ name: 'x', messages: messages<{ M: {} }>(), roles: (role) => ({ a: role({ init: () => 1, on: { M: 3 as never } }) }) }).compile({} as never),
    );
    expect([badHandler.role, badHandler.handler]).toEqual(['a', 'on.M']);
    expect(specError(() => clientDoes(() => undefined, { faults: { partition: 1 }, partitions: [['client1', 'nobody']] }).compile({} as never)).message).toMatch(
      /partition candidate names unknown node or role "nobody"/,
    );
  });

  test('a throwing property names the property', () => {
    const spec = clientDoes(() => undefined, {
      invariants: {
        broken: () => {
          throw new Error('oops');
        },
      },
    });
    const e = specError(() => explore(spec));
    expect(e.message).toMatch(/invariant broken threw: oops/);
    expect(e.handler).toBe('broken');
  });

  test('the checker reports handler errors as errors with role, handler and trace', () => {
    const r = check(
      clientDoes((ctx) => ctx.send('nobody', { type: 'Ping', n: 1 })),
      {},
    );
    expect(r.verdict).toBe('error');
    expect(r.error!.role).toBe('client');
    expect(r.error!.handler).toBe('steps.go');
    expect(r.error!.message).toMatch(/unknown node "nobody"/);
  });
});
