// The search spread over worker processes (check --cluster, faultline worker) against
// one process: the same distinct and generated counts, verdict, trace and error for
// 2 and 3 workers, on plain-object, packed and protocol specs, over a Redis server
// this file starts on loopback. And the cluster's own faults: a worker killed by
// SIGKILL mid-level, a duplicated batch, a worker with another spec, each a stop with
// a message (exit 2), never a count. FAULTLINE_SHARE_EVERY_LEVEL hands the search to
// the workers from the first level, so these small models exercise them.
// Runs the built package (dist/): the workers run bin/faultline.js.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckOptions, CheckResult, Spec } from '../../src/index.js';
import { searchOutcome } from '../explore/search-outcome.js';
import { faultline } from '../cli/run.js';
import { engineForTests, redisServer, startWorker } from './engine.js';

const dist = '../../dist';
const { checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');

const engine = engineForTests('cluster', { shareEveryLevel: true });
const workers = engine.workers;

async function run(file: string, options: CheckOptions): Promise<CheckResult> {
  const spec = (await loadSpec(file, { typecheck: false })) as Spec;
  return checkAsync(spec, { file, liveness: false, ...options });
}

const cases: [string, CheckOptions, number[]][] = [
  // The size: 296,448 states, on 2 and on 3 workers.
  ['specs/two-phase.ts', { params: { rms: 7 } }, [2, 3]],
  ['specs/diehard.packed.ts', {}, [2]],
  ['specs/retry-payment.buggy.ts', {}, [2, 3]],
  ['specs/lww-skew.buggy.ts', {}, [2]],
  ['specs/lock-holder-crash.buggy.ts', {}, [2]],
  ['specs/two-phase-commit.fixed.ts', { maxStates: 3000 }, [2]],
];

describe.skipIf(redisServer === undefined)('worker processes find what one process finds', () => {
  for (const [file, options, counts] of cases) {
    test(`${file} ${JSON.stringify(options)}`, async () => {
      const one = await run(file, options);
      expect(one.stats.distinctStates).toBeGreaterThan(1);
      for (const n of counts) {
        const ws = workers(file, n);
        const many = await run(file, { ...options, cluster: { url: engine.url, workers: n } });
        expect(searchOutcome(many)).toEqual(searchOutcome(one));
        expect(many.workers).toBe(n);
        // Every worker is told the search is over, and leaves.
        for (const w of ws) expect((await w.exited).code).toBe(0);
      }
    }, 120_000);
  }
});

describe.skipIf(redisServer === undefined)('the cluster stops with a message, never a wrong count', () => {
  test('a worker killed by SIGKILL mid-level: exit 2, the lost worker named', async () => {
    const file = 'specs/two-phase.ts';
    const ws = [...workers(file, 2), ...workers(file, 1, { FAULTLINE_CLUSTER_KILL_AT_DEPTH: '4' })];
    const r = faultline(['check', file, '-p', 'rms=4', '--no-typecheck', '--cluster', engine.url, '--cluster-workers', '3'], { FAULTLINE_SHARE_EVERY_LEVEL: '1' });
    expect(r.code).toBe(2);
    // Who notices first varies from run to run: the coordinator's watch ("left the cluster"), its
    // next send ("is gone: nobody listens"), or another worker's send to it ("stopped: the
    // worker of shard 3 of 3 (…) is gone"; seen once in CI out of many runs).
    expect(r.stdout).toMatch(
      /the search stopped, without a result: (worker \d of 3 \([^)]*\) stopped: )?(worker \d of 3 \([^)]*\) (left the cluster mid-search|is gone)|the worker of shard \d of 3 \([^)]*\) is gone)/,
    );
    expect(r.stdout).not.toMatch(/holds|distinct states,/);
    const killed = await ws[2]!.exited;
    expect(killed.signal).toBe('SIGKILL');
    // The others leave too (the coordinator's bye, or their own notice of the loss).
    for (const w of ws.slice(0, 2)) expect([0, 2]).toContain((await w.exited).code);
    // The token never shows.
    expect(r.stdout + r.stderr).not.toContain(new URL(engine.url).password);
  }, 120_000);

  test("--max-time while a worker's shard spins in the spec's code: exit 2 naming --max-time, and the worker leaves", async () => {
    const file = 'test/fixtures/hardening/loops-announced.ts';
    const ws = workers(file, 1);
    const r = faultline(['check', file, '--no-typecheck', '--no-liveness', '--max-time', '15', '--cluster', engine.url, '--cluster-workers', '1'], { FAULTLINE_SHARE_EVERY_LEVEL: '1' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: --max-time 15 s: the check did not stop');
    const w = await ws[0]!.exited;
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('entering the loop');
  }, 120_000);

  test('with --checkpoint: the lost worker leaves a checkpoint, and --resume (here in one process) ends with the counts of one never stopped', async () => {
    const file = 'specs/two-phase.ts';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-cluster-cp-'));
    fs.rmSync(dir, { recursive: true });
    const ws = [...workers(file, 1), ...workers(file, 1, { FAULTLINE_CLUSTER_KILL_AT_DEPTH: '6' })];
    const common = ['-p', 'rms=4', '--no-typecheck', '--no-liveness', '--trace', 'none'];
    const r = faultline(['check', file, ...common, '--cluster', engine.url, '--cluster-workers', '2', '--checkpoint', dir, '--checkpoint-every', '0s'], { FAULTLINE_SHARE_EVERY_LEVEL: '1' });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/the search stopped, without a result: .*Its last checkpoint \([\d,]+ states\) is in .*: --resume .* goes on from it, with --cluster or without/s);
    expect((await ws[1]!.exited).signal).toBe('SIGKILL');
    const resumed = faultline(['check', '--resume', dir, '--no-typecheck', '--trace', 'none']);
    expect(resumed.code).toBe(0);
    const line = (out: string) => /^([\d,]+ distinct states, [\d,]+ generated, depth \d+)/m.exec(out)?.[1];
    expect(line(resumed.stdout)).toBe(line(faultline(['check', file, ...common]).stdout));
    expect(resumed.stdout).toMatch(/resumed from /);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test('a duplicated batch is detected by its sequence number', async () => {
    const file = 'specs/two-phase.ts';
    const ws = [...workers(file, 1, { FAULTLINE_CLUSTER_DUPLICATE_BATCH: '1' }), ...workers(file, 1)];
    const r = await run(file, { params: { rms: 3 }, cluster: { url: engine.url, workers: 2 } });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/message \d+ from .* arrived again \(a duplicated batch\)/);
    for (const w of ws) expect([0, 2]).toContain((await w.exited).code);
  }, 120_000);

  test('a worker started with another spec file refuses to join', async () => {
    const [w] = workers('specs/two-phase.packed.ts', 1);
    const r = await run('specs/two-phase.ts', { params: { rms: 3 }, cluster: { url: engine.url, workers: 1 } });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toMatch(/worker 1 of 1 \(.*\) refused to join: its spec file .*two-phase\.packed\.ts is not the coordinator's/);
    const exit = await w!.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('refused to join');
  }, 60_000);
});

describe.skipIf(redisServer === undefined)('the token can come from FAULTLINE_CLUSTER_TOKEN, out of sight of ps', () => {
  test('a URL without one, the token in the environment: the check runs; without the variable: a clear refusal', async () => {
    const u = new URL(engine.url);
    const token = u.password;
    u.password = '';
    const bare = u.toString();
    const file = 'specs/two-phase.ts';
    const ws = [startWorker(file, bare, { FAULTLINE_CLUSTER_TOKEN: token })];
    engine.track(ws[0]!.child);
    const args = ['check', file, '-p', 'rms=3', '--no-typecheck', '--no-liveness', '--trace', 'none'];
    const r = faultline([...args, '--cluster', bare, '--cluster-workers', '1'], { FAULTLINE_CLUSTER_TOKEN: token });
    expect(r.stderr).toContain('1 worker joined');
    const counts = (out: string) => /^[\d,]+ distinct states, [\d,]+ generated/m.exec(out)?.[0];
    expect(counts(r.stdout)).toBe(counts(faultline(args).stdout));
    expect(r.code).toBe(0);
    expect((await ws[0]!.exited).code).toBe(0);
    const refused = faultline([...args, '--cluster', bare, '--cluster-workers', '1'], { FAULTLINE_CLUSTER_TOKEN: '' });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toMatch(/cannot reach the cluster's engine at redis:\/\/127\.0\.0\.1:\d+\/?: NOAUTH/);
  }, 120_000);
});

test.skipIf(redisServer === undefined)('an engine nobody listens on: a clear error, exit 2', () => {
  const r = faultline(['check', 'specs/two-phase.ts', '--no-typecheck', '--cluster', 'redis://127.0.0.1:1', '--cluster-workers', '2']);
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(/cannot reach the cluster's engine at redis:\/\/127\.0\.0\.1:1/);
});

test('--cluster without --cluster-workers, or with several specs: usage errors', () => {
  let r = faultline(['check', 'specs/two-phase.ts', '--cluster', 'redis://127.0.0.1:6379']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster: say how many workers to wait for with --cluster-workers <n>');
  r = faultline(['check', 'specs/two-phase.ts', 'specs/diehard.ts', '--cluster', 'redis://127.0.0.1:6379', '--cluster-workers', '2']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster checks one spec: name one spec file (got 2)');
});
