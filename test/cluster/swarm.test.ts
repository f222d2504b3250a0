// Swarm simulation (simulate --cluster, faultline worker): the walks are numbered and
// each seeded by its number, so the swarm's verdict, walk, trace and counts are those
// of one process running the same numbered walks (simulate() with firstWalk), on 1 or
// 2 workers alike; the lowest violating walk wins and is shrunk; a worker with another
// spec refuses, a killed worker stops the swarm (exit 2, named). Over a Redis server
// this file starts on loopback; runs the built package (dist/), as a user does.
import { describe, expect, test } from 'vitest';
import type { SimulateOptions, SimulateResult, Spec, Stats } from '../../src/index.js';
import { faultline } from '../cli/run.js';
import { engineForTests, redisServer, type WorkerRun } from './engine.js';

const dist = '../../dist';
const { simulate } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');
const { unreproducible } = (await import(/* @vite-ignore */ `${dist}/trace/verify.js`)) as typeof import('../../src/trace/verify.js');
const { fromITF } = (await import(/* @vite-ignore */ `${dist}/values/itf.js`)) as typeof import('../../src/values/itf.js');
const { simulateOnCluster } = (await import(/* @vite-ignore */ `${dist}/check/swarm.js`)) as typeof import('../../src/check/swarm.js');

const engine = engineForTests('swarm');
const workers = engine.workers;

/** `faultline simulate FILE ARGS --cluster URL --cluster-workers n` with n workers started for it; its output and the workers' exits. */
async function swarmRun(file: string, n: number, args: string[], env: Record<string, string>[] = []): Promise<{ code: number | null; stdout: string; stderr: string; exits: WorkerRun['exited'][] }> {
  const ws = Array.from({ length: n }, (_, i) => workers(file, 1, env[i])[0]!);
  const r = faultline(['simulate', file, '--no-typecheck', ...args, '--cluster', engine.url, '--cluster-workers', String(n)]);
  return { ...r, exits: ws.map((w) => w.exited) };
}

/** The same with --json: the report, and the workers' exit codes. */
async function swarm(file: string, n: number, args: string[]): Promise<{ code: number | null; report: SimulateResult; exits: (number | null)[] }> {
  const r = await swarmRun(file, n, ['--json', ...args]);
  const exits = await Promise.all(r.exits.map(async (e) => (await e).code));
  return { code: r.code, report: JSON.parse(r.stdout) as SimulateResult, exits };
}

/** One process walking the swarm's numbered walks 0 … walks-1. */
async function oneProcess(file: string, options: SimulateOptions): Promise<SimulateResult> {
  const spec = (await loadSpec(file, { typecheck: false })) as Spec;
  return simulate(spec, { file, firstWalk: 0, ...options });
}

const counts = (r: SimulateResult) => ({ distinct: r.stats.distinctStates, generated: r.stats.generatedStates, depth: r.stats.depth, coverage: r.coverage });

