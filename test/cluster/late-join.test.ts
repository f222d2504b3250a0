// Workers that join a cluster's search late (check --cluster-start-after): the search
// starts with one worker hosting all 3 shards, a second and a third worker join while
// it runs and each takes one shard over at a level boundary (dumped on the old worker,
// loaded on the new), a fourth is told there is no room; the counts, verdict and trace
// are one process's. No timing: the coordinator holds a level boundary until the
// expected workers said hello (the test hook FAULTLINE_CLUSTER_HOLD="depth:workers,…"),
// and each worker is started once the previous one's notes show its shard arrived.
// Runs the built package (dist/): the workers run bin/faultline.js.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckOptions, CheckResult, Spec } from '../../src/index.js';
import { searchOutcome } from '../explore/search-outcome.js';
import { faultline } from '../cli/run.js';
import { engineForTests, redisServer, root } from './engine.js';

const dist = '../../dist';
const { checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');

const engine = engineForTests('cluster', { shareEveryLevel: true });

/** A process whose stderr the test waits on. */
interface Watched {
  /** Resolves once its stderr matches (fails the test when it exits first). */
  saw(pattern: RegExp): Promise<void>;
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  stderr(): string;
  stdout(): string;
}

function watched(args: string[], env: Record<string, string> = {}): Watched {
  const child = spawn(process.execPath, ['bin/faultline.js', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  engine.track(child);
  let stderr = '';
  const waiting: (() => void)[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of waiting.splice(0)) w();
  });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  // 'close': its output has all been read.
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  let over = false;
  void exited.then(() => {
    over = true;
    for (const w of waiting.splice(0)) w();
  });
  return {
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    saw: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (pattern.test(stderr)) resolve();
          else if (over) reject(new Error(`exited without ${pattern}; its stderr:\n${stderr}`));
          else waiting.push(look);
        };
        look();
      }),
  };
}

const worker = (file: string) => watched(['worker', file, '--cluster', engine.url]);

async function run(file: string, options: CheckOptions): Promise<CheckResult> {
  const spec = (await loadSpec(file, { typecheck: false })) as Spec;
  return checkAsync(spec, { file, liveness: false, ...options });
}

/** Holds depth 3 until 2 workers said hello, depth 6 until 3, depth 9 until 4 (the fourth is told there is no room). */
const HOLD = '3:2,6:3,9:4';

const cases: [string, CheckOptions][] = [
  ['specs/two-phase.ts', { params: { rms: 5 } }], // plain objects: interned parts cross, and start over with a moved shard
  ['specs/two-phase.packed.ts', {}],
  ['specs/lease-pause.buggy.ts', {}], // a protocol with faults: a violation at depth 15 and its trace
];

