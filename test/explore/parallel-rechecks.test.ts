// The nondeterminism check re-runs the search's first FULLY_CHECKED expansions in full
// (determinism.ts), the search's and not each thread's: at the hand-over every shard
// is told how many of them the thread that searched alone left. Shards that take over
// at once check them (a nondeterministic state among them is still caught); shards
// that take over later sample from their first expansion on.
// Runs the built package (dist/): the shard threads load dist/'s worker file.
import { afterEach, describe, expect, test } from 'vitest';
import type { Spec } from '../../src/index.js';
import type { ShardPeer } from '../../src/explore/parallel/coordinator.js';
import type { FromShard, ToShard } from '../../src/explore/parallel/messages.js';

const dist = '../../dist';
const { checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');
const { parallelBfs, startShards } = (await import(/* @vite-ignore */ `${dist}/explore/parallel/coordinator.js`)) as typeof import('../../src/explore/parallel/coordinator.js');
const { Search } = (await import(/* @vite-ignore */ `${dist}/explore/search.js`)) as typeof import('../../src/explore/search.js');
const { systemFor } = (await import(/* @vite-ignore */ `${dist}/explore/spaces.js`)) as typeof import('../../src/explore/spaces.js');
const { FULLY_CHECKED } = (await import(/* @vite-ignore */ `${dist}/explore/determinism.js`)) as typeof import('../../src/explore/determinism.js');

afterEach(() => {
  delete process.env.FAULTLINE_SHARE_EVERY_LEVEL;
  delete process.env.FAULTLINE_SHARE_FROM_DEPTH;
});

/** A shard thread whose seed messages are kept. */
class Spy implements ShardPeer {
  constructor(
    private readonly inner: ShardPeer,
    private readonly seeds: Extract<ToShard, { type: 'seed' }>[],
  ) {}
  next(): Promise<FromShard> {
    return this.inner.next();
  }
  send(m: ToShard, transfer?: ArrayBuffer[]): void {
    if (m.type === 'seed') this.seeds.push(m);
    this.inner.send(m, transfer);
  }
  close(): void {
    this.inner.close();
  }
}

/** The seeds of a 2-worker search of `file` sharing from `depth`, and the states the one thread expanded before. */
async function seeds(file: string, params: Record<string, number>, depth: number) {
  process.env.FAULTLINE_SHARE_EVERY_LEVEL = '1';
  process.env.FAULTLINE_SHARE_FROM_DEPTH = String(depth);
  const spec = (await loadSpec(file, { typecheck: false })) as Spec;
  const all = { ...spec.params, ...params };
  const search = new Search(systemFor(spec, all, {}), { liveness: false });
  const kept: Extract<ToShard, { type: 'seed' }>[] = [];
  const opts = { file, params: all, workers: 2 };
  expect(await parallelBfs(search, { ...opts, startPeers: (control) => startShards(opts, search, control).map((p) => new Spy(p, kept)) })).toBe(2);
  return kept;
}

describe('the first expansions re-checked in full are the search’s, not each shard’s', () => {
  test('shards taking over at depth 2 of a chain: each is left all but the two states expanded', async () => {
    const kept = await seeds('test/fixtures/counter.ts', {}, 2);
    expect(kept.map((m) => m.fullChecksLeft)).toEqual([FULLY_CHECKED - 2, FULLY_CHECKED - 2]);
  });

  test('shards taking over past the first FULLY_CHECKED expansions: none left', async () => {
    // two-phase rms=4 holds 1,267 states in its levels before depth 9.
    const kept = await seeds('specs/two-phase.ts', { rms: 4 }, 9);
    expect(kept.map((m) => m.fullChecksLeft)).toEqual([0, 0]);
  }, 60_000);

  test('a state nondeterministic among the first is still caught when the shards expand it', async () => {
    process.env.FAULTLINE_SHARE_EVERY_LEVEL = '1';
    const file = 'test/fixtures/hardening/flaky-at.ts';
    const r = await checkAsync((await loadSpec(file, { typecheck: false })) as Spec, { file, workers: 2, liveness: false });
    expect(r.verdict).toBe('error');
    expect(r.error?.message).toContain('action Step is nondeterministic');
  });
});
