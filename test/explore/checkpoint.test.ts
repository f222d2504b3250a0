// Checkpoints (--checkpoint, --resume): a search stopped anywhere — at a state bound
// in the middle of a level, by a signal, at the depth bound, or killed after its last
// periodic checkpoint — and resumed ends with exactly the counts, coverage, verdict
// and trace of the search never stopped; on every spec of the catalogue and every
// bench model. A checkpoint of another search is refused, naming what differs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { check, type CheckOptions, type CheckResult, type Spec } from '../../src/index.js';
import { loadSpec } from '../../src/spec-file/load.js';
import { searchOutcome } from './search-outcome.js';
import { CheckpointData, readCheckpoint, writeCheckpoint } from '../../src/explore/checkpoint/file.js';
import { STATE_KEYS } from '../../src/explore/checkpoint/identity.js';

const files = [
  ...fs.readdirSync('specs').filter((f) => f.endsWith('.ts')).map((f) => `specs/${f}`),
  ...fs.readdirSync('bench/models').filter((f) => !f.includes('immutable')).map((f) => `bench/models/${f}`),
  // Stopped in the middle of the level before its violations: the fault floors and tally are resumed too.
  'test/fixtures/fewest-faults/two-or-one.ts',
];

/** Params that keep the bigger models to a few thousand states. */
const small: Record<string, CheckOptions> = {
  'specs/paxos.buggy.ts': { params: { acceptors: 2 } },
  'specs/paxos.fixed.ts': { params: { acceptors: 2 } },
  'bench/models/paxos-liveness.ts': { params: { acceptors: 2 } },
  'specs/split-brain.fixed.ts': { params: { maxTime: 4 } },
  'specs/two-phase-commit.fixed.ts': { params: {}, faults: { drop: 1, duplicate: 0 } },
  'bench/models/protocol-bench.ts': { params: { values: 2 } },
  'specs/two-phase.ts': { params: { rms: 4 } },
  'specs/two-phase.packed.ts': { params: { rms: 4 } },
  'bench/models/two-phase-liveness.ts': { params: { rms: 3 } },
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-checkpoint-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `cp${dirs++}`);

/** Everything a resumed search must reproduce: also the coverage, the liveness graph's size and a lasso's loop. */
function outcome(r: CheckResult) {
  return { ...searchOutcome(r), coverage: r.coverage, edges: r.liveness?.edges, loop: r.violation?.loop };
}

async function load(file: string): Promise<Spec> {
  return (await loadSpec(file, { typecheck: false })) as Spec;
}

describe('a search stopped and resumed ends as the search never stopped', () => {
  for (const file of files) {
    test(file, async () => {
      const spec = await load(file);
      const base: CheckOptions = { file, ...small[file] };
      const whole = check(spec, base);
      expect(whole.verdict).not.toBe('error');

      // Stopped by a state bound four or five times, mostly in the middle of a level.
      const dir = freshDir();
      const step = Math.max(1, Math.ceil(whole.stats.distinctStates / 4));
      let r = check(spec, { ...base, maxStates: step, checkpoint: { dir } });
      let stops = 0;
      while (r.verdict === 'incomplete') {
        expect(r.incomplete?.reason).toBe('maxStates');
        stops++;
        r = check(spec, { ...base, maxStates: step * (stops + 1), checkpoint: { dir, resumeFrom: dir } });
        expect(r.checkpoint?.resumed?.distinctStates).toBeGreaterThan(0);
      }
      expect(outcome(r)).toEqual(outcome(whole));
      if (whole.stats.distinctStates > step) expect(stops).toBeGreaterThan(0);

      // Checkpoints every 256 expansions; then the run is "killed" after its last one.
      const periodic = freshDir();
      const p = check(spec, { ...base, checkpoint: { dir: periodic, everyMs: 0 } });
      expect(outcome(p)).toEqual(outcome(whole));
      expect(p.checkpoint?.written).toBeGreaterThanOrEqual(1);
      const again = check(spec, { ...base, checkpoint: { dir: periodic, resumeFrom: periodic } });
      expect(outcome(again)).toEqual(outcome(whole));
    }, 120_000);
  }
});

