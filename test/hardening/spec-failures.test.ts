// Issue 19, item 3: one spec's failure is that spec's alone. A thrown value with no
// prototype, a `symmetry` that returns 5, a state faultline trips over: each is a
// spec error (exit 2) of that spec, and the other specs' results and reports are
// complete; with --json the output is still one JSON document.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorResultFor } from '../../src/cli/jobs.js';
import { describeThrown } from '../../src/core/errors.js';
import { childrenNamed, parseXml } from '../cli/ci-xml.js';
import { faultline } from '../cli/run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-specfail-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DIR = 'test/fixtures/hardening';
const SPECS = ['holds', 'throws-null-proto', 'symmetry-five', 'getter-throws'].map((n) => `${DIR}/${n}.ts`);

interface Doc {
  results: { spec: string; verdict: string; error?: { message: string; handler?: string } }[];
}

describe('a failing spec among others', () => {
  it('--json --junit over four specs: one JSON document, every spec in it and in JUnit, exit 2', () => {
    const junit = path.join(tmp, 'four.xml');
    const r = faultline(['check', ...SPECS, '--symmetry', '--no-typecheck', '--jobs', '2', '--json', '--junit', junit]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('internal error');
    const doc = JSON.parse(r.stdout) as Doc;
    const by = Object.fromEntries(doc.results.map((x) => [x.spec, x]));
    expect(Object.keys(by).sort()).toEqual(['getter-throws', 'holds', 'symmetry-five', 'throws-null-proto']);
    expect(by.holds!.verdict).toBe('ok');
    expect(by['throws-null-proto']).toMatchObject({ verdict: 'error', error: { handler: 'Inc', message: 'action Inc threw: a value that is not an Error ({})' } });
    expect(by['symmetry-five']).toMatchObject({ verdict: 'error', error: { handler: 'symmetry' } });
    // The definition check (issue 18's preflight) meets a symmetry that returns 5 first.
    expect(by['symmetry-five']!.error!.message).toContain('symmetry must be a list of sets of values, got number');
    expect(by['getter-throws']).toMatchObject({ verdict: 'error' });
    expect(by['getter-throws']!.error!.message).toContain('the getter of n refuses');
    const suites = childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['holds', 'throws-null-proto', 'symmetry-five', 'getter-throws']);
    expect(suites.map((s) => s.attrs.errors)).toEqual(['0', '1', '1', '1']);
  });

  it('in text: every report and the summary are printed', () => {
    const r = faultline(['check', ...SPECS, '--symmetry', '--no-typecheck', '--jobs', '1']);
    expect(r.code).toBe(2);
    for (const name of ['holds', 'throws-null-proto', 'symmetry-five', 'getter-throws']) expect(r.stdout).toContain(`${name} (${DIR}/${name}.ts)`);
    expect(r.stdout).toContain('✗ spec error: action Inc threw: a value that is not an Error ({})');
  });

  it('alone: the null-prototype throw is a spec error with its trace, exit 2', () => {
    const r = faultline(['check', SPECS[1]!, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Trace to the state where it happened (2 steps)');
  });
});

describe('describing what a spec threw', () => {
  it('values String() cannot convert', () => {
    expect(describeThrown(Object.create(null))).toBe('a value that is not an Error ({})');
    const cyclic: Record<string, unknown> = Object.create(null);
    cyclic.self = cyclic;
    expect(describeThrown(cyclic)).toBe('a value that is not an Error (object)');
    expect(describeThrown(5)).toBe('5');
  });

  it('a non-spec error becomes an error result of that spec, not an exception', () => {
    const r = errorResultFor('x/y.ts', new TypeError('sets.filter is not a function'));
    expect(r.verdict).toBe('error');
    expect(r.spec).toBe('y');
    expect(r.error!.message).toContain('TypeError: sets.filter is not a function');
  });
});
