// Issue 19, item 1: user code that never returns. An infinite loop in an action, in
// init, in an invariant or at a module's top level is a spec error naming the call
// (and, for an action, its arguments and the trace that reached the state); --max-time,
// SIGINT and SIGTERM end the command whatever the spec's code is doing, and the
// reports are written. (No timing assertions: a hang shows as the guard's SIGKILL.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenNamed, parseXml } from '../cli/ci-xml.js';
import { faultline } from '../cli/run.js';
import { runAndSignal } from './spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-runaway-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIR = 'test/fixtures/hardening';
const GUARD_MS = 40_000;
/**
 * Module load (tsx starting, transpiling, importing faultline) took more than the 5 s
 * a --call-timeout of 1 s implies on a machine at load 7-12: the tests of calls give
 * it a generous limit of its own, so only the calls run under their short one.
 */
const LOAD = '120';

interface Doc {
  results: { spec: string; verdict: string; error?: { message: string; handler?: string; action?: string; trace?: { action: string | null }[] } }[];
  interrupted?: string;
  notChecked?: { file: string; reason: string }[];
}

describe('a call of the spec that never returns is a spec error naming it (--call-timeout)', () => {
  it('an action, init and an invariant, side by side with a spec that holds', () => {
    const specs = ['loops-in-action', 'loops-in-init', 'loops-in-invariant', 'holds'].map((n) => `${DIR}/${n}.ts`);
    const r = faultline(['check', ...specs, '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck', '--jobs', '2', '--json']);
    expect(r.code).toBe(2);
    const by = Object.fromEntries((JSON.parse(r.stdout) as Doc).results.map((x) => [x.spec, x]));
    expect(by.holds!.verdict).toBe('ok');
    const action = by['loops-in-action']!.error!;
    expect(action.message).toBe('action Send(2) ran longer than 1 s (--call-timeout): it never returns, or is far too slow for a model checker');
    expect(action.action).toBe('Send(2)');
    expect(action.trace!.map((s) => s.action)).toEqual([null, 'Send(1)', 'Send(1)']);
    expect(by['loops-in-init']!.error!.message).toMatch(/^init ran longer than 1 s/);
    const inv = by['loops-in-invariant']!.error!;
    expect(inv.message).toMatch(/^invariant bounded ran longer than 1 s/);
    expect(inv.trace!.map((s) => s.action)).toEqual([null, 'Inc']);
  });

  it("a module's top level: a spec error (the load limit is at least 5 s)", () => {
    const r = faultline(['check', `${DIR}/loops-on-load.ts`, '--call-timeout', '1', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: loading the spec module (its top-level code) ran longer than 5 s (--call-timeout)');
  });

  it("--load-timeout sets the module's own limit, whatever --call-timeout is", () => {
    const r = faultline(['check', `${DIR}/loops-on-load.ts`, '--call-timeout', '30', '--load-timeout', '2', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: loading the spec module (its top-level code) ran longer than 2 s (--load-timeout)');
    const bad = faultline(['check', `${DIR}/holds.ts`, '--load-timeout', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--load-timeout must be a positive number of seconds, got "0"');
  });

  it('the text report shows the action with its arguments and the trace', () => {
    const r = faultline(['check', `${DIR}/loops-in-action.ts`, '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('handler Send(2)');
    expect(r.stdout).toContain('✗ while taking: Send(2)');
  });

  // The shards take over from the first level (a test hook): the loop runs in a shard
  // thread while the coordinator waits, which once kept the watchdog fed (it beat as it
  // polled) and hung the check past --call-timeout, --max-time and the first signal.
  const SHARDS = { FAULTLINE_SHARE_EVERY_LEVEL: '1' };

  it('--workers 2, the loop in a shard thread: the same spec error, action and trace as one thread', () => {
    const r = faultline(['check', `${DIR}/loops-in-action.ts`, '--workers', '2', '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck', '--json'], SHARDS);
    expect(r.code).toBe(2);
    const action = (JSON.parse(r.stdout) as Doc['results'][number]).error!; // one spec: its result is the document
    expect(action.message).toBe('action Send(2) ran longer than 1 s (--call-timeout): it never returns, or is far too slow for a model checker');
    expect(action.trace!.map((s) => s.action)).toEqual([null, 'Send(1)', 'Send(1)']);
  });

  it('--call-timeout takes a positive number of seconds', () => {
    const r = faultline(['check', `${DIR}/holds.ts`, '--call-timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--call-timeout must be a positive number of seconds, got "0"');
  });
});

describe('--max-time and signals stop a spec spinning in its own code', () => {
  it('--max-time 2: exit 2 naming --max-time, the other spec and the JUnit report complete', () => {
    const junit = path.join(tmp, 'max-time.xml');
    const r = faultline(['check', `${DIR}/loops-announced.ts`, `${DIR}/holds.ts`, '--max-time', '2', '--no-typecheck', '--jobs', '1', '--json', '--junit', junit]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.results.map((x) => [x.spec, x.verdict])).toEqual([['loops-announced', 'error'], ['holds', 'ok']]);
    expect(doc.results[0]!.error!.message).toMatch(/^--max-time 2 s: the check did not stop/);
    expect(childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite').map((s) => s.attrs.name)).toEqual(['loops-announced', 'holds']);
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the action spins: exit ${code}, JSON and JUnit list both specs as not checked`, async () => {
      const junit = path.join(tmp, `${signal}.xml`);
      const specs = [`${DIR}/loops-announced.ts`, `${DIR}/holds.ts`];
      const r = await runAndSignal(['check', ...specs, '--no-typecheck', '--jobs', '1', '--json', '--junit', junit], signal, /entering the loop/, GUARD_MS);
      expect(r.signal).toBeNull(); // not the guard's SIGKILL
      expect(r.code).toBe(code);
      const doc = JSON.parse(r.stdout) as Doc;
      expect(doc.interrupted).toBe(signal);
      expect(doc.results).toEqual([]);
      expect(doc.notChecked).toEqual(specs.map((file) => ({ file, reason: 'interrupted' })));
      expect(childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite')).toHaveLength(2);
    });
  }

  it('--workers 2, SIGTERM while a shard thread spins: exit 143, the spec not checked', async () => {
    const file = `${DIR}/loops-announced.ts`;
    const r = await runAndSignal(['check', file, '--workers', '2', '--no-typecheck', '--json'], 'SIGTERM', /entering the loop/, GUARD_MS, 'stderr', { FAULTLINE_SHARE_EVERY_LEVEL: '1' });
    expect(r.signal).toBeNull(); // not the guard's SIGKILL
    expect(r.code).toBe(143);
    expect((JSON.parse(r.stdout) as Doc).notChecked).toEqual([{ file, reason: 'interrupted' }]);
  });

  it('simulate --max-time 1 while the action spins: exit 2 naming --max-time', () => {
    const r = faultline(['simulate', `${DIR}/loops-announced.ts`, '--max-time', '1', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("faultline: --max-time 1 s: simulate did not stop, the spec's code has not returned");
  });

  it('simulate, SIGTERM while the action spins: exit 143', async () => {
    const r = await runAndSignal(['simulate', `${DIR}/loops-announced.ts`, '--no-typecheck'], 'SIGTERM', /entering the loop/, GUARD_MS);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('faultline: SIGTERM: simulate stopped before it finished');
  });
});
