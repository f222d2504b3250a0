// The BFS queue of plain-record states as words of interned fields (RecordCodec)
// against the same search queueing the objects themselves: the same counts,
// coverage, verdicts and traces on the core specs of the catalogue and on states
// that change shape, that are not records, or that hold Immutable.js values.
import { List, Map as IMap } from 'immutable';
import { describe, expect, test } from 'vitest';
import { resolveParams } from '../../src/core/params.js';
import { spec } from '../../src/core/spec.js';
import type { Spec } from '../../src/core/types.js';
import { bfs } from '../../src/explore/bfs.js';
import { ValueSpace } from '../../src/explore/value-space.js';
import { RecordCodec } from '../../src/explore/record-codec.js';
import { Search } from '../../src/explore/search.js';
import type { CheckOptions } from '../../src/explore/types.js';
import { outcomeOf } from './outcome.js';
import { fingerprint } from '../../src/values/fingerprint.js';

function outcome(s: Spec, params: Record<string, unknown>, options: CheckOptions) {
  const system = s.compile(resolveParams(s.name, s.params, params as never));
  const search = new Search(system, options);
  bfs(search, ValueSpace.structural(search));
  return outcomeOf(search);
}

/** Both ways, under several options; returns the compact one of the unbounded search. */
function same(s: Spec, params: Record<string, unknown> = {}) {
  const results = ([{}, { deadlock: true }, { maxDepth: 3 }, { maxStates: 40 }] as CheckOptions[]).map((options) => {
    const objects = outcome(s, params, { ...options, compactFrontier: false });
    const compact = outcome(s, params, options);
    expect(compact).toEqual(objects);
    return compact;
  });
  return results[0]!;
}

const files = ['specs/two-phase.ts', 'specs/diehard.ts', 'bench/models/two-phase-immutable.ts', 'test/fixtures/counter.ts'];

describe('the compact frontier explores what the object frontier explores', () => {
  for (const file of files) {
    test(file, async () => {
      const s = (await import(/* @vite-ignore */ `../../${file}`)).default as Spec;
      const r = same(s, file.includes('two-phase') ? { rms: 4 } : {});
      expect(r.distinct).toBeGreaterThan(5);
    });
  }

  test('states that gain and lose fields, and Immutable.js fields, with a violation', () => {
    type S = { n: number; log: List<number>; extra?: string; m?: IMap<string, number> };
    const shifting = spec({
      name: 'shifting',
      init: (): S => ({ n: 0, log: List() }),
      actions: {
        Inc: (s: S) => (s.n < 6 ? { ...s, n: s.n + 1, log: s.log.push(s.n).takeLast(2) } : undefined),
        Tag: (s: S) => (s.extra === undefined ? { ...s, extra: `at ${s.n}` } : undefined),
        Untag: (s: S) => (s.extra !== undefined ? { n: s.n, log: s.log } : undefined),
        Map: (s: S) => (s.m === undefined ? { m: IMap({ k: s.n }), n: s.n, log: s.log } : undefined), // keys in another order
      },
      invariants: { Small: (s: S) => !(s.n === 5 && s.extra !== undefined && s.m !== undefined) || 'tagged and mapped at 5' },
    });
    const r = same(shifting);
    expect(r.violation?.property).toBe('Small');
    expect(r.distinct).toBeGreaterThan(30);
  });

  test('states that are not records are queued as themselves', () => {
    const counter = spec({
      name: 'number',
      init: () => 0,
      actions: { Inc: (n: number) => (n < 9 ? n + 1 : undefined), Twice: (n: number) => (n < 5 ? n * 2 : undefined) },
    });
    expect(same(counter).distinct).toBe(10);
    expect(RecordCodec.derive(0)).toBeUndefined();
    expect(RecordCodec.derive({ only: 1 })).toBeUndefined();
  });
});

describe('RecordCodec', () => {
  // The visited set keys states by fingerprint, so a queued state's words need only
  // decode to its value: a record whose keys come in another order is kept whole.
  test('different states encode apart; decode gives the value back, frozen', () => {
    const codec = RecordCodec.derive({ a: 1, b: { x: [1] } })!;
    const words = (s: unknown) => {
      const out = new Int32Array(codec.words);
      codec.encode(s, out, 0);
      return [...out];
    };
    const values = [{ a: 1, b: { x: [1] } }, { b: { x: [1] }, a: 1 }, { a: 2, b: { x: [1] } }, { a: 1, b: { x: [2] } }, { a: 1 }, { a: 1, b: { x: [1] }, c: 3 }, 7];
    const encoded = values.map(words);
    expect(encoded[0]![0]).toBe(0); // the sample's shape: field by field
    expect(encoded[1]![0]).toBe(1); // another key order: whole
    expect(new Set(encoded.map((w) => w.join())).size).toBe(values.length);
    values.forEach((v, i) => {
      const back = codec.decode(Int32Array.from(encoded[i]!), 0);
      expect(fingerprint(back)).toBe(fingerprint(v));
      if (typeof back === 'object') expect(Object.isFrozen(back)).toBe(true);
    });
  });
});
