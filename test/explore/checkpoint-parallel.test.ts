// Checkpoints of the parallel search (--checkpoint with --workers N): written at level
// boundaries from the shards' visited sets and states, in the format the one-thread
// search over the same layout writes. A search stopped anywhere — a state bound in the
// middle of a shared level, the depth bound, a violation's level — or "killed" after its
// last periodic checkpoint, and resumed with 1, 2 or 3 workers, ends with exactly the
// counts, verdict and trace of one thread never stopped.
// Runs the built package (dist/): the shard threads load dist/'s worker file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckOptions, CheckResult, Spec } from '../../src/index.js';
import { searchOutcome } from './search-outcome.js';

const dist = '../../dist';
const { check, checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');
const { readCheckpoint } = (await import(/* @vite-ignore */ `${dist}/explore/checkpoint/file.js`)) as typeof import('../../src/explore/checkpoint/file.js');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-checkpoint-parallel-'));
let dirs = 0;
const freshDir = () => path.join(root, `cp${dirs++}`);

// The shards take over from the first level, so these small models exercise them.
beforeAll(() => {
  process.env.FAULTLINE_SHARE_EVERY_LEVEL = '1';
});
afterAll(() => {
  delete process.env.FAULTLINE_SHARE_EVERY_LEVEL;
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every layout (plain records, packed words, protocol worlds, symmetry), a violation, and violations ranked by faults. */
const cases: [string, CheckOptions][] = [
  ['specs/two-phase.ts', { params: { rms: 4 } }],
  ['specs/two-phase.packed.ts', { params: { rms: 4 } }],
  ['specs/paxos.buggy.ts', { params: { acceptors: 2 } }],
  ['specs/lease-pause.fixed.ts', { symmetry: true }],
  ['specs/lease-pause.buggy.ts', {}],
  ['test/fixtures/fewest-faults/two-or-one.ts', {}],
];

async function load(file: string): Promise<Spec> {
  return (await loadSpec(file, { typecheck: false })) as Spec;
}

/**
 * What a resumed search must reproduce: coverage too, but at a violation (where
 * shards report the coverage of the whole level: coordinator.ts) not compared.
 */
function outcome(r: CheckResult) {
  return { ...searchOutcome(r), coverage: r.verdict === 'violation' ? undefined : r.coverage };
}

describe('a parallel search stopped and resumed, with any number of workers, ends as one thread never stopped', () => {
  for (const [file, extra] of cases) {
    test(`${file} ${JSON.stringify(extra)}`, async () => {
      const spec = await load(file);
      const base: CheckOptions = { file, liveness: false, ...extra };
      const whole = check(spec, base);
      expect(whole.verdict).not.toBe('error');

      // Stopped by a state bound, mostly in the middle of a shared level (the checkpoint
      // is then that level's start), and resumed by 2, 3, 1, 2, ... workers in turn.
      const dir = freshDir();
      const step = Math.max(1, Math.ceil(whole.stats.distinctStates / 4));
      let r = await checkAsync(spec, { ...base, workers: 2, maxStates: step, checkpoint: { dir } });
      let stops = 0;
      while (r.verdict === 'incomplete') {
        expect(r.incomplete?.reason).toBe('maxStates');
        expect(r.checkpoint?.written).toBeGreaterThanOrEqual(1);
        stops++;
        const workers = [3, 1, 2][stops % 3]!;
        r = await checkAsync(spec, { ...base, workers, maxStates: step * (stops + 1), checkpoint: { dir, resumeFrom: dir } });
        expect(r.checkpoint?.resumed?.distinctStates).toBeGreaterThan(0);
      }
      expect(outcome(r)).toEqual(outcome(whole));
      if (whole.stats.distinctStates > step) expect(stops).toBeGreaterThan(0);

      // A checkpoint at every level boundary; the run is then "killed" after its last one.
      const periodic = freshDir();
      const p = await checkAsync(spec, { ...base, workers: 2, checkpoint: { dir: periodic, everyMs: 0 } });
      expect(p.workers).toBe(2);
      expect(outcome(p)).toEqual(outcome(whole));
      expect(p.checkpoint?.written).toBeGreaterThanOrEqual(2);
      expect((readCheckpoint(periodic).header.identity as { layout: string }).layout).toBe(file.includes('packed') ? 'packed' : 'words');
      for (const workers of [2, 1]) {
        const again = await checkAsync(spec, { ...base, workers, checkpoint: { dir: periodic, resumeFrom: periodic } });
        expect(outcome(again)).toEqual(outcome(whole));
      }
    }, 120_000);
  }
});

describe('where a parallel search can stop', () => {
  test('the depth bound in a shared level, then resumed with a larger one', async () => {
    const file = 'specs/two-phase.ts';
    const spec = await load(file);
    const base: CheckOptions = { file, params: { rms: 3 }, liveness: false };
    const whole = check(spec, base);
    const dir = freshDir();
    const shallow = await checkAsync(spec, { ...base, workers: 2, maxDepth: 4, checkpoint: { dir } });
    expect(shallow.incomplete?.reason).toBe('maxDepth');
    expect(readCheckpoint(dir).header.depth).toBe(4);
    const deeper = await checkAsync(spec, { ...base, workers: 3, maxDepth: 7, checkpoint: { dir, resumeFrom: dir } });
    expect(deeper.incomplete?.reason).toBe('maxDepth');
    expect(outcome(await checkAsync(spec, { ...base, workers: 2, checkpoint: { dir, resumeFrom: dir } }))).toEqual(outcome(whole));
  });

  test('a signal (shouldStop) while the shards search: a checkpoint at the start of the level it stopped in', async () => {
    const file = 'specs/two-phase.packed.ts';
    const spec = await load(file);
    const base: CheckOptions = { file, params: { rms: 6 } };
    const whole = check(spec, base);
    const dir = freshDir();
    // Raised once the shards search (progress says so); the next poll, 50 ms on, stops them.
    let stop = false;
    const stopped = await checkAsync(spec, {
      ...base,
      workers: 2,
      checkpoint: { dir },
      progressIntervalMs: 1,
      onProgress: (p) => (stop ||= p.sharedBy === 2),
      shouldStop: () => stop,
    });
    expect(stopped.incomplete?.reason).toBe('interrupted');
    expect(stopped.workers).toBe(2);
    expect(stopped.checkpoint?.written).toBeGreaterThanOrEqual(1);
    const resumed = await checkAsync(spec, { ...base, workers: 2, checkpoint: { dir, resumeFrom: dir } });
    expect(outcome(resumed)).toEqual(outcome(whole));
    expect(resumed.checkpoint?.resumed?.distinctStates).toBeLessThanOrEqual(stopped.stats.distinctStates);
  });

  test("a one-thread search's checkpoint is resumed without --workers; a packed one with any number", async () => {
    const twoPhase = await load('specs/two-phase.ts');
    const base: CheckOptions = { file: 'specs/two-phase.ts', params: { rms: 3 }, liveness: false };
    const dir = freshDir();
    expect(check(twoPhase, { ...base, maxStates: 100, checkpoint: { dir } }).verdict).toBe('incomplete');
    const refused = await checkAsync(twoPhase, { ...base, workers: 2, checkpoint: { dir, resumeFrom: dir } });
    expect(refused.verdict).toBe('error');
    expect(refused.error?.message).toMatch(/state layout \(a checkpoint written without --workers is resumed without it\): the checkpoint has "values", this check "words"/);

    const packed = await load('specs/two-phase.packed.ts');
    const pbase: CheckOptions = { file: 'specs/two-phase.packed.ts', params: { rms: 4 } };
    const pdir = freshDir();
    expect(check(packed, { ...pbase, maxStates: 300, checkpoint: { dir: pdir } }).verdict).toBe('incomplete');
    const resumed = await checkAsync(packed, { ...pbase, workers: 2, checkpoint: { dir: pdir, resumeFrom: pdir } });
    expect(resumed.workers).toBe(2);
    expect(outcome(resumed)).toEqual(outcome(check(packed, pbase)));
  });
});

describe("a checkpoint of shared levels holds the links the shards keep", () => {
  // The coordinator keeps only the links of the states numbered before the hand-over;
  // the rest come from the shards' dumps, put back in id order.
  for (const [file, extra] of [
    ['specs/two-phase.packed.ts', { params: { rms: 4 }, maxDepth: 6 }],
    ['specs/lease-pause.buggy.ts', { maxDepth: 9 }],
  ] as [string, CheckOptions][]) {
    test(`${file}: the parent links one thread saves at the same boundary, then resumed to its trace`, async () => {
      const spec = await load(file);
      const base: CheckOptions = { file, liveness: false, ...extra };
      const oneDir = freshDir();
      expect(check(spec, { ...base, checkpoint: { dir: oneDir } }).incomplete?.reason).toBe('maxDepth');
      const one = readCheckpoint(oneDir);
      expect(one.int32('parents').length).toBeGreaterThan(100);
      for (const workers of [2, 3]) {
        const dir = freshDir();
        const r = await checkAsync(spec, { ...base, workers, checkpoint: { dir } });
        expect(r.workers).toBe(workers);
        const many = readCheckpoint(dir);
        expect(many.int32('parents')).toEqual(one.int32('parents'));
        expect(many.int32('steps')).toEqual(one.int32('steps'));
        // Resumed past the bound, with the other number of workers: one thread's verdict and trace.
        const { maxDepth: _, ...unbounded } = base;
        const resumed = await checkAsync(spec, { ...unbounded, workers: 5 - workers, checkpoint: { dir, resumeFrom: dir } });
        expect(outcome(resumed)).toEqual(outcome(check(spec, unbounded)));
      }
    }, 120_000);
  }
});
