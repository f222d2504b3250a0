// The parallel search (--workers N) against one thread, on every spec of the
// catalogue and every bench model (small params): the same distinct and generated
// counts, verdict, trace and error, complete or not, for 1, 2 and 3 workers —
// including violations and bounds met in the middle of a shared level, where the
// counts are one thread's at that moment. FAULTLINE_SHARE_EVERY_LEVEL hands the
// search to the shards from the first level, so these small models exercise them.
// Runs the built package (dist/): the shard threads load dist/'s worker file.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckOptions, Spec } from '../../src/index.js';
import { searchOutcome } from './search-outcome.js';

const dist = '../../dist';
const { checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');

const files = [
  ...readdirSync('specs').filter((f) => f.endsWith('.ts')).map((f) => `specs/${f}`),
  ...readdirSync('specs/protocol-examples').map((f) => `specs/protocol-examples/${f}`),
  ...readdirSync('bench/models').map((f) => `bench/models/${f}`),
];

/** Params that keep the bigger models to a few thousand states. */
const small: Record<string, CheckOptions> = {
  'specs/paxos.buggy.ts': { params: { acceptors: 2 } },
  'specs/paxos.fixed.ts': { params: { acceptors: 2 } },
  'bench/models/paxos-liveness.ts': { params: { acceptors: 2 } },
  'specs/split-brain.fixed.ts': { params: { maxTime: 4 } },
  'specs/two-phase-commit.fixed.ts': { maxStates: 3000 },
  'bench/models/protocol-bench.ts': { params: { values: 2 } },
};

/** What must not depend on the worker count. */
const outcome = searchOutcome;

async function run(file: string, workers: number, extra: CheckOptions = {}) {
  const spec = (await loadSpec(file, { typecheck: false })) as Spec;
  // Liveness is decided on one thread's state graph: the shards check the safety part.
  const r = await checkAsync(spec, { file, workers, liveness: false, ...small[file], ...extra });
  return { outcome: outcome(r), workers: r.workers };
}

beforeAll(() => {
  process.env.FAULTLINE_SHARE_EVERY_LEVEL = '1';
});
afterAll(() => {
  delete process.env.FAULTLINE_SHARE_EVERY_LEVEL;
});

describe('the parallel search finds what one thread finds', () => {
  for (const file of files) {
    test(file, async () => {
      const one = await run(file, 1);
      expect(one.workers).toBeUndefined();
      for (const w of [2, 3]) {
        const many = await run(file, w);
        expect(many.outcome).toEqual(one.outcome);
        // Immutable.js Records cannot be rebuilt in another thread: that model is searched again by one.
        expect(many.workers).toBe(file.includes('immutable') ? undefined : w);
      }
    }, 60_000);
  }
});

describe('the same at a bound or a violation in the middle of a shared level', () => {
  const cases: [string, CheckOptions][] = [
    ['specs/two-phase.ts', { params: { rms: 4 }, maxStates: 700 }],
    ['specs/two-phase.packed.ts', { params: { rms: 4 }, maxStates: 700 }],
    ['specs/two-phase.ts', { params: { rms: 4 }, maxDepth: 6 }],
    // The depth bound's probe, which a shard answers for its own successors as they come:
    // a state left beyond the bound (6), and none (13 is the last level with states).
    ['specs/two-phase.ts', { params: { rms: 4 }, maxDepth: 13 }],
    ['specs/two-phase.packed.ts', { params: { rms: 4 }, maxDepth: 6 }],
    ['specs/two-phase.packed.ts', { params: { rms: 4 }, maxDepth: 13 }],
    ['specs/lease-pause.fixed.ts', { maxDepth: 5 }],
    ['specs/lease-pause.fixed.ts', { maxDepth: 16 }],
    ['specs/lww-skew.fixed.ts', { deadlock: true }],
    ['specs/two-phase-commit.buggy.ts', {}],
    ['specs/failure-detector.fixed.ts', { maxStates: 400 }],
    ['specs/lease-pause.fixed.ts', { symmetry: true }],
    // Two violations in one level, the later one with fewer faults (fewest-faults.test.ts counts them by hand).
    ['test/fixtures/fewest-faults/two-or-one.ts', {}],
    ['test/fixtures/fewest-faults/two-or-one.ts', { maxStates: 8 }],
    ['test/fixtures/fewest-faults/two-or-one.ts', { params: { explode: true } }],
    ['test/fixtures/fewest-faults/two-or-one.ts', { params: { property: 'action' } }],
    ['test/fixtures/fewest-faults/either-crash.ts', {}],
  ];
  for (const [file, options] of cases) {
    test(`${file} ${JSON.stringify(options)}`, async () => {
      const one = await run(file, 1, options);
      const many = await run(file, 2, options);
      expect(many.outcome).toEqual(one.outcome);
      // Handed over after the first levels, alone before.
      process.env.FAULTLINE_SHARE_FROM_DEPTH = '3';
      try {
        expect((await run(file, 2, options)).outcome).toEqual(one.outcome);
      } finally {
        delete process.env.FAULTLINE_SHARE_FROM_DEPTH;
      }
    }, 60_000);
  }
});

describe('progress reports', () => {
  // The hand-over is when both the one thread and the coordinator could report: with a
  // clock each, reports came 108-211 ms apart at intervals of 150 and 400 ms. Shared from
  // depth 14 of 25 (1.15 of 1.75 million states; every level from there, whatever the
  // machine's speed), both parts of the search last well over the interval.
  test('keep one clock across the hand-over: at least the interval apart, from one thread and then from the shards', async () => {
    const file = 'specs/two-phase.packed.ts';
    const interval = 400;
    const at: { t: number; shared: boolean }[] = [];
    process.env.FAULTLINE_SHARE_FROM_DEPTH = '14';
    try {
      const r = await run(file, 2, { params: { rms: 8 }, progressIntervalMs: interval, onProgress: (s) => at.push({ t: Date.now(), shared: s.sharedBy === 2 }) });
      expect(r.workers).toBe(2);
    } finally {
      delete process.env.FAULTLINE_SHARE_FROM_DEPTH;
    }
    expect(at.some((a) => !a.shared)).toBe(true);
    expect(at.some((a) => a.shared)).toBe(true);
    // Each clock read comes a moment before its report: a few milliseconds of slack.
    const gaps = at.slice(1).map((a, i) => a.t - at[i]!.t);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(interval - 5);
  }, 60_000);
});

describe("the depth bound's probe", () => {
  // One unvisited successor beyond each bound, owned by its parent's shard for some
  // bounds and by the other shard for others: each shard must report its own as well
  // as those sent to it (a spec of plain objects, and a packed one).
  const chains: [string, Record<string, number>][] = [
    ['test/fixtures/counter.ts', { max: 10 }],
    ['test/fixtures/packed/chain.ts', { length: 10 }],
  ];
  for (const [file, params] of chains) {
    test(`${file}: a state left beyond the bound, at every bound`, async () => {
      for (let maxDepth = 1; maxDepth <= 8; maxDepth++) {
        const one = await run(file, 1, { maxDepth, params });
        expect(one.outcome.incomplete).toBe('maxDepth');
        expect((await run(file, 2, { maxDepth, params })).outcome).toEqual(one.outcome);
      }
    }, 60_000);
  }
});

describe('the fewest-faults violation of a level', () => {
  // The first violation met in one thread's order needs 2 faults; a later one of the same level 1.
  test('is the one 1, 2 and 3 workers report, with the same counts', async () => {
    for (const w of [1, 2, 3]) {
      const { outcome: r, workers } = await run('test/fixtures/fewest-faults/two-or-one.ts', w);
      expect(workers).toBe(w === 1 ? undefined : w);
      expect(r.violation!.trace.map((t) => t.action)).toEqual([null, 'crash a', 'restart a']);
      expect(r.violation!.message).toBe('a restarted');
      expect([r.distinct, r.generated]).toEqual([11, 12]);
    }
  }, 60_000);
});
