// Saved counterexamples as regression tests: `faultline replay <folder>` replays each
// saved trace against the spec it names and says, one line each, whether the bug
// came back (exit 1) or is fixed — and when a trace no longer fits its spec.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from 'faultline';
import { violationItf } from '../../src/cli/save-trace.js';
import expectedViolation from '../fixtures/ci/2-expected-violation.js';
import regression from '../fixtures/ci/3-regression.js';
import { faultline } from './run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The regression's saved trace, as --save-trace writes it, claiming to come from `source`. */
function savedTrace(source: string): Record<string, unknown> {
  const itf = violationItf(check(regression, { file: 'test/fixtures/ci/3-regression.ts' }))!;
  return { ...itf, '#meta': { ...(itf['#meta'] as object), source } };
}

function folder(name: string, files: Record<string, unknown>): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, doc] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), JSON.stringify(doc));
  return dir;
}

describe('faultline replay <folder>', () => {
  const expected = violationItf(check(expectedViolation, { file: 'test/fixtures/ci/2-expected-violation.ts' }))!;
  const traces = {
    'a.itf.json': savedTrace('test/fixtures/ci/3-regression.ts'), // the bug is still there
    'b.itf.json': savedTrace('test/fixtures/ci-replay/fixed.ts'), // fixed
    'c.itf.json': savedTrace('test/fixtures/ci-replay/changed.ts'), // the spec changed under it
    'd.itf.json': expected, // a buggy spec that declares its violation
  };

  it('one line per trace; exit 1 because one bug came back', () => {
    const dir = folder('mixed', traces);
    const r = faultline(['replay', dir, '--no-typecheck']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^✗ reproduces +\S*a\.itf\.json {2}NeverTwo violated at step 2: n is 2 /);
    expect(lines[1]).toMatch(/^✓ fixed +\S*b\.itf\.json {2}the trace replays \(2 steps\) and no property fails$/);
    expect(lines[2]).toMatch(/^✓ fixed, no longer fits +\S*c\.itf\.json {2}the trace no longer fits the spec: step 1 \(Inc\) leads to a different state; it no longer tests anything$/);
    expect(lines[3]).toMatch(/^✓ reproduces, expected +\S*d\.itf\.json {2}BelowThree violated at step 3: n reached 3 \(the spec declares this violation\)$/);
    expect(r.stdout).toContain('✗ 4 saved traces: 1 reproduces, 2 fixed (1 no longer fits the spec), 1 expected');
  });

  it('exit 0 when no bug came back; --json gives each status; a trace without its spec is an error (exit 2)', () => {
    const { 'a.itf.json': _a, ...rest } = traces;
    const ok = faultline(['replay', folder('fixed', rest), '--no-typecheck', '--json']);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout) as { exit: number; results: { status: string }[] };
    expect(doc.exit).toBe(0);
    expect(doc.results.map((x) => x.status)).toEqual(['fixed', 'no-longer-fits', 'expected']);
    const orphan = { ...expected, '#meta': { ...(expected['#meta'] as object), source: undefined } };
    const bad = faultline(['replay', folder('orphan', { 'x.itf.json': orphan }), '--no-typecheck']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^✗ error +\S*x\.itf\.json {2}the trace does not name its spec file/);
  });
});