describe.skipIf(redisServer === undefined)('the swarm finds what one process walking the same walks finds', () => {
  test('a buggy spec: the lowest violating walk, shrunk to the shortest trace; the same on 1 and 2 workers', async () => {
    const file = 'specs/lease-pause.buggy.ts';
    const args = ['--walks', '3000', '--depth', '40', '--seed', '3'];
    const two = await swarm(file, 2, args);
    expect(two.code).toBe(1);
    expect(two.exits).toEqual([0, 0]);
    expect(two.report.verdict).toBe('violation');
    expect(two.report.violation!.property).toBe('writesInLeaseOrder');
    const walk = two.report.swarm!.walk!;
    expect(two.report.swarm).toMatchObject({ workers: 2, walksCounted: walk + 1, shrink: { how: 'shortest' } });
    // One process over walks 0 … walk: no violation before it, the violation at it, the same counts.
    const before = await oneProcess(file, { walks: walk, depth: 40, seed: 3 });
    expect(before.verdict).toBe('none-found');
    const upTo = await oneProcess(file, { walks: walk + 1, depth: 40, seed: 3 });
    expect(upTo.verdict).toBe('violation');
    expect(counts(two.report)).toEqual(counts(upTo));
    expect(two.report.swarm!.walkSteps).toBe(upTo.violation!.trace.length - 1);
    // Shrunk to the shortest: the check's breadth-first trace has as many steps.
    const check = JSON.parse(faultline(['check', file, '--no-typecheck', '--json', '--minimise', 'off']).stdout) as { violation: { trace: unknown[] } };
    expect(two.report.violation!.trace.length).toBe(check.violation.trace.length);
    const one = await swarm(file, 1, args);
    expect(one.report.swarm!.walk).toBe(walk);
    expect(one.report.violation).toEqual(two.report.violation);
    expect(counts(one.report)).toEqual(counts(two.report));
  }, 180_000);

  test('--shrink-states 0: the walk with its loops cut, the same on 1 and 2 workers, and a behaviour of the spec', async () => {
    const file = 'specs/diehard.ts';
    const args = ['--walks', '100', '--depth', '100', '--seed', '1', '--shrink-states', '0'];
    const two = await swarm(file, 2, args);
    expect(two.code).toBe(1);
    expect(two.report.swarm!.shrink!.how).toBe('loops-cut');
    const walk = two.report.swarm!.walk!;
    const upTo = await oneProcess(file, { walks: walk + 1, depth: 100, seed: 1 });
    expect(upTo.verdict).toBe('violation');
    const cut = two.report.violation!.trace;
    expect(cut.length).toBeLessThan(upTo.violation!.trace.length);
    const one = await swarm(file, 1, args);
    expect(one.report.violation).toEqual(two.report.violation);
    // The cut trace is a behaviour of the spec: it re-executes, and breaks the invariant at its end.
    const spec = (await loadSpec(file, { typecheck: false })) as Spec;
    const trace = cut.map((s) => ({ action: s.action, state: fromITF(s.state) }));
    expect(unreproducible(spec.compile(two.report.params), { ...two.report.violation!, trace })).toBeUndefined();
    // Broken on purpose, it would not: the check above can fail.
    const broken = [trace[0]!, ...trace.slice(2)];
    expect(unreproducible(spec.compile(two.report.params), { ...two.report.violation!, trace: broken })).toBeDefined();
  }, 120_000);

  test('a fixed spec: no violation, every walk counted, the counts of one process', async () => {
    const file = 'specs/retry-payment.fixed.ts';
    const args = ['--walks', '300', '--depth', '30', '--seed', '7'];
    const two = await swarm(file, 2, args);
    expect(two.code).toBe(0);
    expect(two.report.verdict).toBe('none-found');
    expect(two.report.swarm).toEqual({ workers: 2, walksCounted: 300 });
    expect(two.exits).toEqual([0, 0]);
    const one = await oneProcess(file, { walks: 300, depth: 30, seed: 7 });
    expect(one.verdict).toBe('none-found');
    expect(counts(two.report)).toEqual(counts(one));
    const text = await swarmRun(file, 2, args);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('no violation found in 300 random walks (seed 7) on 2 workers; a simulation proves nothing');
    expect(text.stdout).toMatch(new RegExp(`^${one.stats.distinctStates} distinct states, ${one.stats.generatedStates.toLocaleString('en-US')} generated, depth ${one.stats.depth}, .*2 workers\\)$`, 'm'));
    expect(text.stderr).toMatch(/faultline: cluster: 2 workers joined the swarm: /);
    for (const e of text.exits) expect((await e).stderr).toMatch(/joined the swarm as worker [12] of 2 .*\n.*done: the simulation is over/s);
  }, 120_000);
});

