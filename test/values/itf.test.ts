import { List, Map as IMap, OrderedMap, Record, Set as ISet, Stack } from 'immutable';
import { describe, expect, it } from 'vitest';
import {
  ITF_FORMAT_DESCRIPTION,
  ItfError,
  fromITF,
  itfTrace,
  parseItfTrace,
  toITF,
} from '../../src/values/itf.js';
import { NonCanonicalError, fingerprint } from '../../src/values/fingerprint.js';
import { randomValue, rng } from './arbitrary.js';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('toITF', () => {
  it('keeps null, booleans, strings and safe numbers as JSON', () => {
    expect(toITF(null)).toBe(null);
    expect(toITF(true)).toBe(true);
    expect(toITF('n1')).toBe('n1');
    expect(toITF(42)).toBe(42);
    expect(toITF(0.5)).toBe(0.5);
    expect(toITF(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toITF(-Number.MAX_SAFE_INTEGER)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(Object.is(toITF(-0), 0)).toBe(true);
  });

  it('writes bigints and integers beyond the safe range as #bigint', () => {
    expect(toITF(5n)).toEqual({ '#bigint': '5' });
    expect(toITF(-(10n ** 30n))).toEqual({ '#bigint': '-1000000000000000000000000000000' });
    expect(toITF(2 ** 53)).toEqual({ '#bigint': '9007199254740992' });
    expect(toITF(-1e21)).toEqual({ '#bigint': '-1000000000000000000000' });
  });

  it('writes records with sorted keys, seqs as arrays', () => {
    const Point = Record({ y: 0, x: 0 });
    const v = { zeta: [1, List(['a'])], alpha: Point({ x: 1 }), mid: Stack([true]) };
    expect(JSON.stringify(toITF(v))).toBe('{"alpha":{"x":1,"y":0},"mid":[true],"zeta":[1,["a"]]}');
  });

  it('writes Maps as #map and Sets as #set, in canonical order', () => {
    const v = { m: OrderedMap<unknown, unknown>([['b', 2], [10, ISet([3, 1])], [2, 'x']]) };
    expect(JSON.stringify(toITF(v))).toBe('{"m":{"#map":[[2,"x"],[10,{"#set":[1,3]}],["b",2]]}}');
    expect(toITF(ISet([{ b: 1 }, { a: 1 }]))).toEqual({ '#set': [{ a: 1 }, { b: 1 }] });
    expect(toITF(IMap([[List([1]), 0]]))).toEqual({ '#map': [[[1], 0]] });
    expect(toITF(IMap())).toEqual({ '#map': [] });
    expect(toITF(ISet())).toEqual({ '#set': [] });
  });

  it('rejects values that are not state values, with their path', () => {
    const e = thrown(() => toITF({ nodes: IMap({ n1: { log: [1, undefined] } }) }));
    expect(e).toBeInstanceOf(NonCanonicalError);
    expect(e.message).toBe('state.nodes.get("n1").log[1] is undefined (use null, or leave the key out)');
    expect(thrown(() => toITF(ISet([1, () => 1, 2]))).message).toBe('state.values() is a function');
    expect(thrown(() => toITF(IMap([[1, 0], [NaN, 1], [2, 0]]))).message).toBe(
      'state.keys() is NaN (only finite numbers are state values)',
    );
    expect(thrown(() => toITF(IMap<number, unknown>([[1, 0], [3, [undefined]], [2, 0]]))).message).toBe(
      'state.get(3)[0] is undefined (use null, or leave the key out)',
    );
  });

  it('rejects record keys starting with "#", which ITF reserves', () => {
    const e = thrown(() => toITF({ x: { '#set': [1] } }));
    expect(e).toBeInstanceOf(NonCanonicalError);
    expect(e.message).toBe('state.x is a record with key "#set" (ITF reserves keys starting with "#")');
  });
});

describe('fromITF', () => {
  it('decodes every form', () => {
    expect(fromITF(null)).toBe(null);
    expect(fromITF('s')).toBe('s');
    expect(fromITF(3)).toBe(3);
    expect(fromITF({ '#bigint': '-12' })).toBe(-12n);
    expect(fromITF({ '#tup': [1, 'a'] })).toEqual([1, 'a']);
    const set = fromITF({ '#set': [1, 2] });
    expect(ISet.isSet(set)).toBe(true);
    expect((set as ISet<number>).equals(ISet([2, 1]))).toBe(true);
    const map = fromITF({ '#map': [['a', { '#bigint': '1' }], [[1, 2], true]] }) as IMap<unknown, unknown>;
    expect(IMap.isMap(map)).toBe(true);
    expect(map.get('a')).toBe(1n);
    expect([...map.keys()][1]).toEqual([1, 2]);
    expect(fromITF({})).toEqual({});
  });

  it('returns frozen plain objects and arrays', () => {
    const v = fromITF({ b: [{ c: 1 }], a: { '#tup': [] } }) as { a: unknown[]; b: { c: number }[] };
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Array.isArray(v.b)).toBe(true);
    expect(Object.isFrozen(v)).toBe(true);
    expect(Object.isFrozen(v.b)).toBe(true);
    expect(Object.isFrozen(v.b[0])).toBe(true);
    expect(Object.isFrozen(v.a)).toBe(true);
  });

  it('keeps "__proto__" as an ordinary key', () => {
    const v = fromITF(JSON.parse('{"__proto__": 1}')) as object;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
  });

  it('rejects malformed values, saying where', () => {
    const cases: [unknown, string][] = [
      [{ x: { '#bigint': 12 } }, 'invalid ITF at .x["#bigint"]: expected a string of decimal digits'],
      [{ '#bigint': '1.5' }, 'invalid ITF at ["#bigint"]: expected a string of decimal digits'],
      [{ '#set': 1 }, 'invalid ITF at ["#set"]: expected an array'],
      [{ '#set': [1, 1] }, 'invalid ITF at ["#set"]: duplicate set element'],
      [{ '#map': [[1, 2, 3]] }, 'invalid ITF at ["#map"][0]: expected a [key, value] pair'],
      [{ '#map': [[1, 2], [1, 3]] }, 'invalid ITF at ["#map"]: duplicate map key'],
      [{ '#map': [[1, { '#huh': 0 }]] }, 'invalid ITF at ["#map"][0][1]: unknown ITF form "#huh"'],
      [{ '#set': [1], a: 2 }, 'invalid ITF: "#set" must be the only key of its object'],
      [[1, { '#unserializable': 'Int' }], 'invalid ITF at [1]: an unserializable value ("Int")'],
      [{ a: undefined }, 'invalid ITF at .a: undefined is not a JSON value'],
      [{ a: new Date(0) }, 'invalid ITF at .a: an instance of class Date (use plain objects, arrays or Immutable.js values) is not a JSON value'],
    ];
    for (const [json, message] of cases) {
      const e = thrown(() => fromITF(json));
      expect(e, message).toBeInstanceOf(ItfError);
      expect(e.message).toBe(message);
    }
  });
});

describe('ITF round trip', () => {
  it('preserves the fingerprint of 1,000 random values, through JSON text', () => {
    const r = rng(5);
    let checked = 0;
    for (let i = 0; i < 1000; i++) {
      const v = randomValue(r, 4);
      const json = JSON.parse(JSON.stringify(toITF(v)));
      // Integers beyond 2^53 come back as bigints (documented): leave those out here.
      if (JSON.stringify(json).includes('#bigint') && hasUnsafeInteger(v)) continue;
      const back = fromITF(json);
      expect(fingerprint(back), `value #${i}: ${JSON.stringify(json)}`).toBe(fingerprint(v));
      expect(toITF(back)).toEqual(json);
      checked++;
    }
    expect(checked).toBeGreaterThan(700);
  });

  it('preserves Lists as arrays, Records as plain objects, OrderedMaps as Maps', () => {
    const Point = Record({ x: 0, y: 0 });
    const v = { l: List([1, 2]), p: Point({ y: 3 }), m: OrderedMap([['k', Stack(['s'])]]), s: ISet([List([1])]) };
    const back = fromITF(toITF(v)) as { l: unknown; p: unknown; m: IMap<string, unknown> };
    expect(back.l).toEqual([1, 2]);
    expect(back.p).toEqual({ x: 0, y: 3 });
    expect(IMap.isMap(back.m) && !OrderedMap.isOrderedMap(back.m)).toBe(true);
    expect(fingerprint(back)).toBe(fingerprint(v));
  });

  it('turns an integer beyond 2^53 into a bigint (a documented loss)', () => {
    expect(fromITF(toITF(2 ** 60))).toBe(2n ** 60n);
  });
});

function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (typeof v !== 'object' || v === null) return false;
  const inner: unknown[] = List.isList(v) || ISet.isSet(v) || Array.isArray(v)
    ? [...(v as Iterable<unknown>)]
    : IMap.isMap(v)
      ? [...(v as IMap<unknown, unknown>).entries()].flat()
      : Record.isRecord(v)
        ? Object.values((v as Record<object>).toObject())
        : Object.values(v);
  return inner.some(hasUnsafeInteger);
}

