// The CI reports, in process: JUnit XML (parsed back), GitHub annotations, the
// multi-spec summary table and saved ITF traces, on real check() results.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, type CheckResult } from 'faultline';
import { checkExitCode } from '../../src/cli/exit-codes.js';
import { annotationFor, escapeData, escapeProperty, findKeyLine, formatAnnotation, githubAnnotations } from '../../src/cli/report/annotations.js';
import { junitReport, type JUnitEntry, type SpecProperties } from '../../src/cli/report/junit.js';
import { renderSummary } from '../../src/cli/report/summary.js';
import { traceFileName, violationItf } from '../../src/cli/save-trace.js';
import { parseItfTrace } from '../../src/values/itf.js';
import holds from '../fixtures/ci/1-holds.js';
import expectedViolation from '../fixtures/ci/2-expected-violation.js';
import regression from '../fixtures/ci/3-regression.js';
import twoPhase from '../../specs/two-phase.js';
import { childrenNamed, parseXml, type XmlElement } from './ci-xml.js';

const F = 'test/fixtures/ci';
const run = (spec: Parameters<typeof check>[0], file: string, options: Parameters<typeof check>[1] = {}): CheckResult => check(spec, { ...options, file });
const propsOf = (spec: { describe(): { invariants: readonly string[]; actionProperties: readonly string[]; sometimes: readonly string[] } }): SpecProperties => {
  const d = spec.describe();
  return { invariants: d.invariants, actionProperties: d.actionProperties, sometimes: d.sometimes };
};

const holdsResult = run(holds, `${F}/1-holds.ts`);
const expectedResult = run(expectedViolation, `${F}/2-expected-violation.ts`);
const regressionResult = run(regression, `${F}/3-regression.ts`);

function testcases(suite: XmlElement): Record<string, XmlElement> {
  return Object.fromEntries(childrenNamed(suite, 'testcase').map((c) => [c.attrs.name!, c]));
}

/** The outcome a JUnit viewer shows for a test case. */
function status(tc: XmlElement): 'passed' | 'failure' | 'error' | 'skipped' {
  const kinds = tc.children.map((c) => c.name).filter((n) => n !== 'system-out' && n !== 'system-err');
  expect(kinds.length).toBeLessThanOrEqual(1);
  return (kinds[0] as 'failure' | 'error' | 'skipped' | undefined) ?? 'passed';
}