describe('where a search can stop', () => {
  test('a signal (shouldStop) at several points, then resumed', async () => {
    const file = 'specs/two-phase.ts';
    const spec = await load(file);
    const base: CheckOptions = { file, params: { rms: 4 }, liveness: false };
    const whole = check(spec, base);
    for (const polls of [1, 3, 10, 17]) {
      const dir = freshDir();
      let n = 0;
      const stopped = check(spec, { ...base, checkpoint: { dir }, shouldStop: () => ++n >= polls });
      expect(stopped.incomplete?.reason).toBe('interrupted');
      const resumed = check(spec, { ...base, checkpoint: { dir, resumeFrom: dir } });
      expect(outcome(resumed)).toEqual(outcome(whole));
      expect(resumed.checkpoint?.resumed?.distinctStates).toBe(stopped.stats.distinctStates);
    }
  });

  test('the depth bound, then resumed with a larger one', async () => {
    const file = 'specs/two-phase.packed.ts';
    const spec = await load(file);
    const whole = check(spec, { file, params: { rms: 3 } });
    const dir = freshDir();
    const shallow = check(spec, { file, params: { rms: 3 }, maxDepth: 4, checkpoint: { dir } });
    expect(shallow.incomplete?.reason).toBe('maxDepth');
    const deeper = check(spec, { file, params: { rms: 3 }, maxDepth: 7, checkpoint: { dir, resumeFrom: dir } });
    expect(deeper.incomplete?.reason).toBe('maxDepth');
    const rest = check(spec, { file, params: { rms: 3 }, checkpoint: { dir, resumeFrom: dir } });
    expect(outcome(rest)).toEqual(outcome(whole));
  });

  test('a queue of objects (compactFrontier: false) is saved as values', async () => {
    const file = 'specs/two-phase.ts';
    const spec = await load(file);
    const base: CheckOptions = { file, params: { rms: 3 }, compactFrontier: false, liveness: false };
    const whole = check(spec, base);
    const dir = freshDir();
    const first = check(spec, { ...base, maxStates: 100, checkpoint: { dir } });
    expect(first.verdict).toBe('incomplete');
    expect(readCheckpoint(dir).header.queue).toBe('objects');
    expect(outcome(check(spec, { ...base, checkpoint: { dir, resumeFrom: dir } }))).toEqual(outcome(whole));
  });

  test('symmetry: the representatives go on as they were', async () => {
    const file = 'specs/two-phase.ts';
    const spec = await load(file);
    const base: CheckOptions = { file, params: { rms: 4 }, symmetry: true, liveness: false };
    const whole = check(spec, base);
    const dir = freshDir();
    check(spec, { ...base, maxStates: 50, checkpoint: { dir } });
    expect(outcome(check(spec, { ...base, checkpoint: { dir, resumeFrom: dir } }))).toEqual(outcome(whole));
  });
});

