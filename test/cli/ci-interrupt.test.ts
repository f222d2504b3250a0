// SIGINT / SIGTERM during a long check: the search stops cleanly, the statistics so
// far are printed, the result is marked incomplete (reason "interrupted"), the
// requested reports are written, and the exit code is 130 / 143.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenNamed, parseXml } from './ci-xml.js';
import { root } from './run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-int-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI on a check that takes minutes (two-phase, rms=9: 10 million states) and
 * sends `signal` once the search is under way (its first progress line), so the
 * signal lands in the middle of the search, not during start-up.
 */
function interrupted(args: string[], signal: NodeJS.Signals): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/faultline.js', ...args, '--progress'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.includes('progress')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

const LONG = ['check', 'specs/two-phase.ts', '-p', 'rms=9', '--no-typecheck'];

describe('a check stopped by a signal', () => {
  it('SIGINT: partial statistics, incomplete (interrupted), the JUnit report written, exit 130', async () => {
    const junit = path.join(tmp, 'int.xml');
    const r = await interrupted([...LONG, '--junit', junit], 'SIGINT');
    expect(r.signal).toBeNull(); // handled, not killed
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('faultline: SIGINT: stopping');
    expect(r.stdout).toContain('⚠ INCOMPLETE — interrupted before exploring every state');
    const stats = /\n([\d,]+) distinct states, ([\d,]+) generated, depth (\d+)/.exec(r.stdout);
    expect(stats).not.toBeNull();
    const distinct = Number(stats![1]!.replace(/,/g, ''));
    expect(distinct).toBeGreaterThan(1000); // it had been searching for a while
    expect(distinct).toBeLessThan(10_340_352); // and did not finish
    const suite = childrenNamed(parseXml(fs.readFileSync(junit, 'utf8')), 'testsuite')[0]!;
    const props = Object.fromEntries(childrenNamed(childrenNamed(suite, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ verdict: 'incomplete', incomplete: 'interrupted', distinctStates: String(distinct) });
  });

  it('SIGTERM with --json over two specs: the partial result, the spec never started, exit 143', async () => {
    const r = await interrupted([...LONG, 'test/fixtures/ci/4-after.ts', '--jobs', '1', '--json'], 'SIGTERM');
    expect(r.code).toBe(143);
    const doc = JSON.parse(r.stdout) as {
      results: { spec: string; verdict: string; complete: boolean; incomplete: { reason: string }; stats: { distinctStates: number } }[];
      interrupted: string;
      notChecked: { file: string; reason: string }[];
    };
    expect(doc.interrupted).toBe('SIGTERM');
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]).toMatchObject({ spec: 'two-phase', verdict: 'incomplete', complete: false, incomplete: { reason: 'interrupted' } });
    expect(doc.results[0]!.stats.distinctStates).toBeGreaterThan(0);
    expect(doc.notChecked).toEqual([{ file: 'test/fixtures/ci/4-after.ts', reason: 'interrupted' }]);
  });
});
