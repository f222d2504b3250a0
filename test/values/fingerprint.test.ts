import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet, Stack } from 'immutable';
import { describe, expect, it } from 'vitest';
import { NonCanonicalError, fingerprint, fingerprintInto, sealPending } from '../../src/values/fingerprint.js';
import { equalValues } from '../../src/values/compare.js';
import { randomValue, rebuilt, rng } from './arbitrary.js';
import { fixedValues } from './fixtures/print-fingerprint.js';

const HEX = /^[0-9a-f]{16}$/;

function errorOf(f: () => unknown): NonCanonicalError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NonCanonicalError);
    return e as NonCanonicalError;
  }
  throw new Error('expected a NonCanonicalError');
}

describe('fingerprint: equal canonical values, equal fingerprints', () => {
  it('is a 16-digit hex string and agrees with fingerprintInto lanes at any offset', () => {
    const v = { a: [1, 2], b: 'x' };
    const fp = fingerprint(v);
    expect(fp).toMatch(HEX);
    const out = new Uint32Array(5);
    fingerprintInto(v, out, 3);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(out[2]).toBe(0);
    expect(out[3]!.toString(16).padStart(8, '0') + out[4]!.toString(16).padStart(8, '0')).toBe(fp);
  });

  it('ignores the key order of plain objects', () => {
    expect(fingerprint({ a: 1, b: 2, c: { x: 1, y: 2 } })).toBe(fingerprint({ c: { y: 2, x: 1 }, b: 2, a: 1 }));
  });

  it('treats an object without prototype like a plain object', () => {
    const o = Object.create(null) as { [k: string]: unknown };
    o.a = 1;
    expect(fingerprint(o)).toBe(fingerprint({ a: 1 }));
  });

  it('ignores the insertion order of Immutable Maps and Sets, and Ordered variants', () => {
    const m1 = IMap([['n1', 1], ['n2', 2], ['n3', 3]]);
    const m2 = IMap([['n3', 3], ['n1', 1], ['n2', 2]]);
    expect(fingerprint(m1)).toBe(fingerprint(m2));
    expect(fingerprint(m1)).toBe(fingerprint(OrderedMap([['n2', 2], ['n3', 3], ['n1', 1]])));
    expect(fingerprint(ISet([3, 1, 2]))).toBe(fingerprint(ISet([1, 2, 3])));
    expect(fingerprint(ISet([3, 1, 2]))).toBe(fingerprint(OrderedSet([2, 3, 1])));
  });

  it('treats arrays, Immutable Lists and Stacks with the same items as one value', () => {
    expect(fingerprint([1, 'a', null])).toBe(fingerprint(List([1, 'a', null])));
    expect(fingerprint([1, 'a', null])).toBe(fingerprint(Stack([1, 'a', null])));
    expect(fingerprint([])).toBe(fingerprint(List()));
  });

  it('treats an Immutable Record like the plain object with the same fields', () => {
    const Point = Record({ x: 0, y: 0 });
    expect(fingerprint(Point({ x: 1 }))).toBe(fingerprint({ y: 0, x: 1 }));
    expect(fingerprint(Point({ x: 1 }))).not.toBe(fingerprint({ x: 1 }));
  });

  it('treats 0 and -0 as one value, also inside structures', () => {
    expect(fingerprint(-0)).toBe(fingerprint(0));
    expect(fingerprint({ t: [-0] })).toBe(fingerprint({ t: [0] }));
    expect(fingerprint(ISet([-0]))).toBe(fingerprint(ISet([0])));
  });

  it('is the same for nested values built in different orders', () => {
    const a = { nodes: IMap({ n1: { log: List([1, 2]), votes: ISet(['n2', 'n3']) } }), term: 3 };
    const b = { term: 3, nodes: OrderedMap({ n1: { votes: ISet(['n3', 'n2']), log: [1, 2] } }) };
    expect(fingerprint(a)).toBe(fingerprint(b));
  });

  it('is the same for 500 random values and their rebuilt copies', () => {
    const r = rng(1);
    for (let i = 0; i < 500; i++) {
      const v = randomValue(r, 4);
      const w = rebuilt(v, r);
      expect(fingerprint(w), `value #${i}`).toBe(fingerprint(v));
    }
  });
});