describe('JUnit XML', () => {
  const entries: JUnitEntry[] = [
    { result: holdsResult, properties: propsOf(holds) },
    { result: expectedResult, properties: propsOf(expectedViolation) },
    { result: regressionResult, properties: propsOf(regression) },
  ];
  const xml = junitReport(entries, { notChecked: [{ file: `${F}/4-after.ts`, reason: 'bail' }], timestamp: new Date('2025-01-02T03:04:05Z') });
  const root = parseXml(xml);
  const suites = childrenNamed(root, 'testsuite');

  it('is well-formed, one suite per spec (and per spec never checked), with consistent totals', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => s.attrs.name)).toEqual(['ci-holds', 'ci-expected-violation', 'ci-regression', '4-after']);
    for (const s of suites) {
      const cases = childrenNamed(s, 'testcase');
      expect(Number(s.attrs.tests)).toBe(cases.length);
      expect(Number(s.attrs.failures)).toBe(cases.filter((c) => status(c) === 'failure').length);
      expect(Number(s.attrs.skipped)).toBe(cases.filter((c) => status(c) === 'skipped').length);
      expect(s.attrs.timestamp).toBe('2025-01-02T03:04:05');
    }
    const total = (k: string) => suites.reduce((a, s) => a + Number(s.attrs[k]), 0);
    expect(Number(root.attrs.tests)).toBe(total('tests'));
    expect(Number(root.attrs.failures)).toBe(2); // the regression's spec case and its property
    expect(Number(root.attrs.failures)).toBe(total('failures'));
  });

  it('a spec that holds: its case and one passing case per property', () => {
    const tc = testcases(suites[0]!);
    expect(Object.keys(tc)).toEqual(['holds', 'invariant InRange', 'action property Grows', 'sometimes ReachesMax']);
    for (const c of Object.values(tc)) expect(status(c)).toBe('passed');
    expect(tc['holds']!.attrs.classname).toBe('ci-holds');
    expect(tc['holds']!.attrs.file).toBe(`${F}/1-holds.ts`);
    const props = Object.fromEntries(childrenNamed(childrenNamed(suites[0]!, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ verdict: 'ok', 'param.max': '3', distinctStates: '4' });
  });

  it('an expected violation passes; properties not checked to the end are skipped', () => {
    const tc = testcases(suites[1]!);
    expect(status(tc['violates BelowThree']!)).toBe('passed');
    expect(status(tc['invariant BelowThree']!)).toBe('passed');
    expect(childrenNamed(tc['invariant BelowThree']!, 'system-out')[0]!.text).toContain('violated, as the spec expects: n reached 3');
    expect(status(tc['invariant NonNegative']!)).toBe('skipped');
    expect(childrenNamed(tc['invariant NonNegative']!, 'skipped')[0]!.attrs.message).toContain('the search stopped at the violation of BelowThree');
  });

  it('a regression fails twice (the spec and the property), with the counterexample in the failure body', () => {
    const tc = testcases(suites[2]!);
    expect(status(tc['holds']!)).toBe('failure');
    const specFailure = childrenNamed(tc['holds']!, 'failure')[0]!;
    expect(specFailure.attrs.type).toBe('expectation');
    expect(specFailure.attrs.message).toBe('expectation not met: expected to hold; it violates NeverTwo');
    const failure = childrenNamed(tc['invariant NeverTwo']!, 'failure')[0]!;
    // Special characters survive the round trip.
    expect(failure.attrs.message).toBe('n is 2 <two> & "2", 100% wrong: see');
    expect(failure.text).toContain('Counterexample (2 steps, shortest):');
    expect(failure.text).toContain('✗ NeverTwo: n is 2 <two> & "2", 100% wrong: see');
    expect(failure.text).toMatch(/ {2}2 {2}Inc\n\s+n: 1 → 2/);
    expect(failure.text).not.toMatch(/\u001b\[/);
  });

  it('a spec never checked is one skipped case saying why', () => {
    const [tc] = childrenNamed(suites[3]!, 'testcase');
    expect(status(tc!)).toBe('skipped');
    expect(childrenNamed(tc!, 'skipped')[0]!.attrs.message).toContain('--bail');
  });

  it('an incomplete search: properties skipped; the spec case fails only with --require-complete', () => {
    const r = run(twoPhase, 'specs/two-phase.ts', { maxStates: 20 });
    expect(r.verdict).toBe('incomplete');
    const doc = (requireComplete: boolean) => parseXml(junitReport([{ result: r, properties: propsOf(twoPhase), requireComplete }]));
    const loose = testcases(childrenNamed(doc(false), 'testsuite')[0]!);
    // two-phase expects to hold: an incomplete search neither meets nor refutes that, so
    // (as without an expectation) it passes, and fails as incomplete with --require-complete.
    expect(status(loose['holds']!)).toBe('passed');
    const strictHolds = testcases(childrenNamed(doc(true), 'testsuite')[0]!)['holds']!;
    expect(status(strictHolds)).toBe('failure');
    expect(childrenNamed(strictHolds, 'failure')[0]!.attrs.type).toBe('incomplete');
    expect(status(loose['invariant TCConsistent']!)).toBe('skipped');
    const unexpected = run(twoPhase, 'specs/two-phase.ts', { maxStates: 20, ignoreExpect: true });
    const noExpect = (requireComplete: boolean) =>
      testcases(childrenNamed(parseXml(junitReport([{ result: unexpected, requireComplete }])), 'testsuite')[0]!);
    expect(status(noExpect(false)['check']!)).toBe('passed');
    const strict = noExpect(true)['check']!;
    expect(status(strict)).toBe('failure');
    expect(childrenNamed(strict, 'failure')[0]!.attrs.type).toBe('incomplete');
  });

  it('a spec error is a JUnit <error>', () => {
    const r: CheckResult = { ...holdsResult, verdict: 'error', error: { message: 'action Inc threw: boom\nmore', handler: 'Inc' }, expectation: undefined };
    const tc = testcases(childrenNamed(parseXml(junitReport([{ result: r, properties: propsOf(holds) }])), 'testsuite')[0]!);
    expect(status(tc['check']!)).toBe('error');
    expect(childrenNamed(tc['check']!, 'error')[0]!.attrs.message).toBe('action Inc threw: boom');
    expect(status(tc['invariant InRange']!)).toBe('skipped');
  });
});

