// Liveness from the command line, as a user runs it (the built CLI): the lasso in the
// terminal report (the ↻ line and why the loop is fair), the exit codes with and
// without `expect`, --json, --trace-out, --mermaid, --html, --junit, --no-liveness,
// the flags refused with liveness, and folder (--jobs) and --workers runs giving the
// verdict and trace of a single run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';
import { parseXml, type XmlElement } from '../cli/ci-xml.js';

const LOOP = 'test/fixtures/liveness/toggle.ts'; // finished violated by the loop Flip, Flip (expects it)
const HOLDS = 'test/fixtures/liveness/toggle-fair.ts'; // finished holds (expects it)
const STUTTER = 'specs/lossy-request.buggy.ts'; // answered violated: the request is dropped, the behaviour halts

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-liveness-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function json(args: string[]): { code: number | null; doc: any } {
  const r = faultline([...args, '--no-typecheck', '--json']);
  return { code: r.code, doc: JSON.parse(r.stdout) };
}

describe('the terminal report of a lasso', () => {
  it('a loop: "↻ back to step 0", only the changed variables, the fairness lines; exit 0 as expected', () => {
    const r = faultline(['check', LOOP, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗ liveness property finished violated: finished never holds: a fair behaviour loops forever over steps 0–2 (step 2 is step 0 again)');
    expect(r.stdout).toContain('Counterexample (2 steps, shortest, lasso: loop of 2 steps):');
    expect(r.stdout).toMatch(/ {2}1 {2}Flip\n {8}x: 0 → 1\n {2}2 {2}Flip\n {8}x: 1 → 0\n/); // done does not change: not shown
    expect(r.stdout).toContain('  ↻ back to step 0: step 2 is step 0 again, so steps 1–2 repeat forever\n');
    expect(r.stdout).toContain('    fairness: per instance; weak: Flip\n');
    expect(r.stdout).toContain('    taken on the loop: Flip\n');
    expect(r.stdout).toContain('every fair action enabled all along the loop is taken on it; unfair actions and faults are never obliged to happen');
    expect(r.stdout).toContain('✓ expectation met: expected a violation of finished; found it');
    expect(r.stdout).toMatch(/liveness: 1 property on a graph of 4 edges/);
  });

  it('exit 1 on the same violation without expect', () => {
    const r = faultline(['check', LOOP, '--no-typecheck', '--ignore-expect']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('↻ back to step 0');
    expect(r.stdout).not.toContain('expectation');
  });

  it('a stutter: "↻ stays at step 1 forever", the protocol fairness, the chart row', () => {
    const r = faultline(['check', STUTTER, '--no-typecheck', '--ignore-expect']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ liveness property answered violated: answered never holds: a fair behaviour halts at step 1 and stays there forever; no fair action is enabled there');
    expect(r.stdout).toContain('Counterexample (1 step, 1 fault, shortest, halts and stays):');
    expect(r.stdout).toContain('  ↻ stays at step 1 forever: nothing fair is left to happen there (the behaviour stutters)');
    expect(r.stdout).toContain('    fairness: weak per instance on every ordinary action, none on faults');
    expect(r.stdout).toMatch(/\n {2}↻ +┄+│┄ stays here forever/);
  });

  it('a property that holds: exit 0 with and without its expect: holds', () => {
    const ok = faultline(['check', HOLDS, '--no-typecheck', '--ignore-expect']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ every property holds on all 4 reachable states');
    expect(ok.stdout).not.toContain('↻');
    const expected = faultline(['check', HOLDS, '--no-typecheck']);
    expect(expected.code).toBe(0);
    expect(expected.stdout).toContain('✓ expectation met: expected to hold; it holds');
  });
});

describe('faultline list', () => {
  it('names the liveness properties (core, packed, protocol), and a spec without has no such line', () => {
    for (const [file, name] of [[LOOP, 'finished'], ['test/fixtures/liveness/toggle-packed.ts', 'finished'], [STUTTER, 'answered']]) {
      const r = faultline(['list', file!, '--no-typecheck']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`\nliveness: ${name}\n`);
    }
    expect(faultline(['list', 'test/fixtures/counter.ts', '--no-typecheck']).stdout).not.toContain('liveness');
  });
});

describe('--json', () => {
  it('a loop: violation.kind liveness, loop, liveness.form/fairness/taken; result.liveness stats', () => {
    const { code, doc } = json(['check', LOOP, '--ignore-expect']);
    expect(code).toBe(1);
    expect(doc.verdict).toBe('violation');
    const v = doc.violation;
    expect(v.kind).toBe('liveness');
    expect(v.property).toBe('finished');
    expect(v.loop).toBe(0);
    expect(v.trace.map((s: any) => s.action)).toEqual([null, 'Flip', 'Flip']);
    expect(v.trace[2].state).toEqual(v.trace[v.loop].state); // the last state is the loop's state again
    expect(v.liveness).toEqual({ form: 'eventually', fairness: 'per instance; weak: Flip', taken: ['Flip'], disabled: [] });
    expect(doc.liveness).toMatchObject({ properties: ['finished'], edges: 4 });
    expect(doc.liveness.graphBytes).toBeGreaterThan(0);
    expect(typeof doc.liveness.passMs).toBe('number');
    expect(doc.liveness.skipped).toBeUndefined();
  });

  it('a stutter: loop is the last index', () => {
    const { doc } = json(['check', STUTTER, '--ignore-expect']);
    expect(doc.violation.kind).toBe('liveness');
    expect(doc.violation.trace).toHaveLength(2);
    expect(doc.violation.loop).toBe(1);
    expect(doc.violation.liveness.form).toBe('eventually');
    expect(doc.violation.liveness.taken).toEqual([]);
  });

  it('a spec whose property holds: verdict ok, no violation, the stats', () => {
    const { code, doc } = json(['check', HOLDS]);
    expect(code).toBe(0);
    expect(doc.verdict).toBe('ok');
    expect(doc.violation).toBeUndefined();
    expect(doc.liveness).toMatchObject({ properties: ['finished'], edges: 4 });
  });
});

describe('--trace-out, --mermaid, --html', () => {
  it('ITF with a top-level loop; the Mermaid note and the HTML loop line', () => {
    const itf = path.join(tmp, 'loop.itf.json');
    const mmd = path.join(tmp, 'loop.mmd');
    const html = path.join(tmp, 'loop.html');
    const r = faultline(['check', LOOP, '--no-typecheck', '--trace-out', itf, '--mermaid', mmd, '--html', html]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    expect(doc.loop).toBe(0);
    expect(doc.states).toHaveLength(3);
    expect(doc['#meta']).toMatchObject({ property: 'finished', kind: 'liveness' });
    expect(doc.states[2].x).toEqual(doc.states[doc.loop].x);
    expect(fs.readFileSync(mmd, 'utf8')).toContain('Note over spec: ↻ back to step 0: steps 1–2 repeat forever');
    expect(fs.readFileSync(html, 'utf8')).toContain('<div class="loop">↻ back to step 0: steps 1–2 repeat forever</div>');
  });

  it('a protocol stutter: ITF loop = last index, the Mermaid note over every node, the HTML line', () => {
    const itf = path.join(tmp, 'stutter.itf.json');
    const mmd = path.join(tmp, 'stutter.mmd');
    const html = path.join(tmp, 'stutter.html');
    faultline(['check', STUTTER, '--no-typecheck', '--trace-out', itf, '--mermaid', mmd, '--html', html]);
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    expect(doc.loop).toBe(1);
    expect(doc.states).toHaveLength(2);
    expect(fs.readFileSync(mmd, 'utf8')).toMatch(/Note over client,server: ↻ stays at step 1 forever/);
    expect(fs.readFileSync(html, 'utf8')).toContain('<div class="loop">↻ stays at step 1 forever</div>');
  });

  it('--save-trace keeps the loop too (the file replay reads)', () => {
    const dir = path.join(tmp, 'saved');
    faultline(['check', LOOP, '--no-typecheck', '--save-trace', dir]);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'toggle.finished.itf.json'), 'utf8'));
    expect(doc.loop).toBe(0);
    expect(doc['#meta'].kind).toBe('liveness');
  });
});

function testcases(file: string): XmlElement[] {
  const suites = parseXml(fs.readFileSync(file, 'utf8'));
  return suites.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));
}

describe('--junit', () => {
  it('the liveness property is a test case: failed when violated, passed when it holds', () => {
    const bad = path.join(tmp, 'violated.xml');
    expect(faultline(['check', LOOP, '--no-typecheck', '--ignore-expect', '--junit', bad]).code).toBe(1);
    const failed = testcases(bad).find((c) => c.attrs.name === 'liveness finished');
    expect(failed).toBeDefined();
    const failure = failed!.children.find((c) => c.name === 'failure');
    expect(failure?.attrs.message).toBe('finished never holds: a fair behaviour loops forever over steps 0–2 (step 2 is step 0 again)');
    expect(failure?.text).toContain('↻ back to step 0');

    const good = path.join(tmp, 'holds.xml');
    expect(faultline(['check', HOLDS, '--no-typecheck', '--junit', good]).code).toBe(0);
    const passed = testcases(good).find((c) => c.attrs.name === 'liveness finished');
    expect(passed).toBeDefined();
    expect(passed!.children.filter((c) => c.name === 'failure' || c.name === 'error' || c.name === 'skipped')).toEqual([]);
  });
});

describe('--no-liveness', () => {
  it('says the liveness properties were not checked, and does not claim they hold', () => {
    const r = faultline(['check', LOOP, '--no-typecheck', '--no-liveness', '--ignore-expect']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚠ liveness not checked (--no-liveness): finished');
    expect(r.stdout).not.toContain('↻');
    expect(r.stdout).not.toContain('every property holds');
    const { doc } = json(['check', LOOP, '--no-liveness', '--ignore-expect']);
    expect(doc.liveness).toEqual({ properties: ['finished'], edges: 0, graphBytes: 0, passMs: 0, skipped: true });
    expect(doc.violation).toBeUndefined();
    // JUnit: the property's test case is skipped, not passed.
    const xml = path.join(tmp, 'no-liveness.xml');
    faultline(['check', LOOP, '--no-typecheck', '--no-liveness', '--ignore-expect', '--junit', xml]);
    const tc = testcases(xml).find((c) => c.attrs.name === 'liveness finished');
    expect(tc?.children.map((c) => [c.name, c.attrs.message])).toEqual([['skipped', 'not checked (--no-liveness)']]);
  });

  it('an expected liveness violation is not met, and the report says why rather than "it holds"', () => {
    const r = faultline(['check', LOOP, '--no-typecheck', '--no-liveness']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ expectation not met: expected a violation of finished; not checked (--no-liveness)');
    expect(r.stdout).not.toContain('; it holds');
  });
});

describe('flags refused with liveness properties: exit 2, a clear message', () => {
  it('--symmetry', () => {
    const r = faultline(['check', LOOP, '--no-typecheck', '--symmetry']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('--symmetry cannot be used with liveness properties (finished): a cycle of symmetric representatives need not be a behaviour of the spec. Drop --symmetry.');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
  });

  it('--strategy dfs', () => {
    const r = faultline(['check', LOOP, '--no-typecheck', '--strategy', 'dfs']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("liveness properties (finished) are checked on the breadth-first search's state graph: drop --strategy dfs.");
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('both are fine with --no-liveness', () => {
    expect(faultline(['check', LOOP, '--no-typecheck', '--no-liveness', '--ignore-expect', '--symmetry']).code).toBe(0);
    expect(faultline(['check', LOOP, '--no-typecheck', '--no-liveness', '--ignore-expect', '--strategy', 'dfs']).code).toBe(0);
  });
});

/** What a verdict is made of, for comparing two runs. */
function verdictOf(r: any) {
  return {
    spec: r.spec,
    file: r.file,
    verdict: r.verdict,
    incomplete: r.incomplete,
    violation: r.violation && { property: r.violation.property, kind: r.violation.kind, trace: r.violation.trace, loop: r.violation.loop, liveness: r.violation.liveness },
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    expectation: r.expectation,
  };
}

describe('folders, --jobs and --workers never change a liveness verdict', () => {
  it('check test/fixtures/liveness/ --jobs 2: each spec as when checked alone', () => {
    const folder = json(['check', 'test/fixtures/liveness/', '--jobs', '2']);
    const results = folder.doc.results as any[];
    expect(results.length).toBeGreaterThanOrEqual(5);
    expect(results.map((r) => r.verdict)).toContain('violation');
    expect(results.map((r) => r.verdict)).toContain('incomplete');
    for (const r of results) {
      const alone = json(['check', r.file]).doc;
      expect(verdictOf(r), r.file).toEqual(verdictOf(alone));
    }
  });

  it('--workers 2 gives the verdict and lasso of --workers 1 (a packed spec too, the one --workers is for)', () => {
    for (const file of [LOOP, STUTTER, 'test/fixtures/liveness/toggle-packed.ts']) {
      const one = json(['check', file, '--workers', '1']).doc;
      const two = json(['check', file, '--workers', '2']).doc;
      expect(one.violation.kind).toBe('liveness');
      expect(verdictOf(two)).toEqual(verdictOf(one));
    }
  });
});
