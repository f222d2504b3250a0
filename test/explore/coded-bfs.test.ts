// The coded BFS (protocol worlds kept as words of interned parts) against the plain
// BFS over world objects: the same counts, coverage, verdicts and traces on every
// protocol spec of the catalogue, with and without --deadlock and under bounds; a
// codec whose words are one-to-one with worlds; and bad values worded as before.
import { readdirSync } from 'node:fs';
import { Set as ISet } from 'immutable';
import { describe, expect, test } from 'vitest';
import type { Spec, TransitionSystem } from '../../src/core/types.js';
import { resolveParams } from '../../src/core/params.js';
import { bfs } from '../../src/explore/bfs.js';
import { check } from '../../src/check/check.js';
import { ValueSpace } from '../../src/explore/value-space.js';
import { Search } from '../../src/explore/search.js';
import type { CheckOptions } from '../../src/explore/types.js';
import { messages, protocol } from '../../src/protocol/index.js';
import { PartTable } from '../../src/values/part-table.js';
import { outcomeOf } from './outcome.js';
import type { World } from '../../src/protocol/world.js';
import { fingerprint } from '../../src/values/fingerprint.js';

const files = [
  ...readdirSync('specs').filter((f) => f.endsWith('.ts')).map((f) => `specs/${f}`),
  ...readdirSync('specs/protocol-examples').map((f) => `specs/protocol-examples/${f}`),
  'bench/models/protocol-bench.ts',
];

async function protocolSpecs(): Promise<[string, Spec][]> {
  const out: [string, Spec][] = [];
  for (const f of files) {
    const spec = (await import(/* @vite-ignore */ `../../${f}`)).default as Spec;
    if (spec.kind === 'protocol') out.push([f, spec]);
  }
  return out;
}

const small: Record<string, Record<string, number>> = { 'bench/models/protocol-bench.ts': { values: 2 } };

type System = TransitionSystem<World> & { codec(): import('../../src/values/state-codec.js').StateCodec<World> };

function compile(file: string, spec: Spec): System {
  return spec.compile(resolveParams(spec.name, spec.params, small[file] ?? {})) as System;
}

/** What a search found, in a form two strategies can be compared by. */
function outcome(system: System, options: CheckOptions, coded: boolean) {
  const s = new Search(system, options);
  if (coded) bfs(s, ValueSpace.coded(s, system.codec()));
  else bfs(s, ValueSpace.structural(s));
  return outcomeOf(s);
}

describe('the coded BFS explores what the plain BFS explores', async () => {
  const specs = await protocolSpecs();

  test('the catalogue has protocol specs of every kind (timed, partitions, crashes)', () => {
    expect(specs.length).toBeGreaterThanOrEqual(15);
  });

  for (const [file, spec] of specs) {
    test(file, () => {
      const system = compile(file, spec);
      for (const options of [{}, { deadlock: true }, { maxDepth: 3 }, { maxStates: 50 }] as CheckOptions[]) {
        const plain = outcome(system, options, false);
        const coded = outcome(system, options, true);
        expect(coded).toEqual(plain);
        expect(plain.distinct).toBeGreaterThan(0);
      }
    });
  }

  test('check() uses it for protocols, and the plain BFS under --symmetry', () => {
    const spec = protocol({
      name: 'pair',
      messages: messages<{ Hi: {} }>(),
      nodes: { peer: 2 },
      roles: (role) => ({ peer: role({ init: (ctx) => (ctx.broadcast('peer', { type: 'Hi' }), 0), on: { Hi: (n) => n + 1 } }) }),
      faults: { duplicate: 1 },
      symmetry: ['peer'],
    });
    const plain = check(spec);
    const sym = check(spec, { symmetry: true });
    expect(plain.verdict).toBe('ok');
    expect(sym.stats.distinctStates).toBeLessThan(plain.stats.distinctStates);
    expect(plain.stats.distinctStates).toBe(outcome(compile('pair', spec), {}, false).distinct);
  });
});

