// `faultline init` in a fresh project: the files it writes, that the next
// `faultline check specs/` is green and shows the buggy spec's trace, that the vitest test
// it writes passes, and that it never changes a file that was already there.
//
// faultline and vitest are symlinked into the project's node_modules (an install per case
// would cost most of the time; test/spec-file/user-project.test.ts installs the packed
// tarball for real). The spec's `import 'faultline'` then resolves to this build.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './run.js';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

function project(type: 'commonjs' | 'module' | 'none'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-init-'));
  temps.push(dir);
  if (type !== 'none') {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, type }, null, 2) + '\n');
  }
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'faultline'), 'dir');
  fs.symlinkSync(path.join(root, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'), 'dir');
  return dir;
}

function cli(dir: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/faultline.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.each([
  ['commonjs', 'mts'],
  ['module', 'ts'],
] as const)('faultline init in a %s package', (type, ext) => {
  const dir = project(type);
  const manifest = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');

  it('writes the specs, the test and a tsconfig, and leaves package.json alone', () => {
    const r = cli(dir, ['init']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  created') || l.startsWith('  kept'))).toEqual([
      `  created  specs/payment.buggy.${ext}`,
      `  created  specs/payment.fixed.${ext}`,
      `  created  test/payment.test.${ext}`,
      '  created  tsconfig.json',
    ]);
    expect(r.stdout).toContain('npx faultline check specs/');
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(manifest);
  });

  it('the next `faultline check specs/` is green: the fix holds, the bug shows its trace', () => {
    const r = cli(dir, ['check', 'specs/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗ invariant chargedOnce violated: the customer was charged 2 times for one payment');
    expect(r.stdout).toMatch(/Counterexample \(3 steps, 0 faults, shortest\)/);
    expect(r.stdout).toContain('✓ every property holds on all 21 reachable states');
    expect(r.stdout).toContain('✓ 2 specs: 2 passed, 0 failed');
  });

  it('the vitest test it wrote passes', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1' },
      timeout: 120_000,
    });
    expect(r.stdout + r.stderr).toMatch(/Tests\s+3 passed \(3\)/);
    expect(r.status).toBe(0);
  });
});

describe('faultline init never changes a file it did not create', () => {
  it('keeps an existing spec and tsconfig byte for byte, and writes only what is missing', () => {
    const dir = project('module');
    fs.mkdirSync(path.join(dir, 'specs'));
    const mine = '// my own payment spec\n';
    const tsconfig = '{ "compilerOptions": { "strict": false } }\n';
    fs.writeFileSync(path.join(dir, 'specs/payment.buggy.ts'), mine);
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig);
    const r = cli(dir, ['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  kept     specs/payment.buggy.ts (already there; not changed)');
    expect(r.stdout).toContain('  kept     tsconfig.json (already there; not changed)');
    expect(r.stdout).toContain('  created  specs/payment.fixed.ts');
    expect(fs.readFileSync(path.join(dir, 'specs/payment.buggy.ts'), 'utf8')).toBe(mine);
    expect(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).toBe(tsconfig);
    // A second run creates nothing.
    const again = cli(dir, ['init']);
    expect(again.stdout).not.toContain('created');
  });

  it('creates an ES module package.json where there is none', () => {
    const dir = project('none');
    const r = cli(dir, ['init']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  created  package.json');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', scripts: { test: 'vitest run' } });
    expect(fs.existsSync(path.join(dir, 'specs/payment.buggy.ts'))).toBe(true);
  });

  it('refuses a folder that does not exist, as a usage error', () => {
    const r = cli(root, ['init', path.join(os.tmpdir(), 'faultline-no-such-folder')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^faultline: init: .*faultline-no-such-folder is not a folder\n$/);
  });
});
