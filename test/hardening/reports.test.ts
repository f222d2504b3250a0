// Issue 19, item 2: reports are never lost or half-written. Every destination is
// checked before the search starts; a failed write is exit 2 whatever the output,
// and the other reports are still written; kernel filesystems are refused (a path
// under /proc used to hang Node's mkdirSync); a signal during start-up gives 130/143
// and reports that list every spec as not checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDestinations, writeFileAtomic } from '../../src/cli/output-files.js';
import { childrenNamed, parseXml } from '../cli/ci-xml.js';
import { faultline } from '../cli/run.js';
import { runAndSignal } from './spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-reports-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BUGGY = ['check', 'specs/lease-pause.buggy.ts', '--no-typecheck', '--ignore-expect'];
const aFile = path.join(tmp, 'a-file');
fs.writeFileSync(aFile, 'x');

describe('output destinations are checked before the search', () => {
  const cases: [string, string][] = [
    ['--save-trace', '/proc/faultline/traces'],
    ['--junit', '/proc/faultline/report.xml'],
    ['--trace-out', '/sys/faultline.itf.json'],
    ['--html', '/dev/faultline.html'],
    ['--save-trace', aFile],
    ['--mermaid', path.join(aFile, 'chart.mmd')],
    ['--junit', tmp],
  ];
  for (const [flag, target] of cases) {
    it(`${flag} ${target.replace(tmp, 'TMP')}: exit 2 naming the flag, before any report`, () => {
      const r = faultline([...BUGGY, flag, target]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`faultline: ${flag} ${target}:`);
      expect(r.stdout).not.toContain('distinct states'); // the search never ran
    });
  }

  it('the checks accept a device (/dev/stdout, /dev/null) and a folder still to be created', () => {
    expect(() => checkDestinations({ junit: '/dev/null', traceOut: '/dev/stdout', saveTrace: path.join(tmp, 'new/deeper'), html: path.join(tmp, 'new/x.html') })).not.toThrow();
  });
});

describe('a write that fails: exit 2, the other reports still written', () => {
  it('--html /dev/full (ENOSPC) with --junit and --save-trace: exit 2, JUnit and the trace written', () => {
    const junit = path.join(tmp, 'full-html.xml');
    const saved = path.join(tmp, 'saved-1');
    const r = faultline([...BUGGY, '--html', '/dev/full', '--junit', junit, '--save-trace', saved]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--html /dev/full: ENOSPC');
    expect(r.stdout).toContain('writesInLeaseOrder');
    expect(childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite')).toHaveLength(1);
    expect(fs.readdirSync(saved)).toEqual(['lease-pause.buggy.writesInLeaseOrder.itf.json']);
  });

  it('--junit /dev/full with --trace-out: exit 2, the ITF trace written', () => {
    const itf = path.join(tmp, 'full-junit.itf.json');
    const r = faultline([...BUGGY, '--junit', '/dev/full', '--trace-out', itf]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--junit /dev/full: cannot write the JUnit report: ENOSPC');
    expect(JSON.parse(fs.readFileSync(itf, 'utf8'))).toHaveProperty('states');
  });

  it('--trace-out /dev/full on a spec that holds its expectation: still exit 2', () => {
    const r = faultline(['check', 'specs/lease-pause.buggy.ts', '--no-typecheck', '--trace-out', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trace-out /dev/full: ENOSPC');
  });

  it('simulate --mermaid /dev/full: exit 2', () => {
    const r = faultline(['simulate', 'specs/lease-pause.buggy.ts', '--no-typecheck', '--mermaid', '/dev/full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mermaid /dev/full: ENOSPC');
  });
});

describe('atomic writes', () => {
  it('replace the file whole and leave no temporary file', () => {
    const dir = path.join(tmp, 'atomic');
    const file = path.join(dir, 'sub/r.xml');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['r.xml']);
  });

  it('a rename that fails leaves what was there and no temporary file', () => {
    const dir = path.join(tmp, 'atomic2');
    const target = path.join(dir, 'report');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true }); // a non-empty folder cannot be replaced by a file
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['report']);
    expect(fs.readdirSync(target)).toEqual(['inside']);
  });
});

describe('a signal during start-up', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} while type-checking two specs, --jobs 2 --json --junit: exit ${code}, every spec not checked`, async () => {
      const junit = path.join(tmp, `startup-${signal}.xml`);
      const specs = ['test/fixtures/ci/1-holds.ts', 'test/fixtures/ci/4-after.ts'];
      const r = await runAndSignal(['check', ...specs, '--jobs', '2', '--json', '--junit', junit, '--verbose'], signal, /type-checking 2 spec files/);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      const doc = JSON.parse(r.stdout) as { results: unknown[]; interrupted: string; notChecked: { file: string; reason: string }[] };
      expect(doc.interrupted).toBe(signal);
      // The signal lands while the compiler runs: no spec can have been checked.
      expect(doc.results).toEqual([]);
      expect(doc.notChecked).toEqual(specs.map((file) => ({ file, reason: 'interrupted' })));
      const suites = childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite');
      expect(suites.map((s) => s.attrs.file)).toEqual(specs);
    });
  }
});