describe.skipIf(redisServer === undefined)('the swarm stops with a message, never a wrong count', () => {
  test('--progress: the running counts, each chunk as it arrives, growing to the result', async () => {
    const file = 'specs/retry-payment.fixed.ts';
    const ws = workers(file, 2);
    const spec = (await loadSpec(file, { typecheck: false })) as Spec;
    const seen: Stats[] = [];
    const options = { file, walks: 600, depth: 30, seed: 1, progressIntervalMs: 0, onProgress: (s: Stats) => seen.push(s) };
    const r = await simulateOnCluster(spec, options, { url: engine.url, workers: 2, shrinkStates: 0 });
    expect(r.verdict).toBe('none-found');
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.generatedStates).toBeGreaterThan(seen[i - 1]!.generatedStates);
      expect(seen[i]!.distinctStates).toBeGreaterThanOrEqual(seen[i - 1]!.distinctStates);
    }
    // No walk violated, so every chunk counts: the last report's counts are the result's.
    const last = seen[seen.length - 1]!;
    expect([last.generatedStates, last.distinctStates, last.depth]).toEqual([r.stats.generatedStates, r.stats.distinctStates, r.stats.depth]);
    expect((await Promise.all(ws.map((w) => w.exited))).map((e) => e.code)).toEqual([0, 0]);
  }, 120_000);

  test('a worker started with another spec file refuses to join', async () => {
    const [w] = workers('specs/retry-payment.buggy.ts', 1);
    const r = faultline(['simulate', 'specs/retry-payment.fixed.ts', '--no-typecheck', '--cluster', engine.url, '--cluster-workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/the simulation stopped, without a result: worker 1 of 1 \(.*\) refused to join: its spec file .*retry-payment\.buggy\.ts is not the coordinator's/);
    const exit = await w!.exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('refused to join');
  }, 60_000);

  test('a worker killed by SIGKILL mid-swarm: named, its chunks walked by the other, the counts of one process', async () => {
    const file = 'specs/retry-payment.fixed.ts';
    const r = await swarmRun(file, 2, ['--json', '--walks', '2000', '--depth', '30'], [{}, { FAULTLINE_CLUSTER_KILL_AT_CHUNK: '20' }]);
    expect(r.code).toBe(0);
    // The coordinator's watch ("left the cluster"), or its next send ("is gone"), notices; the killed worker held its 19th and 20th chunks.
    expect(r.stderr).toMatch(/cluster: worker \d of 2 \([^)]*\) (left the cluster mid-simulation|is gone)[^\n]*: its chunks? [\d, ]+ go(es)? to the others \(1 worker left\)/);
    const report = JSON.parse(r.stdout) as SimulateResult;
    expect(report.verdict).toBe('none-found');
    expect(report.swarm).toMatchObject({ workers: 2, walksCounted: 2000, workersLost: 1 });
    const one = await oneProcess(file, { walks: 2000, depth: 30, seed: 1 });
    expect(counts(report)).toEqual(counts(one));
    expect((await r.exits[1]!).signal).toBe('SIGKILL');
    expect((await r.exits[0]!).code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(new URL(engine.url).password);
  }, 120_000);

  test('the last worker killed mid-swarm: exit 2, named, no counts', async () => {
    const file = 'specs/retry-payment.fixed.ts';
    const r = await swarmRun(file, 1, ['--walks', '2000', '--depth', '30'], [{ FAULTLINE_CLUSTER_KILL_AT_CHUNK: '5' }]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/the simulation stopped, without a result: worker 1 of 1 \([^)]*\) (left the cluster mid-simulation|is gone)[^\n]*, and no worker is left/);
    expect(r.stdout).not.toMatch(/no violation found|distinct states,/);
    expect((await r.exits[0]!).signal).toBe('SIGKILL');
  }, 120_000);

  test('a worker that dies while it loads the spec (after its hello, before its answer): exit 2, the worker named, no wait without end', async () => {
    const file = 'test/fixtures/cluster/dies-loading.ts';
    // --max-time only keeps a broken coordinator from waiting for ever: it would then stop "while the workers were loading".
    const r = await swarmRun(file, 2, ['--walks', '10', '--max-time', '60'], [{}, { FAULTLINE_TEST_DIE_LOADING: '1' }]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/the simulation stopped, without a result: worker \d of 2 \([^)]*\) left before it answered/);
    expect((await r.exits[1]!).signal).toBe('SIGKILL');
    expect((await r.exits[0]!).code).toBe(0);
  }, 120_000);
});

test('--cluster-workers or --shrink-states without --cluster, --cluster without --cluster-workers: usage errors', () => {
  let r = faultline(['simulate', 'specs/diehard.ts', '--cluster-workers', '2']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster-workers goes with --cluster <url>');
  r = faultline(['simulate', 'specs/diehard.ts', '--shrink-states', '10']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--shrink-states goes with --cluster <url>');
  r = faultline(['simulate', 'specs/diehard.ts', '--cluster', 'redis://127.0.0.1:6379']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--cluster: say how many workers to wait for with --cluster-workers <n>');
});
