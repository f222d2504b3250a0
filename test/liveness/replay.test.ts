// `faultline replay` of a saved lasso (ITF with a top-level "loop"): it reproduces
// against the spec it was found in (exit 1); once the loop is no longer fair it
// passes (exit 0) saying why; once a step no longer fits it is exit 4 naming the step;
// a loop index that does not close, a property the spec no longer has, a malformed or
// missing "loop" are clear errors (exit 2).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

const SPEC = 'test/fixtures/liveness/toggle.ts'; // finished violated by the loop Flip, Flip back to step 0
const FAIR = 'test/fixtures/liveness/toggle-fair.ts'; // the same with Finish weakly fair: the loop is not fair
const ONCE = 'test/fixtures/liveness/toggle-once.ts'; // Flip only from x = 0: the loop's second Flip is not enabled
const RENAMED = 'test/fixtures/liveness/toggle-renamed.ts'; // the property is called settled now

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-liveness-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let saved: any; // toggle's lasso as --trace-out writes it
let savedFile: string;

beforeAll(() => {
  savedFile = path.join(tmp, 'toggle.itf.json');
  const r = faultline(['check', SPEC, '--no-typecheck', '--trace-out', savedFile]);
  expect(r.code).toBe(0);
  saved = JSON.parse(fs.readFileSync(savedFile, 'utf8'));
  expect(saved.loop).toBe(0);
});

/** `saved` with some top-level fields changed, written to a file. */
function variant(name: string, change: Record<string, unknown>): string {
  const file = path.join(tmp, `${name}.itf.json`);
  fs.writeFileSync(file, JSON.stringify({ ...saved, ...change }));
  return file;
}

function replay(spec: string, trace: string, ...more: string[]) {
  return faultline(['replay', spec, trace, '--no-typecheck', ...more]);
}

describe('replay of a saved lasso', () => {
  it('reproduces against the same spec: exit 1, the lasso with its ↻ line', () => {
    const r = replay(SPEC, savedFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the violation reproduces: liveness property finished violated at step 2: finished is violated by the loop back to step 0, repeated forever');
    expect(r.stdout).toContain('Counterexample (2 steps, replayed, lasso: loop of 2 steps):');
    expect(r.stdout).toContain('↻ back to step 0: step 2 is step 0 again, so steps 1–2 repeat forever');
    const j = JSON.parse(replay(SPEC, savedFile, '--json').stdout);
    expect(j).toMatchObject({ outcome: 'reproduced', exit: 1, loop: 0, violation: { property: 'finished', kind: 'liveness', step: 2 } });
  });

  it('--save-trace writes a lasso that replays the same way', () => {
    const dir = path.join(tmp, 'saved');
    faultline(['check', SPEC, '--no-typecheck', '--save-trace', dir]);
    const r = replay(SPEC, path.join(dir, 'toggle.finished.itf.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('liveness property finished violated at step 2');
  });

  it('passes (exit 0) against a spec where the loop is no longer fair, with the reason', () => {
    const r = replay(FAIR, savedFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ the trace replays (2 steps) and no property fails: finished, which it was saved for, no longer happens on this trace');
    expect(r.stdout).toContain('the saved lasso is no longer a counterexample: the loop is not fair: Finish is weakly fair, enabled all along the loop, and never taken on it');
    const j = JSON.parse(replay(FAIR, savedFile, '--json').stdout);
    expect(j.outcome).toBe('passes');
    expect(j.lassoNote).toBe('the loop is not fair: Finish is weakly fair, enabled all along the loop, and never taken on it');
  });

  it('a folder replay says the same in its one line', () => {
    const dir = path.join(tmp, 'folder');
    fs.mkdirSync(dir, { recursive: true });
    const doc = { ...saved, '#meta': { ...saved['#meta'], source: FAIR } };
    fs.writeFileSync(path.join(dir, 'a.itf.json'), JSON.stringify(doc));
    const r = faultline(['replay', dir, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ fixed +\S*a\.itf\.json {2}the trace replays \(2 steps\) and no property fails; the saved lasso is no longer a counterexample: the loop is not fair: Finish is weakly fair/m);
  });

  it('exit 4 against a spec where a step of the loop is no longer enabled, naming it', () => {
    const r = replay(ONCE, savedFile);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('✗ the trace no longer fits the spec: step 2 (Flip) is not enabled');
    expect(r.stdout).toContain('Enabled after step 1: Finish');
    const j = JSON.parse(replay(ONCE, savedFile, '--json').stdout);
    expect(j.divergence).toMatchObject({ step: 2, action: 'Flip', reason: 'not-enabled', enabled: ['Finish'] });
  });
});

describe('replay of a lasso that cannot be judged: exit 2, a clear message', () => {
  it('a loop index that does not close the loop', () => {
    const r = replay(SPEC, variant('open', { loop: 1 }));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("✗ cannot replay: the trace's loop index 1 does not close the loop: its last state is not state 1 again");
  });

  it('a lasso saved for a property the spec no longer has', () => {
    const r = replay(RENAMED, savedFile);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ cannot replay: the trace is a lasso saved for finished, which the spec does not declare (its liveness properties: settled)');
  });

  it.each([
    ['a string', '0'],
    ['past the last state', 3],
    ['negative', -1],
    ['not an integer', 0.5],
    ['an object', { index: 0 }],
  ])('a malformed loop: %s', (_what, loop) => {
    const r = replay(SPEC, variant(`bad-${String(JSON.stringify(loop)).replace(/\W/g, '')}`, { loop }));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`.loop: expected the index of a state (0–2), got ${JSON.stringify(loop)}`);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('a liveness counterexample without its loop (it would otherwise pass as a finite trace)', () => {
    const { loop: _loop, ...rest } = saved;
    const file = path.join(tmp, 'no-loop.itf.json');
    fs.writeFileSync(file, JSON.stringify(rest));
    const r = replay(SPEC, file);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('the trace was saved for the liveness property finished but has no top-level "loop"');
  });

  it('"loop": null on a trace saved for an invariant is no lasso: an ordinary replay', () => {
    const r = faultline(['check', 'test/fixtures/counter.ts', '--no-typecheck', '-p', 'limit=3', '--trace-out', path.join(tmp, 'inv.itf.json')]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(fs.readFileSync(path.join(tmp, 'inv.itf.json'), 'utf8'));
    expect(doc.loop).toBeUndefined();
    fs.writeFileSync(path.join(tmp, 'inv-null.itf.json'), JSON.stringify({ ...doc, loop: null }));
    const again = faultline(['replay', 'test/fixtures/counter.ts', path.join(tmp, 'inv-null.itf.json'), '--no-typecheck']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('✗ the violation reproduces: invariant BelowLimit violated at step 3');
    expect(again.stdout).not.toContain('↻');
  });
});

describe('a protocol lasso that halts (a stutter)', () => {
  it('replays against the buggy spec: exit 1, "stays at step 1 forever"', () => {
    const file = path.join(tmp, 'lossy.itf.json');
    faultline(['check', 'specs/lossy-request.buggy.ts', '--no-typecheck', '--trace-out', file]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).loop).toBe(1);
    const r = replay('specs/lossy-request.buggy.ts', file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('liveness property answered violated at step 1: answered never holds, and the behaviour stays at step 1 forever');
    expect(r.stdout).toContain('↻ stays at step 1 forever');
  });
});
