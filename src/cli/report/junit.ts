// --junit FILE: JUnit XML for CI test-report viewers. One <testsuite> per spec with
// one test case for the spec itself (it fails exactly when the spec makes
// `faultline check` exit non-zero) and one per property, the rendered counterexample
// in the failure body.
import path from 'node:path';
import type { CheckResult, ViolationKind } from '../../explore/types.js';
import { checkExitCode } from '../exit-codes.js';
import { renderResult } from './text.js';

/** A spec's property names, as `spec.describe()` gives them. */
export interface SpecProperties {
  readonly invariants: readonly string[];
  readonly actionProperties: readonly string[];
  readonly sometimes: readonly string[];
  readonly liveness?: readonly string[];
}

export interface JUnitEntry {
  readonly result: CheckResult;
  /** The plain-text report, used as failure body (default: renderResult without colour). */
  readonly rendered?: string;
  /** One test case per property; without it, only the spec's test case (and the violated property's). */
  readonly properties?: SpecProperties;
  /** --require-complete was given: an incomplete search fails the spec's test case. */
  readonly requireComplete?: boolean;
  /** --deadlock was given: deadlock freedom is a test case too. */
  readonly deadlock?: boolean;
}

export interface JUnitOptions {
  /** The <testsuites> name (default "faultline"). */
  readonly name?: string;
  /** Specs that were never checked (--bail, a signal): a skipped test case each. */
  readonly notChecked?: readonly { readonly file: string; readonly reason: 'bail' | 'interrupted' }[];
  /** Paths in `file` attributes are relative to this (default: the working directory). */
  readonly cwd?: string;
  readonly timestamp?: Date;
}

type Outcome =
  | { readonly kind: 'passed'; readonly out?: string }
  | { readonly kind: 'failure'; readonly type: string; readonly message: string; readonly body: string }
  | { readonly kind: 'error'; readonly message: string; readonly body: string }
  | { readonly kind: 'skipped'; readonly message: string };

interface Case {
  readonly name: string;
  readonly time: number;
  readonly outcome: Outcome;
}

