// The keys states are stored under, pinned: a checkpoint's visited set and a cluster's
// workers hold them, and identity.ts's STATE_KEYS tells a search keyed another way
// from this one. When a pin here fails, states are keyed differently now: raise
// STATE_KEYS (so old checkpoints and workers are refused, not misread) and re-pin.
import { Map as IMap } from 'immutable';
import { describe, expect, test } from 'vitest';
import type { TransitionSystem } from '../../src/core/types.js';
import { STATE_KEYS } from '../../src/explore/checkpoint/identity.js';
import { hashWords } from '../../src/packed/hash.js';
import { messages, protocol } from '../../src/protocol/index.js';
import type { World } from '../../src/protocol/world.js';
import { fingerprint } from '../../src/values/fingerprint.js';
import type { StateCodec } from '../../src/values/state-codec.js';

const spec = protocol({
  name: 'pinned',
  params: {},
  messages: messages<{ Ping: { n: number } }>(),
  nodes: { a: 1, b: 1 },
  roles: (role) => ({
    a: role({ init: (ctx) => (ctx.send('b', { type: 'Ping', n: 1 }), { sent: 1 }) }),
    b: role({ init: () => ({ got: 0 }), on: { Ping: (s, m) => ({ got: s.got + m.n }) } }),
  }),
});

describe(`state keys (STATE_KEYS ${STATE_KEYS})`, () => {
  test('a value: its structural fingerprint (plain objects, arrays, Immutable.js, bigint)', () => {
    const value = { nodes: IMap({ n1: { log: [1, 2], term: 2 } }), big: 12345678901234567890n, text: 'héllo', flags: [true, null, 0.5] };
    expect(fingerprint(value)).toBe('0b105332161ff0fe');
  });

  test('words: a packed state, and a coded state on one thread', () => {
    const out = new Uint32Array(2);
    hashWords(Int32Array.of(0, 1, -2, 0x7fffffff, 42), 0, 5, out);
    expect([...out]).toEqual([3699527823, 3281804621]);
  });

  test("a protocol world's key in a parallel search, from its parts' values", () => {
    const system = spec.compile({}) as TransitionSystem<World> & { codec(): StateCodec<World> };
    const codec = system.codec();
    const words = new Int32Array(codec.words);
    const out = new Uint32Array(2);
    const keys: number[][] = [];
    const each = (w: World) => {
      codec.encode(w, words, 0);
      codec.fingerprintWords!(words, 0, out);
      keys.push([...out]);
    };
    const [init] = system.initialStates();
    each(init!);
    system.successors(init!, each);
    expect(keys).toEqual([
      [2942966935, 3325265140],
      [1727024762, 3323869636],
    ]);
  });
});