describe('a checkpoint of another search is refused', () => {
  async function written(file: string, options: CheckOptions): Promise<string> {
    const dir = freshDir();
    const r = check(await load(file), { file, ...options, maxStates: 5, checkpoint: { dir } });
    expect(r.verdict).toBe('incomplete');
    return dir;
  }

  test('other params, other flags, another spec', async () => {
    const dir = await written('specs/two-phase.ts', { params: { rms: 3 }, liveness: false });
    const resume = { dir, resumeFrom: dir };
    const twoPhase = await load('specs/two-phase.ts');
    const r1 = check(twoPhase, { file: 'specs/two-phase.ts', params: { rms: 4 }, liveness: false, checkpoint: resume });
    expect(r1.verdict).toBe('error');
    expect(r1.error?.message).toMatch(/another search[\s\S]*params: the checkpoint has \{"rms":3\}, this check \{"rms":4\}/);
    const r2 = check(twoPhase, { file: 'specs/two-phase.ts', params: { rms: 3 }, liveness: false, deadlock: true, checkpoint: resume });
    expect(r2.error?.message).toMatch(/--deadlock: the checkpoint has false, this check true/);
    const r3 = check(await load('specs/diehard.ts'), { file: 'specs/diehard.ts', checkpoint: resume });
    expect(r3.error?.message).toMatch(/spec: the checkpoint has "two-phase", this check "diehard"/);
  });

  test('a changed spec file', async () => {
    // Inside the project, where 'faultline' resolves.
    const folder = fs.mkdtempSync(path.join('test', '.checkpoint-'));
    const copy = path.join(folder, 'diehard-copy.ts');
    fs.copyFileSync('specs/diehard.ts', copy);
    onTestFinished(() => fs.rmSync(folder, { recursive: true, force: true }));
    const spec = await load(copy);
    const dir = freshDir();
    expect(check(spec, { file: copy, maxStates: 3, checkpoint: { dir } }).verdict).toBe('incomplete');
    fs.appendFileSync(copy, '\n// edited\n');
    const r = check(spec, { file: copy, checkpoint: { dir, resumeFrom: dir } });
    expect(r.error?.message).toMatch(/spec file \(its source changed since\)/);
  });

  test('another faultline version', async () => {
    const dir = await written('specs/diehard.ts', {});
    const data = readCheckpoint(dir);
    const forged = new CheckpointData({ ...data.header, identity: { ...(data.header.identity as object), faultline: '0.0.1' } });
    data.columns.forEach((c, k) => forged.columns.set(k, c));
    data.values.forEach((v, k) => forged.values.set(k, v));
    writeCheckpoint(dir, forged);
    const r = check(await load('specs/diehard.ts'), { file: 'specs/diehard.ts', checkpoint: { dir, resumeFrom: dir } });
    expect(r.error?.message).toMatch(/faultline version: the checkpoint has "0\.0\.1"/);
  });

  test('states keyed another way (STATE_KEYS), or a checkpoint from before the keys were recorded', async () => {
    for (const [keys, shown] of [[1, '1'], [undefined, 'none']] as const) {
      const dir = await written('specs/diehard.ts', {});
      const data = readCheckpoint(dir);
      const forged = new CheckpointData({ ...data.header, identity: { ...(data.header.identity as object), keys } });
      data.columns.forEach((c, k) => forged.columns.set(k, c));
      data.values.forEach((v, k) => forged.values.set(k, v));
      writeCheckpoint(dir, forged);
      const r = check(await load('specs/diehard.ts'), { file: 'specs/diehard.ts', checkpoint: { dir, resumeFrom: dir } });
      expect(r.error?.message).toContain(`how faultline fingerprints states (it changed since): the checkpoint has ${shown}, this check ${STATE_KEYS}`);
    }
  });

  test('a damaged or missing checkpoint, a folder already holding one, and searches that cannot be checkpointed', async () => {
    const spec = await load('specs/diehard.ts');
    const file = 'specs/diehard.ts';
    const dir = await written(file, {});
    const cp = path.join(dir, 'checkpoint.fl');
    // Writing a new search over it is refused: it would lose the old one.
    const over = check(spec, { file, checkpoint: { dir } });
    expect(over.error?.message).toMatch(/already holds a checkpoint \(spec diehard, .* states at depth \d+, written .*\): continue it with --resume/);
    fs.truncateSync(cp, fs.statSync(cp).size - 10);
    expect(check(spec, { file, checkpoint: { dir, resumeFrom: dir } }).error?.message).toMatch(/is not a faultline checkpoint that can be read \(it holds \d+ bytes, its header says \d+\)/);
    fs.writeFileSync(cp, 'hello');
    expect(check(spec, { file, checkpoint: { dir, resumeFrom: dir } }).error?.message).toMatch(/no checkpoint header/);
    const empty = freshDir();
    expect(check(spec, { file, checkpoint: { dir: empty, resumeFrom: empty } }).error?.message).toMatch(/there is no checkpoint there/);
    expect(check(spec, { file, strategy: 'dfs', checkpoint: { dir: freshDir() } }).error?.message).toMatch(/breadth-first search: drop --strategy dfs/);
    const notADir = path.join(root, 'a-file');
    fs.writeFileSync(notADir, '');
    expect(check(spec, { file, checkpoint: { dir: notADir } }).error?.message).toMatch(/--checkpoint .*a-file: cannot create the folder/);
  });

  test('states holding Immutable.js Records cannot be saved: a clear error at the first checkpoint that meets one', async () => {
    const file = 'bench/models/two-phase-immutable.ts';
    const r = check(await load(file), { file, params: { rms: 3 }, liveness: false, checkpoint: { dir: freshDir(), everyMs: 0 } });
    expect(r.verdict).toBe('error');
    expect(r.error?.message).toMatch(/--checkpoint cannot save this spec's states: they hold an Immutable\.js Record/);
  });
});