describe('GitHub annotations', () => {
  it('escapes workflow-command data and properties', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(formatAnnotation({ level: 'error', file: 'x,y.ts', line: 3, col: 5, title: 'faultline: t', message: 'm\nn' })).toBe(
      '::error file=x%2Cy.ts,line=3,col=5,title=faultline%3A t::m%0An',
    );
  });

  it('finds a property key in a spec source, skipping comments', () => {
    const source = ['// NeverTwo: a comment', 'invariants: {', "  'Other': (s) => true,", '  NeverTwo: (s) => s.n !== 2,', '},'].join('\n');
    expect(findKeyLine(source, 'NeverTwo')).toEqual({ line: 4, col: 3 });
    expect(findKeyLine(source, 'Other')).toEqual({ line: 3, col: 3 });
    expect(findKeyLine(source, 'Missing')).toBeUndefined();
  });

  it('one error per failing spec, at the violated property, with the plain counterexample', () => {
    const lines = githubAnnotations([{ result: holdsResult }, { result: expectedResult }, { result: regressionResult }]);
    expect(lines).toHaveLength(1);
    const source = fs.readFileSync(`${F}/3-regression.ts`, 'utf8').split('\n');
    const line = source.findIndex((l) => l.trimStart().startsWith('NeverTwo:')) + 1;
    expect(line).toBeGreaterThan(1);
    const m = /^::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*)$/.exec(lines[0]!);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(`${F}/3-regression.ts`);
    expect(Number(m![2])).toBe(line);
    expect(m![4]).toBe('faultline%3A ci-regression%3A expectation not met');
    const message = m![5]!;
    expect(message).not.toContain('\n');
    expect(message).toContain('expected to hold; it violates NeverTwo%0A');
    expect(message).toContain('n is 2 <two> & "2", 100%25 wrong: see');
    expect(decodeURIComponent(message)).toContain('Counterexample (2 steps, shortest):\n  0  initial state');
  });

  it('a warning for an incomplete search; an error with --require-complete', () => {
    const r = run(twoPhase, 'specs/two-phase.ts', { maxStates: 20, ignoreExpect: true });
    expect(annotationFor({ result: r })).toMatchObject({ level: 'warning', file: 'specs/two-phase.ts', line: 1, title: 'faultline: two-phase: search incomplete' });
    expect(annotationFor({ result: r, requireComplete: true })?.level).toBe('error');
  });
});

describe('summary table', () => {
  it('one row per spec with verdict, expectation, states, time; a closing count', () => {
    const text = renderSummary(
      [holdsResult, expectedResult, regressionResult].map((result) => ({ result })),
      { notChecked: [{ file: `${F}/4-after.ts`, reason: 'bail' }] },
    );
    const rows = text.split('\n');
    expect(rows[0]).toMatch(/^ {3}spec +verdict +expected +states +time +file$/);
    expect(rows[1]).toMatch(/^✓ {2}ci-holds +holds +holds +4 +\d\.\d\d s {2}test\/fixtures\/ci\/1-holds\.ts$/);
    expect(rows[2]).toMatch(/^✓ {2}ci-expected-violation +violates BelowThree +violates BelowThree +4 /);
    expect(rows[3]).toMatch(/^✗ {2}ci-regression +violates NeverTwo +holds +3 /);
    expect(rows[4]).toMatch(/^- {2}4-after +not checked \(--bail\) +test\/fixtures\/ci\/4-after\.ts$/);
    expect(text).toContain('✗ 4 specs: 2 passed, 1 failed, 1 not checked');
    // Columns line up: every row puts "states" right-aligned at the same column.
    const end = rows[0]!.indexOf('states') + 'states'.length;
    for (const r of rows.slice(1, 4)) expect(r[end - 1]).toMatch(/\d/);
  });

  it('agrees with the exit codes', () => {
    expect([holdsResult, expectedResult, regressionResult].map((r) => checkExitCode(r, false))).toEqual([0, 0, 1]);
  });
});

describe('saved traces', () => {
  it('the ITF document replays the counterexample: same states and actions, spec and property in #meta', () => {
    const itf = violationItf(regressionResult)!;
    const parsed = parseItfTrace(JSON.parse(JSON.stringify(itf)));
    expect(parsed.states).toEqual(regressionResult.violation!.trace.map((s) => s.state));
    expect(parsed.actions).toEqual([null, 'Inc', 'Inc']);
    expect(parsed.meta).toMatchObject({ format: 'ITF', source: `${F}/3-regression.ts`, spec: 'ci-regression', property: 'NeverTwo', params: { max: 3 }, trace: 'shortest' });
    expect(violationItf(expectedResult)!['#meta']).toMatchObject({ property: 'BelowThree', kind: 'invariant', message: 'n reached 3' });
    expect(violationItf(holdsResult)).toBeUndefined();
  });

  it('stable, file-safe names', () => {
    expect(traceFileName('ci-regression', 'NeverTwo')).toBe('ci-regression.NeverTwo.itf.json');
    expect(traceFileName('my spec/v2', 'a:b')).toBe('my_spec_v2.a_b.itf.json');
  });
});