describe('states the catalogue does not have', () => {
  // Immutable.js values in node states, and equal states built with their keys in
  // another order (interned as one part: equal by value).
  const spec = protocol({
    name: 'gossip',
    messages: messages<{ Num: { n: number } }>(),
    nodes: { peer: 2 },
    roles: (role) => ({
      peer: role({
        init: (ctx) => {
          ctx.broadcast('peer', { type: 'Num', n: ctx.index });
          return { got: ISet<number>(), last: -1 };
        },
        on: {
          Num: (s, m) => (m.n % 2 === 0 ? { got: s.got.add(m.n), last: m.n } : { last: m.n, got: s.got.add(m.n) }),
        },
        steps: { forget: (s) => (s.got.size > 0 ? { last: s.last, got: ISet<number>() } : undefined) },
      }),
    }),
    faults: { duplicate: 2, drop: 1 },
  });

  test('Immutable.js values and key orders: the plain BFS counts', () => {
    const system = compile('gossip', spec);
    for (const options of [{}, { deadlock: true }] as CheckOptions[]) {
      const plain = outcome(system, options, false);
      expect(outcome(system, options, true)).toEqual(plain);
      expect(plain.distinct).toBeGreaterThan(20);
    }
  });
});

describe('the world codec', async () => {
  const specs = await protocolSpecs();

  test('parts whose hashes collide keep their own numbers: the values are compared', () => {
    const table = new PartTable((_part, out) => out.fill(7)); // every part hashes alike
    const a = table.id({ x: 1 });
    const b = table.id({ x: 2 });
    const d = table.id({ x: 2, y: [1] });
    expect(new Set([a, b, d]).size).toBe(3);
    expect(table.id({ x: 1 })).toBe(a);
    expect(table.id({ y: [1], x: 2 })).toBe(d); // equal values, keys in another order
    expect(table.parts[b]).toEqual({ x: 2 });
    expect(Object.isFrozen(table.parts[d]) && Object.isFrozen((table.parts[d] as { y: number[] }).y)).toBe(true);
    expect(table.size).toBe(3);
  });

  test('parts keep their numbers as the table grows past its buckets, and are kept frozen', () => {
    const table = new PartTable();
    const ids = Array.from({ length: 3000 }, (_, i) => table.id([i, i % 7]));
    expect(new Set(ids).size).toBe(3000);
    for (let i = 2999; i >= 0; i -= 37) expect(table.id([i, i % 7])).toBe(ids[i]);
    expect(table.id([5, 5 % 7])).toBe(ids[5]);
    expect(table.parts[ids[5]!]).toEqual([5, 5]);
    expect(Object.isFrozen(table.parts[ids[5]!])).toBe(true);
    expect(table.size).toBe(3000);
  });

  test('decode(encode(w)) is w, and equal worlds built apart encode alike', () => {
    for (const [file, spec] of specs) {
      const system = compile(file, spec);
      const codec = system.codec();
      const a = new Int32Array(codec.words);
      const b = new Int32Array(codec.words);
      const words = new Map<string, string>(); // words → fingerprint
      const fps = new Map<string, string>(); // fingerprint → words
      // Every reachable world, found the plain way, encoded with no decoded base.
      const seen = new Set<string>();
      let frontier = system.initialStates();
      for (let depth = 0; frontier.length > 0 && seen.size < 2000; depth++) {
        const next: World[] = [];
        for (const w of frontier) {
          const f = fingerprint(w);
          if (seen.has(f)) continue;
          seen.add(f);
          codec.encode(w, a, 0);
          const key = a.join(',');
          expect(words.get(key) ?? f, `${file}: two worlds share words`).toBe(f);
          expect(fps.get(f) ?? key, `${file}: one world, two encodings`).toBe(key);
          words.set(key, f);
          fps.set(f, key);
          const back = codec.decode(a, 0);
          expect(fingerprint(back)).toBe(f);
          expect(Object.isFrozen(back) && Object.isFrozen(back.nodes)).toBe(true);
          // Re-encoded against itself as the base: by identity, the same words.
          codec.encode(back, b, 0);
          expect(b).toEqual(a);
          if (system.constraint && !system.constraint(w)) continue;
          system.successors(w, (s) => void next.push(s));
        }
        frontier = next;
      }
      expect(words.size, file).toBe(seen.size);
    }
  });
});

describe('bad values', () => {
  test('a frozen handler result holding a function is worded with its handler and trace', () => {
    const spec = protocol({
      name: 'fn-in-state',
      messages: messages<{}>(),
      roles: (role) => ({
        a: role({
          init: () => ({ n: 0 }),
          steps: { inc: (s: { n: number }) => (s.n < 2 ? { n: s.n + 1 } : s.n === 2 ? Object.freeze({ n: 3, f: () => 1 }) : undefined) },
        }),
      }),
    });
    const r = check(spec);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/step a\.inc produced a value that is not a state value/);
    expect(r.error!.message).toMatch(/function/);
    expect(r.error!.trace!.map((t) => t.action)).toEqual([null, 'step a.inc', 'step a.inc', 'step a.inc']);
  });
});