describe('fingerprint: different values, different fingerprints', () => {
  it('keeps kinds apart: 1, "1", 1n, true, [1], {}, [], null, "", 0, false, empty Map and Set', () => {
    const values = [1, '1', 1n, true, [1], {}, [], null, '', 0, false, IMap(), ISet(), [[]], [null], { a: null }, 'ab', ['a', 'b']];
    const fps = values.map((v) => fingerprint(v));
    expect(new Set(fps).size).toBe(values.length);
  });

  it('keeps a Map apart from the record with the same entries', () => {
    expect(fingerprint(IMap({ a: 1 }))).not.toBe(fingerprint({ a: 1 }));
    expect(fingerprint(ISet([1, 2]))).not.toBe(fingerprint([1, 2]));
  });

  it('depends on order in sequences and on which key holds which value', () => {
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
    expect(fingerprint({ a: 1, b: 2 })).not.toBe(fingerprint({ a: 2, b: 1 }));
    expect(fingerprint(IMap({ a: 1, b: 2 }))).not.toBe(fingerprint(IMap({ a: 2, b: 1 })));
    expect(fingerprint([[1], [2]])).not.toBe(fingerprint([[1, 2]]));
    expect(fingerprint({ a: { b: 1 } })).not.toBe(fingerprint({ b: { a: 1 } }));
  });

  it('separates numbers that are close, integers that need a float, and large bigints', () => {
    const values = [0.1 + 0.2, 0.3, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, 2n ** 64n, 2n ** 64n + 1n, -1, 1];
    expect(new Set(values.map((v) => fingerprint(v))).size).toBe(values.length);
  });

  it('gives all 10,000 records {a: i, b: j} (0 <= i, j < 100) distinct fingerprints', () => {
    const fps = new Set<string>();
    for (let i = 0; i < 100; i++) for (let j = 0; j < 100; j++) fps.add(fingerprint({ a: i, b: j }));
    expect(fps.size).toBe(10_000);
  });

  it('gives all 19,900 two-element sets of 0..199 and their maps distinct fingerprints', () => {
    const sets = new Set<string>();
    const maps = new Set<string>();
    for (let i = 0; i < 200; i++) {
      for (let j = i + 1; j < 200; j++) {
        sets.add(fingerprint(ISet([i, j])));
        maps.add(fingerprint(IMap([[i, j], [j, i]])));
      }
    }
    expect(sets.size).toBe(19_900);
    expect(maps.size).toBe(19_900);
  });

  it('gives distinct canonical values among 3,000 random ones distinct fingerprints', () => {
    const r = rng(2);
    const byFp = new Map<string, unknown>();
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 3);
      const fp = fingerprint(v);
      const seen = byFp.get(fp);
      if (seen === undefined) byFp.set(fp, v);
      else expect(equalValues(seen, v), `collision at #${i}`).toBe(true);
    }
    expect(byFp.size).toBeGreaterThan(1000);
  });
});

