// --deadlock in a protocol: a state where no ordinary action but the passing of
// time (tick) is enabled — faults do not count — and `done` is false.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/check.js';
import { messages, protocol } from '../../src/protocol/index.js';
import type { Spec } from '../../src/core/types.js';

/** a sends one Ping to b; b is done when it has it. A drop leaves b waiting forever. */
const waiting = (done: boolean) =>
  protocol({
    name: 'waiting',
    messages: messages<{ Ping: {} }>(),
    roles: (role) => ({
      a: role({ init: (ctx) => (ctx.send('b', { type: 'Ping' }), { sent: true }) }),
      b: role({ init: () => ({ got: false }), on: { Ping: () => ({ got: true }) } }),
    }),
    faults: { drop: 1, crash: 1 },
    recovery: 'crash-stop',
    done: done ? (w) => w.node('b').state?.got === true || w.node('b').status === 'crashed' : undefined,
  }) as unknown as Spec;

describe('deadlock in protocols', () => {
  test('a state with only faults left enabled is a deadlock', () => {
    const r = check(waiting(false), { deadlock: true });
    expect(r.violation?.kind).toBe('deadlock');
    // the shortest: the Ping is delivered, after which only crashes are possible
    expect(r.violation!.trace.map((s) => s.action)).toEqual([null, 'deliver Ping a→b']);
  });

  test('done states are not deadlocks; a lost Ping still is', () => {
    const r = check(waiting(true), { deadlock: true });
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation!.trace.map((s) => s.action)).toEqual([null, 'drop Ping a→b']);
  });

  test('without --deadlock nothing is reported', () => {
    expect(check(waiting(false)).verdict).toBe('ok');
  });
});