describe('itfTrace', () => {
  const states = [
    { phase: 'init', votes: ISet<string>() },
    { votes: ISet(['n2', 'n1']), phase: 'voting' },
  ];

  it('writes an ITF document with meta, sorted vars and indexed states', () => {
    const doc = itfTrace(states, { source: 'specs/vote.ts', description: 'violation of Safety', model: undefined }, [
      null,
      'vote(n1)',
    ]);
    expect(doc).toEqual({
      '#meta': {
        format: 'ITF',
        'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
        source: 'specs/vote.ts',
        description: 'violation of Safety',
      },
      vars: ['phase', 'votes'],
      states: [
        { '#meta': { index: 0 }, phase: 'init', votes: { '#set': [] } },
        { '#meta': { index: 1, action: 'vote(n1)' }, phase: 'voting', votes: { '#set': ['n1', 'n2'] } },
      ],
    });
    expect(ITF_FORMAT_DESCRIPTION).toBe('https://apalache-mc.org/docs/adr/015adr-trace.html');
    expect(Object.keys(doc.states[1]!)).toEqual(['#meta', 'phase', 'votes']);
  });

  it('does not let meta override the format fields', () => {
    const doc = itfTrace([{ x: 1 }], { format: 'other', 'format-description': 'x' });
    expect(doc['#meta']).toEqual({ format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION });
  });

  it('writes an empty trace', () => {
    expect(itfTrace([])).toEqual({
      '#meta': { format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION },
      vars: [],
      states: [],
    });
  });

  it('rejects states that are not records, differing vars, and a wrong number of actions', () => {
    expect(() => itfTrace([IMap({ a: 1 })])).toThrow('itfTrace: state 0 is a map, but ITF states are records of variables');
    expect(() => itfTrace([{ a: 1 }, { a: 1, b: 2 }])).toThrow('itfTrace: state 1 has variables [a, b] but state 0 has [a]');
    expect(() => itfTrace([{ a: 1 }, { a: 2 }], {}, ['x'])).toThrow(
      'itfTrace: 1 actions for 2 states (give one per state, null for the first)',
    );
    expect(() => itfTrace([{ a: () => 1 }])).toThrow('state.a is a function');
  });
});

