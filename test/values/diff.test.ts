import { List, Map as IMap, OrderedMap, OrderedSet, Record, Set as ISet } from 'immutable';
import { describe, expect, it } from 'vitest';
import { diffValues } from '../../src/values/diff.js';
import { equalValues } from '../../src/values/compare.js';
import { mutated, randomValue, rebuilt, rng } from './arbitrary.js';

/** An object that fails the test if anything looks inside it. */
function untouchable(): object {
  return new Proxy(
    {},
    {
      get: () => expect.fail('looked inside a shared sub-value'),
      ownKeys: () => expect.fail('listed a shared sub-value'),
      getPrototypeOf: () => expect.fail('classified a shared sub-value'),
    },
  );
}

describe('diffValues on records', () => {
  it('reports changed, added and removed keys with paths, keys sorted', () => {
    const before = { rmState: { r1: 'working', r2: 'working' }, tmState: 'init', gone: 1 };
    const after = { tmState: 'init', rmState: { r2: 'prepared', r1: 'working' }, extra: [1] };
    expect(diffValues(before, after)).toEqual([
      { path: '.extra', kind: 'added', after: [1] },
      { path: '.gone', kind: 'removed', before: 1 },
      { path: '.rmState.r2', kind: 'changed', before: 'working', after: 'prepared' },
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    expect(diffValues({ 'a b': 1 }, { 'a b': 2 })).toEqual([{ path: '["a b"]', kind: 'changed', before: 1, after: 2 }]);
  });

  it('finds nothing between equal records built differently (Immutable Record vs plain)', () => {
    const Point = Record({ x: 0, y: 0 });
    expect(diffValues({ p: Point({ x: 1 }) }, { p: { y: 0, x: 1 } })).toEqual([]);
    expect(diffValues({ p: Point({ x: 1 }) }, { p: Point({ x: 2 }) })).toEqual([
      { path: '.p.x', kind: 'changed', before: 1, after: 2 },
    ]);
  });
});

describe('diffValues on maps', () => {
  it('recurses into Immutable Maps with .get(key) paths', () => {
    const before = { nodes: IMap<string, { log: number[]; term: number }>({ n1: { log: [1], term: 1 }, n2: { log: [], term: 1 } }) };
    const after = { nodes: before.nodes.set('n1', { ...before.nodes.get('n1')!, term: 2 }).set('n3', { log: [], term: 0 }).delete('n2') };
    expect(diffValues(before, after)).toEqual([
      { path: '.nodes.get("n1").term', kind: 'changed', before: 1, after: 2 },
      { path: '.nodes.get("n2")', kind: 'removed', before: { log: [], term: 1 } },
      { path: '.nodes.get("n3")', kind: 'added', after: { log: [], term: 0 } },
    ]);
  });

  it('orders changes by canonical key order, whatever the insertion order', () => {
    const before = IMap<unknown, string>([[10, 'a'], [2, 'a'], [true, 'a']]);
    const after = OrderedMap<unknown, string>([[true, 'b'], [10, 'b'], [2, 'b']]);
    expect(diffValues(before, after).map((c) => c.path)).toEqual(['.get(true)', '.get(2)', '.get(10)']);
  });

  it('renders non-string keys in paths', () => {
    expect(diffValues(IMap([[List([1, 'x']), 0]]), IMap([[List([1, 'x']), 1]]))).toEqual([
      { path: '.get([1, "x"])', kind: 'changed', before: 0, after: 1 },
    ]);
  });
});

describe('diffValues matches keys and elements canonically', () => {
  it('treats a Set key and an OrderedSet key with the same elements as the same key', () => {
    expect(diffValues(IMap([[ISet(['a', 'b']), 1]]), IMap([[OrderedSet(['b', 'a']), 1]]))).toEqual([]);
    expect(diffValues(IMap([[List([1]), 1]]), IMap([[[1], 2]]))).toEqual([
      { path: '.get([1])', kind: 'changed', before: 1, after: 2 },
    ]);
  });

  it('matches plain-object set elements by value, not identity (e.g. states read back from ITF)', () => {
    const before = { msgs: ISet([{ to: 'n1', term: 1 }]) };
    const after = { msgs: ISet([{ term: 1, to: 'n1' }, { to: 'n2', term: 1 }]) };
    expect(diffValues(before, after)).toEqual([{ path: '.msgs', kind: 'added', after: { to: 'n2', term: 1 } }]);
  });
});

describe('diffValues on seqs', () => {
  it('compares equal-length seqs index by index', () => {
    expect(diffValues({ log: [1, 2, 3] }, { log: [1, 5, 3] })).toEqual([
      { path: '.log[1]', kind: 'changed', before: 2, after: 5 },
    ]);
    expect(diffValues([{ a: 1 }], [{ a: 2 }])).toEqual([{ path: '[0].a', kind: 'changed', before: 1, after: 2 }]);
  });

  it('reports appended and truncated elements by index', () => {
    expect(diffValues({ log: [1, 2] }, { log: [1, 2, 3, 4] })).toEqual([
      { path: '.log[2]', kind: 'added', after: 3 },
      { path: '.log[3]', kind: 'added', after: 4 },
    ]);
    expect(diffValues({ log: [1, 2, 3] }, { log: [1] })).toEqual([
      { path: '.log[1]', kind: 'removed', before: 2 },
      { path: '.log[2]', kind: 'removed', before: 3 },
    ]);
  });

  it('reports an element taken from the front or inserted in the middle', () => {
    expect(diffValues({ queue: List(['m1', 'm2', 'm3']) }, { queue: List(['m2', 'm3']) })).toEqual([
      { path: '.queue[0]', kind: 'removed', before: 'm1' },
    ]);
    expect(diffValues([1, 3], [1, 2, 3])).toEqual([{ path: '[1]', kind: 'added', after: 2 }]);
    expect(diffValues([], ['x'])).toEqual([{ path: '[0]', kind: 'added', after: 'x' }]);
  });

  it('reports the whole seq when the lengths differ and no one run was inserted or removed', () => {
    const before = List([1, 2, 3]);
    const after = [9, 2];
    expect(diffValues({ xs: before }, { xs: after })).toEqual([{ path: '.xs', kind: 'changed', before, after }]);
  });

  it('finds nothing between an array and a List with the same items', () => {
    expect(diffValues([1, [2]], List([1, List([2])]))).toEqual([]);
  });
});

describe('diffValues on sets', () => {
  it('reports removed then added elements at the set path, each sorted', () => {
    const before = { votes: ISet(['n3', 'n1', 'n4']) };
    const after = { votes: ISet(['n2', 'n1', 'n5', 'n0']) };
    expect(diffValues(before, after)).toEqual([
      { path: '.votes', kind: 'removed', before: 'n3' },
      { path: '.votes', kind: 'removed', before: 'n4' },
      { path: '.votes', kind: 'added', after: 'n0' },
      { path: '.votes', kind: 'added', after: 'n2' },
      { path: '.votes', kind: 'added', after: 'n5' },
    ]);
  });
});

describe('diffValues in general', () => {
  it('reports a change of kind, or of a top-level primitive, at the path (root is "")', () => {
    expect(diffValues({ leader: null }, { leader: { id: 'n1' } })).toEqual([
      { path: '.leader', kind: 'changed', before: null, after: { id: 'n1' } },
    ]);
    expect(diffValues(1, 2)).toEqual([{ path: '', kind: 'changed', before: 1, after: 2 }]);
    expect(diffValues(1, 1n)).toEqual([{ path: '', kind: 'changed', before: 1, after: 1n }]);
    expect(diffValues({ a: IMap() }, { a: {} })).toEqual([{ path: '.a', kind: 'changed', before: IMap(), after: {} }]);
    expect(diffValues(0, -0)).toEqual([]);
  });

  it('does not look inside sub-values shared by reference', () => {
    const shared = untouchable();
    expect(diffValues({ big: shared, n: 1 }, { big: shared, n: 2 })).toEqual([
      { path: '.n', kind: 'changed', before: 1, after: 2 },
    ]);
    const nodes = IMap({ n1: shared, n2: { t: 0 } });
    expect(diffValues({ nodes }, { nodes: nodes.set('n2', { t: 1 }) })).toEqual([
      { path: '.nodes.get("n2").t', kind: 'changed', before: 0, after: 1 },
    ]);
    expect(diffValues([shared, 1], [shared, 2])).toEqual([{ path: '[1]', kind: 'changed', before: 1, after: 2 }]);
    expect(diffValues(shared, shared)).toEqual([]);
  });

  it('is empty exactly when the values are equal, on random pairs', () => {
    const r = rng(11);
    let nonEmpty = 0;
    for (let i = 0; i < 600; i++) {
      const v = randomValue(r, 4);
      expect(diffValues(v, rebuilt(v, r)), `rebuilt #${i}`).toEqual([]);
      const w = mutated(v, r);
      const changes = diffValues(v, w);
      expect(changes.length === 0, `mutated #${i}`).toBe(equalValues(v, w));
      if (changes.length > 0) nonEmpty++;
      for (const c of changes) {
        expect(c.kind === 'added' ? 'after' in c && !('before' in c) : 'before' in c).toBe(true);
      }
    }
    expect(nonEmpty).toBeGreaterThan(400);
  });
});