describe('fingerprint: stable across processes', () => {
  // Hard-coded on purpose: a change here changes every stored fingerprint (and so
  // trace files that refer to them). Update only with a deliberate hash change.
  const EXPECTED = [
    'a9bb9b193cd8a54c',
    '4965178762d6375d',
    '30691ee67742d765',
    '6ac09738e5b0d73a',
    '92ca2f0e8a029016',
    '3c6ef372c3910c8d',
    '1b873593e478ca6c',
    '39424e04729c5a79',
  ];

  it('matches the recorded fingerprints in this process', () => {
    expect(fixedValues().map((v) => fingerprint(v))).toEqual(EXPECTED);
  });

  it('matches the recorded fingerprints in a fresh node process', () => {
    const script = fileURLToPath(new URL('./fixtures/print-fingerprint.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--print'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(EXPECTED);
  });
});

describe('fingerprint: values that are not state values', () => {
  it('names a function and where it is', () => {
    const e = errorOf(() => fingerprint({ nodes: { n1: { onTimeout: function retry() {} } } }));
    expect(e.path).toBe('.nodes.n1.onTimeout');
    expect(e.message).toBe('state.nodes.n1.onTimeout is a function (retry)');
    expect(e.name).toBe('NonCanonicalError');
  });

  it('names a class instance', () => {
    class Peer {
      id = 1;
    }
    const e = errorOf(() => fingerprint({ peers: [new Peer()] }));
    expect(e.message).toBe(
      'state.peers[0] is an instance of class Peer (use plain objects, arrays or Immutable.js values)',
    );
  });

  it('names a JavaScript Map and Set, suggesting Immutable', () => {
    expect(errorOf(() => fingerprint({ inbox: new Map() })).message).toBe(
      'state.inbox is a JavaScript Map (use Immutable.js Map/Set, or a plain object)',
    );
    expect(errorOf(() => fingerprint([1, new Set()])).message).toBe(
      'state[1] is a JavaScript Set (use Immutable.js Map/Set, or a plain object)',
    );
  });

  it('names undefined inside an object', () => {
    const e = errorOf(() => fingerprint({ leader: { id: undefined } }));
    expect(e.path).toBe('.leader.id');
    expect(e.message).toBe('state.leader.id is undefined (use null, or leave the key out)');
  });

  it('names NaN and Infinity', () => {
    expect(errorOf(() => fingerprint({ xs: [1, 2, NaN] })).message).toBe(
      'state.xs[2] is NaN (only finite numbers are state values)',
    );
    expect(errorOf(() => fingerprint({ deadline: -Infinity })).message).toBe(
      'state.deadline is -Infinity (only finite numbers are state values)',
    );
  });

  it('names a symbol, and quotes keys that are not identifiers', () => {
    expect(errorOf(() => fingerprint({ 'two words': Symbol('s') })).message).toBe('state["two words"] is a symbol (Symbol(s))');
  });

  it('locates bad values inside Immutable Maps, Sets, Lists and Records', () => {
    const nodes = IMap({ n1: { log: List([1, 2, 3, () => 0]) } });
    expect(errorOf(() => fingerprint({ nodes })).path).toBe('.nodes.get("n1").log[3]');
    expect(errorOf(() => fingerprint(IMap([[7, { x: undefined }]]))).path).toBe('.get(7).x');
    expect(errorOf(() => fingerprint(IMap([[{ k: NaN }, 1]]))).path).toBe('.keys().k');
    expect(errorOf(() => fingerprint({ s: ISet([1, [NaN]]) })).path).toBe('.s.values()[0]');
    const R = Record({ a: 0 as unknown });
    expect(errorOf(() => fingerprint([R({ a: new Date(0) })])).message).toBe(
      'state[0].a is an instance of class Date (use plain objects, arrays or Immutable.js values)',
    );
  });

  it('reports a cycle where it closes, not 500 levels down', () => {
    const o: { [k: string]: unknown } = { a: {} };
    (o.a as { [k: string]: unknown }).self = o;
    const e = errorOf(() => fingerprint(o));
    expect(e.path).toBe('.a.self');
    expect(e.message).toBe('state.a.self is a reference back to state (a cycle)');

    const inner: { [k: string]: unknown } = { id: 1 };
    const list = [0, inner];
    inner.back = list;
    expect(errorOf(() => fingerprint({ root: { list } })).message).toBe(
      'state.root.list[1].back is a reference back to state.root.list (a cycle)',
    );

    const self: { [k: string]: unknown } = {};
    self.me = self;
    expect(errorOf(() => fingerprint(IMap({ k: self }))).message).toBe(
      'state.get("k").me is a reference back to state.get("k") (a cycle)',
    );
  });

  it('accepts 400 levels of nesting but rejects 600 that are not a cycle', () => {
    const nest = (n: number): unknown => {
      let v: unknown = null;
      for (let i = 0; i < n; i++) v = { next: v };
      return v;
    };
    expect(fingerprint(nest(400))).toMatch(HEX);
    const e = errorOf(() => fingerprint(nest(600)));
    expect(e.what).toBe('nested more than 500 levels deep');
    expect(e.path).toBe('.next'.repeat(500));
  });

  it('seals nothing from a call that failed, and works again afterwards', () => {
    const good = { a: 1 };
    errorOf(() => fingerprint({ good, bad: () => 0 }));
    expect(Object.isFrozen(good)).toBe(false);
    good.a = 2;
    expect(fingerprint(good)).toBe(fingerprint({ a: 2 }));
  });
});

describe('fingerprint: sealing and memoisation', () => {
  it('freezes fingerprinted plain objects and arrays, deeply; mutation then throws', () => {
    const state = { term: 1, log: [{ cmd: 'x' }], peers: IMap({ n2: { ok: false } }) };
    fingerprint(state);
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.log)).toBe(true);
    expect(Object.isFrozen(state.log[0])).toBe(true);
    expect(Object.isFrozen(state.peers.get('n2'))).toBe(true);
    // Test modules are strict mode: writing to a frozen object throws.
    expect(() => {
      state.term = 2;
    }).toThrow(TypeError);
    expect(() => state.log.push({ cmd: 'y' })).toThrow(TypeError);
    expect(() => {
      (state.peers.get('n2') as { ok: boolean }).ok = true;
    }).toThrow(TypeError);
  });

  it('leaves Immutable collections unfrozen and working', () => {
    const m = IMap<string, number>({ a: 1 });
    fingerprint({ m });
    expect(Object.isFrozen(m)).toBe(false);
    expect(m.set('b', 2).toJS()).toEqual({ a: 1, b: 2 });
    expect(m.hashCode()).toBe(IMap({ a: 1 }).hashCode());
  });

  it('with seal = false freezes nothing until sealPending()', () => {
    const state = { xs: [1] };
    fingerprintInto(state, new Uint32Array(2), 0, false);
    expect(Object.isFrozen(state)).toBe(false);
    sealPending();
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.xs)).toBe(true);
  });

  it('drops what an unsealed call saw when the next call starts', () => {
    const a = { x: 1 };
    fingerprintInto(a, new Uint32Array(2), 0, false);
    const b = { y: 2 };
    fingerprintInto(b, new Uint32Array(2), 0, false);
    sealPending();
    expect(Object.isFrozen(a)).toBe(false);
    expect(Object.isFrozen(b)).toBe(true);
  });

  it('does not leak a memo to a different but equal object', () => {
    const o1 = { a: 1, inner: { b: 2 } };
    const fp1 = fingerprint(o1);
    const o2 = { a: 1, inner: { b: 2 } };
    expect(Object.getOwnPropertySymbols(o2)).toEqual([]);
    expect(Object.isFrozen(o2)).toBe(false);
    o2.inner.b = 3;
    expect(fingerprint(o2)).not.toBe(fp1);
    expect(fingerprint(o2)).toBe(fingerprint({ inner: { b: 3 }, a: 1 }));
    expect(fingerprint(o1)).toBe(fp1);
  });

  it('reuses the memo of an already fingerprinted part instead of walking it again', () => {
    let reads = 0;
    const part = new Proxy({ a: 1, b: [2] } as { [k: string]: unknown }, {
      get(t, k, r) {
        if (k === 'a' || k === 'b') reads++;
        return Reflect.get(t, k, r);
      },
    });
    const fp = fingerprint({ part });
    expect(reads).toBe(2);
    expect(fingerprint({ part, other: 1 })).toMatch(HEX);
    expect(fingerprint({ part })).toBe(fp);
    expect(reads).toBe(2);
  });

  it('memoises objects the user froze already', () => {
    let reads = 0;
    const part = new Proxy(Object.freeze({ a: 1, b: Object.freeze([2]) }), {
      get(t, k, r) {
        if (k === 'a' || k === 'b') reads++;
        return Reflect.get(t, k, r);
      },
    });
    const fp = fingerprint({ part });
    expect(reads).toBe(2);
    fingerprint({ part });
    expect(fingerprint({ part })).toBe(fp);
    expect(reads).toBe(2);
  });

  it('handles a part shared within one state, including Immutable empty singletons', () => {
    // ISet() and IMap() return shared singletons: using one twice used to throw
    // "Cannot redefine property" when sealing.
    expect(fingerprint({ x: ISet(), y: ISet(), m: IMap(), n: IMap() })).toMatch(HEX);
    const shared = IMap({ k: List([1]) });
    const arr = [1, 2];
    const fp = fingerprint({ a: shared, b: shared, c: arr, d: arr });
    expect(fp).toBe(fingerprint({ a: IMap({ k: [1] }), b: IMap({ k: List([1]) }), c: [1, 2], d: [1, 2] }));
    expect(Object.isFrozen(arr)).toBe(true);
  });

  it('freezes objects that were only sealed or made non-extensible', () => {
    const o = Object.seal({ a: 1 });
    fingerprint({ o });
    expect(Object.isFrozen(o)).toBe(true);
  });
});