describe('parseItfTrace', () => {
  it('reads back what itfTrace wrote, from text or parsed JSON', () => {
    const states = [
      { nodes: IMap({ n1: { log: [1n], up: true } }), t: 0 },
      { nodes: IMap({ n1: { log: [1n, 2n], up: false } }), t: 1 },
    ];
    const doc = itfTrace(states, { source: 's.ts' }, [null, 'crash(n1)']);
    for (const input of [JSON.stringify(doc), JSON.parse(JSON.stringify(doc)) as unknown]) {
      const parsed = parseItfTrace(input);
      expect(parsed.meta).toEqual({ format: 'ITF', 'format-description': ITF_FORMAT_DESCRIPTION, source: 's.ts' });
      expect(parsed.vars).toEqual(['nodes', 't']);
      expect(parsed.actions).toEqual([null, 'crash(n1)']);
      expect(parsed.states.map((s) => fingerprint(s))).toEqual(states.map((s) => fingerprint(s)));
      expect(Object.isFrozen(parsed.states[0])).toBe(true);
    }
  });

  it('reads a trace written by another tool (Quint style: #bigint ints, no format, params, repeated var)', () => {
    const parsed = parseItfTrace({
      '#meta': { source: 'bank.qnt', status: 'ok' },
      params: [],
      vars: ['balances', 'mbt::actionTaken', 'mbt::actionTaken'],
      states: [
        { '#meta': { index: 0 }, balances: { '#map': [['alice', { '#bigint': '0' }]] }, 'mbt::actionTaken': 'init' },
      ],
      loop: null,
    });
    expect(parsed.vars).toEqual(['balances', 'mbt::actionTaken']);
    expect(parsed.actions).toEqual([null]);
    expect((parsed.states[0] as { balances: IMap<string, bigint> }).balances.get('alice')).toBe(0n);
  });

  it('rejects malformed documents with a clear message', () => {
    const good = { vars: ['x'], states: [{ x: 1 }] };
    const cases: [unknown, string][] = [
      ['{nope', 'invalid ITF: not JSON ('],
      [[], 'invalid ITF: a trace must be a JSON object with "vars" and "states"'],
      [{ ...good, '#meta': [] }, 'invalid ITF at ["#meta"]: expected an object'],
      [{ ...good, '#meta': { format: 'TLC' } }, 'invalid ITF at ["#meta"].format: expected "ITF", got "TLC"'],
      [{ states: [] }, 'invalid ITF at .vars: expected an array of variable names'],
      [{ vars: ['x', 3], states: [] }, 'invalid ITF at .vars: expected an array of variable names'],
      [{ vars: ['#meta'], states: [] }, 'invalid ITF at .vars: expected an array of variable names'],
      [{ vars: ['x'] }, 'invalid ITF at .states: expected an array of states'],
      [{ vars: ['x'], states: [{ x: 1 }, 5] }, 'invalid ITF at .states[1]: expected an object'],
      [{ vars: ['x'], states: [{}] }, 'invalid ITF at .states[0]: variable "x" is missing'],
      [{ vars: ['x'], states: [{ x: 1, y: 2 }] }, 'invalid ITF at .states[0]: "y" is not one of the vars'],
      [{ vars: ['x'], states: [{ x: 1, '#meta': 3 }] }, 'invalid ITF at .states[0]["#meta"]: expected an object'],
      [
        { vars: ['x'], states: [{ x: 1, '#meta': { action: 7 } }] },
        'invalid ITF at .states[0]["#meta"].action: expected a string',
      ],
      [{ vars: ['x'], states: [{ x: { '#set': 'a' } }] }, 'invalid ITF at .states[0].x["#set"]: expected an array'],
    ];
    for (const [doc, message] of cases) {
      const e = thrown(() => parseItfTrace(doc));
      expect(e, message).toBeInstanceOf(ItfError);
      expect(e.message.startsWith(message), `${e.message} should start with ${message}`).toBe(true);
      if (!message.endsWith('(')) expect(e.message).toBe(message);
    }
  });
});
