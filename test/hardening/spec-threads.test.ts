// Issue 19, items 1 and 4 for the commands other than check: simulate, list and replay
// run the spec's code in a watched worker (src/cli/spec-thread.ts), so SIGINT and
// SIGTERM give 130 / 143 whatever the spec's code does, and --call-timeout turns a
// call that never returns into a spec error naming it. (No timing assertions: a hang
// shows as the guard's SIGKILL, signal 'SIGKILL'.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';
import { runAndSignal } from './spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-spec-threads-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIR = 'test/fixtures/hardening';
const GUARD_MS = 40_000;
/** Module load gets a generous limit of its own (a loaded machine needs more than 5 s), the calls their short one. */
const LOAD = '120';

/** A trace of loops-announced whose 3rd step makes the replay expand n = 2, where Inc spins. */
function spinningTrace(): string {
  const file = path.join(tmp, 'loops-announced.itf.json');
  const states = [0, 1, 2, 3].map((n, i) => ({ '#meta': i === 0 ? { index: 0 } : { index: i, action: 'Inc' }, n }));
  fs.writeFileSync(file, JSON.stringify({ '#meta': { format: 'ITF', spec: 'loops-announced', params: {} }, vars: ['n'], states }));
  return file;
}

describe('SIGINT and SIGTERM while the spec spins', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`list, in the module's top-level code: ${signal} gives exit ${code}`, async () => {
      const r = await runAndSignal(['list', `${DIR}/loops-on-load-announced.ts`, '--no-typecheck'], signal, /entering the loop/, GUARD_MS);
      expect(r.signal).toBeNull(); // not killed by the signal itself, nor by the guard
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`faultline: ${signal}: list stopped before it finished`);
    });

    it(`replay, in an action: ${signal} gives exit ${code}`, async () => {
      const r = await runAndSignal(['replay', `${DIR}/loops-announced.ts`, spinningTrace(), '--no-typecheck'], signal, /entering the loop/, GUARD_MS);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(`faultline: ${signal}: replay stopped before it finished`);
    });
  }

  it('replay of a folder (its table comes at the end: no partial report)', async () => {
    const dir = path.join(tmp, 'saved');
    fs.mkdirSync(dir);
    expect(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--save-trace', dir]).code).toBe(0); // its expected violation
    const spin = JSON.parse(fs.readFileSync(spinningTrace(), 'utf8')) as { '#meta': Record<string, unknown> };
    spin['#meta'].source = `${DIR}/loops-announced.ts`;
    fs.writeFileSync(path.join(dir, 'z-loops.itf.json'), JSON.stringify(spin));
    const r = await runAndSignal(['replay', dir, '--no-typecheck'], 'SIGINT', /entering the loop/, GUARD_MS);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('faultline: SIGINT: replay stopped before it finished');
  });
});

describe('--call-timeout outside check', () => {
  it('simulate: an action that never returns is a spec error naming it, with the walk to its state', () => {
    const r = faultline(['simulate', `${DIR}/loops-in-action.ts`, '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { verdict: string; error: { message: string; action: string; trace: { action: string | null }[] } };
    expect(doc.verdict).toBe('error');
    expect(doc.error.message).toBe('action Send(2) ran longer than 1 s (--call-timeout): it never returns, or is far too slow for a model checker');
    expect(doc.error.action).toBe('Send(2)');
    expect(doc.error.trace[0]!.action).toBeNull();
  });

  it('simulate: an invariant that never returns', () => {
    const r = faultline(['simulate', `${DIR}/loops-in-invariant.ts`, '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/✗ spec error: invariant bounded ran longer than 1 s \(--call-timeout\)/);
  });

  it('replay: the action is named', () => {
    const r = faultline(['replay', `${DIR}/loops-announced.ts`, spinningTrace(), '--call-timeout', '1', '--load-timeout', LOAD, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ cannot replay: action Inc ran longer than 1 s (--call-timeout)');
  });

  it("list: the module's top level (at least 5 s), naming the file", () => {
    const r = faultline(['list', `${DIR}/loops-on-load.ts`, '--call-timeout', '1', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`faultline: ${DIR}/loops-on-load.ts: loading the spec module (its top-level code) ran longer than 5 s (--call-timeout)`);
  });

  it('--load-timeout: list names it', () => {
    const r = faultline(['list', `${DIR}/loops-on-load.ts`, '--load-timeout', '2', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`faultline: ${DIR}/loops-on-load.ts: loading the spec module (its top-level code) ran longer than 2 s (--load-timeout)`);
  });

  it('the commands still work: list and replay of a spec that returns', () => {
    expect(faultline(['list', 'specs/diehard.ts', '--no-typecheck']).stdout).toContain('invariants: TypeOK, NotSolved');
    const itf = path.join(tmp, 'diehard.itf.json');
    faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--trace-out', itf]);
    const r = faultline(['replay', 'specs/diehard.ts', itf, '--no-typecheck', '--trace', 'none']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the violation reproduces: invariant NotSolved violated at step 6');
  });
});