// XML 1.0 allows tab, newline, carriage return and characters from U+0020 (minus surrogates, U+FFFE, U+FFFF).
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function attrs(pairs: Record<string, string | number | undefined>): string {
  return Object.entries(pairs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join('');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function relative(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  return (path.relative(cwd, path.resolve(cwd, file)) || file).split(path.sep).join('/');
}

/** The spec's own test case: named for what the spec declares. */
function specCaseName(result: CheckResult): string {
  const e = result.expectation?.expected;
  if (e === undefined) return 'check';
  return e === 'holds' ? 'holds' : `violates ${e.violates}`;
}

function specCase(entry: JUnitEntry, body: string): Case {
  const r = entry.result;
  const time = r.stats.durationMs;
  const name = specCaseName(r);
  const code = checkExitCode(r, entry.requireComplete ?? false);
  if (r.verdict === 'error') return { name, time, outcome: { kind: 'error', message: r.error?.message.split('\n')[0] ?? 'spec error', body } };
  if (code === 0) return { name, time, outcome: { kind: 'passed', out: body } };
  if (r.verdict === 'incomplete' && entry.requireComplete) {
    return { name, time, outcome: { kind: 'failure', type: 'incomplete', message: r.incomplete?.message ?? 'the search was incomplete', body } };
  }
  const message = r.expectation && !r.expectation.met ? `expectation not met: ${r.expectation.message}` : `${r.violation?.property} violated: ${r.violation?.message}`;
  return { name, time, outcome: { kind: 'failure', type: r.expectation && !r.expectation.met ? 'expectation' : 'violation', message, body } };
}

/** The status of one property's test case. */
function propertyOutcome(entry: JUnitEntry, kind: ViolationKind, property: string, body: string): Outcome {
  const r = entry.result;
  const v = r.violation;
  const expected = r.expectation?.expected;
  const expectedViolated = typeof expected === 'object' && expected.violates === property;
  if (r.verdict === 'error') return { kind: 'skipped', message: 'not checked: the spec failed with an error' };
  if (kind === 'liveness' && r.liveness?.skipped) return { kind: 'skipped', message: 'not checked (--no-liveness)' };
  if (v && v.property === property && v.kind === kind) {
    if (expectedViolated) return { kind: 'passed', out: `violated, as the spec expects: ${v.message}` };
    return { kind: 'failure', type: 'violation', message: v.message, body };
  }
  // The unsatisfied `sometimes` properties after the first are listed in its message: "(nor are: a, b)".
  if (v && v.kind === 'sometimes' && kind === 'sometimes') {
    const others = /\(nor are: (.*)\)$/.exec(v.message)?.[1]?.split(', ') ?? [];
    if (others.includes(property)) {
      if (expectedViolated) return { kind: 'passed', out: `never true, as the spec expects` };
      return { kind: 'failure', type: 'violation', message: `${property} is never true in any reachable state`, body };
    }
  }
  if (v && v.kind !== 'sometimes') {
    return { kind: 'skipped', message: `not checked on every state: the search stopped at the violation of ${v.property}` };
  }
  if (r.verdict === 'incomplete') return { kind: 'skipped', message: `not checked on every state: ${r.incomplete?.message ?? 'the search stopped early'}` };
  // The search was complete (verdict ok, or a `sometimes` violation found after a complete search).
  if (expectedViolated) return { kind: 'failure', type: 'expectation', message: `expected a violation of ${property}; it holds`, body };
  return { kind: 'passed' };
}

function propertyCases(entry: JUnitEntry, body: string): Case[] {
  const r = entry.result;
  const p = entry.properties;
  const list: [ViolationKind, string][] = [];
  if (p) {
    for (const name of p.invariants) list.push(['invariant', name]);
    for (const name of p.actionProperties) list.push(['actionProperty', name]);
    for (const name of p.sometimes) list.push(['sometimes', name]);
    for (const name of p.liveness ?? []) list.push(['liveness', name]);
  }
  if (entry.deadlock || r.violation?.kind === 'deadlock') list.push(['deadlock', 'deadlock']);
  if (r.violation && !list.some(([k, n]) => k === r.violation!.kind && n === r.violation!.property)) {
    list.push([r.violation.kind, r.violation.property]);
  }
  const label = { invariant: 'invariant', actionProperty: 'action property', sometimes: 'sometimes', deadlock: 'deadlock', liveness: 'liveness' };
  return list.map(([kind, name]) => ({
    name: kind === 'deadlock' ? 'no deadlock' : `${label[kind]} ${name}`,
    time: 0,
    outcome: propertyOutcome(entry, kind, name, body),
  }));
}

function renderCase(c: Case, classname: string, file: string | undefined): string {
  const open = `    <testcase${attrs({ name: c.name, classname, file, time: seconds(c.time) })}`;
  const o = c.outcome;
  switch (o.kind) {
    case 'passed':
      return o.out ? `${open}>\n      <system-out>${text(o.out)}</system-out>\n    </testcase>` : `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped${attrs({ message: o.message })}/>\n    </testcase>`;
    case 'failure':
      return `${open}>\n      <failure${attrs({ message: o.message, type: o.type })}>${text(o.body)}</failure>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error${attrs({ message: o.message, type: 'spec-error' })}>${text(o.body)}</error>\n    </testcase>`;
  }
}

interface Suite {
  readonly xml: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly time: number;
}

function suite(name: string, file: string | undefined, cases: Case[], time: number, props: [string, string][], timestamp: string): Suite {
  const count = (k: Outcome['kind']) => cases.filter((c) => c.outcome.kind === k).length;
  const tests = cases.length;
  const failures = count('failure');
  const errors = count('error');
  const skipped = count('skipped');
  const lines = [
    `  <testsuite${attrs({ name, tests, failures, errors, skipped, time: seconds(time), timestamp, file })}>`,
    ...(props.length ? ['    <properties>', ...props.map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`), '    </properties>'] : []),
    ...cases.map((c) => renderCase(c, name, file)),
    '  </testsuite>',
  ];
  return { xml: lines.join('\n'), tests, failures, errors, skipped, time };
}

function paramText(v: unknown): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** The JUnit XML document for the given results (in order), and the specs never checked. */
export function junitReport(entries: readonly JUnitEntry[], options: JUnitOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const timestamp = (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const suites: Suite[] = entries.map((entry) => {
    const r = entry.result;
    const body = entry.rendered ?? renderResult(r, { color: false });
    const file = relative(r.file, cwd);
    const props: [string, string][] = [
      ['verdict', r.verdict],
      ...Object.entries(r.params).map(([k, v]): [string, string] => [`param.${k}`, paramText(v)]),
      ...Object.entries(r.faults ?? {}).map(([k, v]): [string, string] => [`fault.${k}`, String(v)]),
      ['distinctStates', String(r.stats.distinctStates)],
      ['generatedStates', String(r.stats.generatedStates)],
      ['depth', String(r.stats.depth)],
    ];
    if (r.incomplete) props.push(['incomplete', r.incomplete.reason]);
    return suite(r.spec, file, [specCase(entry, body), ...propertyCases(entry, body)], r.stats.durationMs, props, timestamp);
  });
  for (const n of options.notChecked ?? []) {
    const file = relative(n.file, cwd);
    const message = n.reason === 'bail' ? 'not checked: --bail stopped the run at an earlier failure' : 'not checked: the run was interrupted';
    const name = path.basename(n.file).replace(/\.ts$/, '');
    suites.push(suite(name, file, [{ name: 'check', time: 0, outcome: { kind: 'skipped', message } }], 0, [], timestamp));
  }
  const sum = (k: 'tests' | 'failures' | 'errors' | 'skipped' | 'time') => suites.reduce((a, s) => a + s[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: options.name ?? 'faultline', tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), time: seconds(sum('time')) })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
