// `faultline check` over several specs, as a CI job runs it: a folder with mixed
// expectations, stable order with parallel jobs, --bail, --json, --junit,
// --annotations github, --save-trace and --require-complete.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseItfTrace } from '../../src/values/itf.js';
import { childrenNamed, parseXml } from './ci-xml.js';
import { faultline, root } from './run.js';

const F = 'test/fixtures/ci';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-ci-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Output with the run-dependent numbers (times, rates) blanked. */
const steady = (s: string) => s.replace(/\d+\.\d\d s/g, 'T s').replace(/\([\d,]+ distinct states\/s\)/g, '(R)').replace(/ +T s/g, ' T s');

describe('check a folder with mixed expectations', () => {
  const parallel = faultline(['check', F, '--no-typecheck', '--jobs', '2']);

  it('exits 1 because one spec breaks its expectation; reports each spec in name order, then the summary', () => {
    expect(parallel.code).toBe(1);
    const out = parallel.stdout;
    const at = ['ci-holds (', 'ci-expected-violation (', 'ci-regression (', 'ci-after (', '   spec '].map((s) => out.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(out).not.toContain('lib/counter'); // lib/ folders hold helpers, not specs
    expect(out).toContain('✗ expectation not met: expected to hold; it violates NeverTwo');
    const table = out.slice(out.indexOf('   spec ')).split('\n');
    expect(table[1]).toMatch(/^✓ {2}ci-holds +holds +holds /);
    expect(table[2]).toMatch(/^✓ {2}ci-expected-violation +violates BelowThree +violates BelowThree /);
    expect(table[3]).toMatch(/^✗ {2}ci-regression +violates NeverTwo +holds /);
    expect(table[4]).toMatch(/^✓ {2}ci-after +holds +holds /);
    expect(out).toMatch(/\n✗ 4 specs: 3 passed, 1 failed in \d+\.\d+ s\n$/);
  });

  it('one job gives the same report (stable order whatever finishes first)', () => {
    const serial = faultline(['check', F, '--no-typecheck', '--jobs', '1']);
    expect(serial.code).toBe(1);
    expect(steady(serial.stdout)).toBe(steady(parallel.stdout));
  });

  it('--bail stops at the first failure and lists the specs it did not check', () => {
    const r = faultline(['check', F, '--no-typecheck', '--jobs', '1', '--bail']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ci-regression (');
    expect(r.stdout).not.toContain('ci-after (');
    expect(r.stdout).toMatch(/\n- {2}4-after +not checked \(--bail\) +test\/fixtures\/ci\/4-after\.ts\n/);
    expect(r.stdout).toContain('✗ 4 specs: 2 passed, 1 failed, 1 not checked');
  });

  it('exits 0 when every spec meets its expectation', () => {
    const r = faultline(['check', `${F}/1-holds.ts`, `${F}/2-expected-violation.ts`, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ 2 specs: 2 passed, 0 failed');
  });
});

describe('reports for CI: --json, --junit, --annotations github, --save-trace', () => {
  const junit = path.join(tmp, 'reports', 'faultline.xml');
  const traces = path.join(tmp, 'traces');
  const r = faultline(['check', F, '--no-typecheck', '--json', '--junit', junit, '--annotations', 'github', '--save-trace', traces]);

  it('--json: one document with the results in order; stdout stays pure JSON', () => {
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: { spec: string; verdict: string; expectation: { met: boolean } }[] };
    expect(doc.results.map((x) => [x.spec, x.verdict, x.expectation.met])).toEqual([
      ['ci-holds', 'ok', true],
      ['ci-expected-violation', 'violation', true],
      ['ci-regression', 'violation', false],
      ['ci-after', 'ok', true],
    ]);
  });

  it('--junit: a well-formed file with a suite per spec and the failure where it belongs', () => {
    const root = parseXml(fs.readFileSync(junit, 'utf8'));
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.failures])).toEqual([
      ['ci-holds', '0'],
      ['ci-expected-violation', '0'],
      ['ci-regression', '2'],
      ['ci-after', '0'],
    ]);
    const failing = childrenNamed(suites[2]!, 'testcase').find((c) => c.attrs.name === 'invariant NeverTwo')!;
    expect(childrenNamed(failing, 'failure')[0]!.text).toContain('Counterexample (2 steps, shortest):');
  });

  it('--annotations github: one error command for the failing spec (on stderr, since stdout is JSON)', () => {
    const commands = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^::error file=test\/fixtures\/ci\/3-regression\.ts,line=\d+,col=\d+,title=faultline%3A ci-regression%3A expectation not met::expected to hold; it violates NeverTwo%0A/);
  });

  it('--save-trace: one ITF file per violation, named spec.property, that reads back', () => {
    expect(fs.readdirSync(traces).sort()).toEqual(['ci-expected-violation.BelowThree.itf.json', 'ci-regression.NeverTwo.itf.json']);
    const t = parseItfTrace(fs.readFileSync(path.join(traces, 'ci-regression.NeverTwo.itf.json'), 'utf8'));
    expect(t.states).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(t.actions).toEqual([null, 'Inc', 'Inc']);
    expect(t.meta).toMatchObject({ source: 'test/fixtures/ci/3-regression.ts', spec: 'ci-regression', property: 'NeverTwo' });
    expect(fs.existsSync(path.join(root, t.meta.source as string))).toBe(true);
  });

  it('text mode: annotations on stdout after the summary; the saved trace named under its report', () => {
    const t = faultline(['check', `${F}/3-regression.ts`, '--no-typecheck', '--annotations', 'github', '--save-trace', path.join(tmp, 'text')]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain(`counterexample saved to ${path.relative(root, path.join(tmp, 'text', 'ci-regression.NeverTwo.itf.json'))}\n`);
    expect(t.stdout.trimEnd().split('\n').at(-1)).toMatch(/^::error file=test\/fixtures\/ci\/3-regression\.ts,line=\d+/);
  });
});

describe('budgets in CI', () => {
  it('--require-complete over several specs: 3 when one search is cut short; an error result counts too', () => {
    const args = ['check', `${F}/1-holds.ts`, 'test/fixtures/bad/action-throws.ts', 'specs/two-phase.ts', '--no-typecheck', '--max-states', '20', '--ignore-expect'];
    const loose = faultline(args);
    expect(loose.code).toBe(2); // the spec error
    expect(loose.stdout).toMatch(/\n⚠ {2}two-phase +incomplete \(maxStates\) +- +\d+ /);
    expect(loose.stdout).toMatch(/\n✗ {2}action-throws +error /);
    const strict = faultline([...args, '--require-complete']);
    expect(strict.code).toBe(3);
    expect(strict.stdout).toMatch(/\n✗ {2}two-phase +incomplete \(maxStates\) /);
  });

  it('--jobs must be a positive integer', () => {
    const r = faultline(['check', F, '--no-typecheck', '--jobs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('--jobs must be a positive integer');
  });
});