describe.skipIf(redisServer === undefined)('workers that join late take shards over at level boundaries', () => {
  for (const [file, options] of cases) {
    test(`${file} ${JSON.stringify(options)}: 1 worker, then 2 more join, a 4th finds no room`, async () => {
      const one = await run(file, options);
      process.env.FAULTLINE_CLUSTER_HOLD = HOLD;
      try {
        const first = worker(file);
        const many = run(file, { ...options, cluster: { url: engine.url, workers: 3, startAfterMs: 0 } });
        // The search starts with the first worker, hosting all three shards.
        await first.saw(/hosts shard 1 of 3[^]*hosts shard 2 of 3[^]*hosts shard 3 of 3/);
        const second = worker(file);
        await second.saw(/hosts shard 3 of 3/);
        await first.saw(/shard 3 of 3 moved to another worker/);
        const third = worker(file);
        await third.saw(/hosts shard 2 of 3/);
        await first.saw(/shard 2 of 3 moved to another worker/);
        const fourth = worker(file);
        const result = await many;
        expect(searchOutcome(result)).toEqual(searchOutcome(one));
        expect(result.workers).toBe(3);
        // Each late worker hosted exactly one shard; the first kept one.
        expect(second.stderr().match(/hosts shard/g)).toHaveLength(1);
        expect(third.stderr().match(/hosts shard/g)).toHaveLength(1);
        for (const w of [first, second, third]) expect((await w.exited).code).toBe(0);
        const extra = await fourth.exited;
        expect(extra.code).toBe(0);
        expect(extra.stderr).toMatch(/not needed: the search has its 3 workers \(one per shard\): no room for another/);
        expect(extra.stderr).not.toContain('hosts shard');
      } finally {
        delete process.env.FAULTLINE_CLUSTER_HOLD;
      }
    }, 120_000);
  }

  test('from the command line: the coordinator says which shard moved where, and the counts are one process\'s', async () => {
    const file = 'specs/two-phase.ts';
    const common = ['-p', 'rms=4', '--no-typecheck', '--no-liveness'];
    const first = worker(file);
    const check = watched(['check', file, ...common, '--cluster', engine.url, '--cluster-workers', '2', '--cluster-start-after', '0s'], { FAULTLINE_CLUSTER_HOLD: '4:2' });
    await check.saw(/starting with 1 of 2 workers: \S+ hosts shards 1, 2; a worker that joins later takes a shard over at the next level/);
    const second = worker(file);
    const done = await check.exited;
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/worker 2 of 2 \(\S+\) joined: it takes a shard over at the next level/);
    expect(done.stderr).toMatch(/depth \d+: shard 2 of 2 \([\d,]+ states, [\d,]+ queued\) moved from worker 1 of 2 \(\S+\) to worker 2 of 2 \(\S+\)/);
    const line = (out: string) => /^([\d,]+ distinct states, [\d,]+ generated, depth \d+)/m.exec(out)?.[1];
    expect(line(check.stdout())).toBeDefined();
    expect(line(check.stdout())).toBe(line(faultline(['check', file, ...common]).stdout));
    for (const w of [first, second]) expect((await w.exited).code).toBe(0);
  }, 120_000);

  test('more workers than shards at the start: the extra one hosts nothing and exits 0', async () => {
    const file = 'specs/two-phase.ts';
    const ws = [worker(file), worker(file), worker(file)];
    for (const w of ws) await w.saw(/waiting for a coordinator/);
    const r = faultline(['check', file, '-p', 'rms=3', '--no-typecheck', '--cluster', engine.url, '--cluster-workers', '2'], { FAULTLINE_SHARE_EVERY_LEVEL: '1' });
    expect(r.code).toBe(0);
    const exits = await Promise.all(ws.map((w) => w.exited));
    for (const e of exits) expect(e.code).toBe(0);
    // Two host a shard each; the third was told there is no room, or that the check is over if it ended first.
    expect(exits.filter((e) => /hosts shard/.test(e.stderr))).toHaveLength(2);
    const extra = exits.find((e) => !/hosts shard/.test(e.stderr))!;
    expect(extra.stderr).toMatch(/no room for another|done: the check is over/);
  }, 120_000);

  test('a late worker that dies while a shard moves to it: the shard stays where it was, and the next joiner gets it', async () => {
    const file = 'specs/two-phase.ts';
    const options = { params: { rms: 4 } };
    const one = await run(file, options);
    process.env.FAULTLINE_CLUSTER_HOLD = '3:2,6:3';
    try {
      const first = worker(file);
      const many = run(file, { ...options, cluster: { url: engine.url, workers: 2, startAfterMs: 0 } });
      await first.saw(/hosts shard 2 of 2/);
      const dying = watched(['worker', file, '--cluster', engine.url], { FAULTLINE_CLUSTER_KILL_ON_HOST: '1' });
      expect((await dying.exited).code).toBe(null); // SIGKILL, as shard 2 was moving to it
      const third = worker(file);
      await third.saw(/hosts shard 2 of 2/);
      const result = await many;
      expect(searchOutcome(result)).toEqual(searchOutcome(one));
      expect(dying.stderr()).not.toContain('hosts shard');
      expect((await first.exited).stderr.match(/shard 2 of 2 moved to another worker/g)).toHaveLength(1);
      expect((await third.exited).code).toBe(0);
    } finally {
      delete process.env.FAULTLINE_CLUSTER_HOLD;
    }
  }, 120_000);

  test('a late worker killed after it took a shard over: a clear stop, and the checkpoint written after the move resumes to exact counts', async () => {
    const file = 'specs/two-phase.ts';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-late-cp-'));
    fs.rmSync(dir, { recursive: true });
    const common = ['-p', 'rms=4', '--no-typecheck', '--no-liveness', '--trace', 'none'];
    const first = worker(file);
    const check = watched(['check', file, ...common, '--cluster', engine.url, '--cluster-workers', '2', '--cluster-start-after', '0s', '--checkpoint', dir, '--checkpoint-every', '0s'], { FAULTLINE_CLUSTER_HOLD: '3:2' });
    await check.saw(/starting with 1 of 2 workers/);
    const late = watched(['worker', file, '--cluster', engine.url], { FAULTLINE_CLUSTER_KILL_AT_DEPTH: '6' });
    const done = await check.exited;
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/depth [0-3]: shard 2 of 2 .* moved from worker 1 of 2 \(\S+\) to worker 2 of 2/);
    expect(check.stdout()).toMatch(/the search stopped, without a result: (worker 1 of 2 \([^)]*\) stopped: )?(worker 2 of 2 \([^)]*\) (left the cluster mid-search|is gone)|the worker of shard 2 of 2 \([^)]*\) is gone).*--resume .* goes on from it/s);
    expect((await late.exited).code).toBe(null); // SIGKILL
    expect([0, 2]).toContain((await first.exited).code);
    const resumed = faultline(['check', '--resume', dir, '--no-typecheck', '--trace', 'none']);
    expect(resumed.code).toBe(0);
    const line = (out: string) => /^([\d,]+ distinct states, [\d,]+ generated, depth \d+)/m.exec(out)?.[1];
    expect(line(resumed.stdout)).toBeDefined();
    expect(line(resumed.stdout)).toBe(line(faultline(['check', file, ...common]).stdout));
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('a late worker with another spec file refuses, and the search goes on without it', async () => {
    const file = 'specs/two-phase.ts';
    const options = { params: { rms: 4 } };
    const one = await run(file, options);
    process.env.FAULTLINE_CLUSTER_HOLD = '3:2';
    try {
      const first = worker(file);
      const many = run(file, { ...options, cluster: { url: engine.url, workers: 2, startAfterMs: 0 } });
      await first.saw(/hosts shard 2 of 2/);
      const other = worker('specs/two-phase.packed.ts');
      const result = await many;
      expect(searchOutcome(result)).toEqual(searchOutcome(one));
      const refused = await other.exited;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('refused to join');
      expect(refused.stderr).not.toContain('hosts shard');
      expect((await first.exited).stderr).not.toContain('moved to another worker');
    } finally {
      delete process.env.FAULTLINE_CLUSTER_HOLD;
    }
  }, 120_000);
});

test('--cluster-start-after goes with --cluster, and takes a duration', () => {
  let r = faultline(['check', 'specs/two-phase.ts', '--cluster-start-after', '10s']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster-start-after goes with --cluster <url>');
  r = faultline(['check', 'specs/two-phase.ts', '--cluster', 'redis://127.0.0.1:1', '--cluster-workers', '2', '--cluster-start-after', 'soon']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster-start-after must be a duration such as 10m, 30s or 1h, got "soon"');
});
