// What a new user does: `npm pack` faultline, make a fresh project with `npm init -y`
// (CommonJS, as npm 11 writes it) or an ES module project, install the tarball, write a
// spec, run `npx faultline check`. Every spec extension must load and type-check in both,
// with and without a tsconfig.
//
// Cost: one `npm pack` (without scripts: dist/ is built before the tests) and one
// `npm install --prefer-offline` per project type — about 5-10 s each here — shared by
// all the cases; every case is one `npx faultline check` of all its files at once.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../cli/run.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

// The same one-counter spec, typed in the TypeScript files: the bug is that `Inc` has no
// bound, so the invariant `Below3` fails after 3 steps (4 states: x = 0..3).
const typed = `import { spec } from 'faultline';

interface S { readonly x: number }

export default spec({
  name: 'NAME',
  init: (): S => ({ x: 0 }),
  actions: { Inc: (s: S) => (s.x < 5 ? { x: s.x + 1 } : undefined) },
  invariants: { Below3: (s) => s.x < 3 || \`x reached \${s.x}\` },
});
`;
const untyped = typed.replace(/\ninterface S \{[^}]*\}\n/, '').replace(/: S\b/g, '').replace('(): S', '()');

/** A type mistake the check must catch before the search: `x` is a number. */
const mistyped = `import { spec } from 'faultline';

interface S { readonly x: number }

export default spec({
  name: 'mistyped',
  init: (): S => ({ x: 'zero' }),
  actions: { Inc: (s: S) => undefined },
  invariants: { Ok: () => true },
});
`;

const EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs'] as const;
const TYPED = new Set(['ts', 'mts', 'cts']);

let tmp = '';
let tarball = '';

function run(cmd: string, args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `npm init -y` (+ "type": "module"), the tarball installed, one spec per extension. */
function makeProject(type: 'commonjs' | 'module'): string {
  const dir = path.join(tmp, type);
  fs.mkdirSync(path.join(dir, 'specs'), { recursive: true });
  execFileSync(npm, ['init', '-y'], { cwd: dir, stdio: 'ignore' });
  if (type === 'module') execFileSync(npm, ['pkg', 'set', 'type=module'], { cwd: dir, stdio: 'ignore' });
  const install = run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], dir);
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  for (const ext of EXTENSIONS) {
    fs.writeFileSync(path.join(dir, 'specs', `counter.${ext}`), (TYPED.has(ext) ? typed : untyped).replace('NAME', `counter-${ext}`));
  }
  fs.writeFileSync(path.join(dir, 'specs', 'mistyped.ts'), mistyped);
  return dir;
}

interface JsonResult {
  verdict: string;
  file: string;
  spec: string;
  stats: { distinctStates: number };
  violation?: { property: string };
  error?: { message: string };
}

function checkAll(dir: string): Map<string, JsonResult> {
  const files = [...EXTENSIONS.map((e) => `specs/counter.${e}`), 'specs/mistyped.ts'];
  const r = run(npx, ['faultline', 'check', ...files, '--json'], dir);
  const doc = JSON.parse(r.stdout) as { results: JsonResult[] };
  return new Map(doc.results.map((res) => [res.file, res]));
}

function expectEveryExtensionLoads(results: Map<string, JsonResult>): void {
  for (const ext of EXTENSIONS) {
    const res = results.get(`specs/counter.${ext}`)!;
    expect({ ext, verdict: res.verdict, spec: res.spec, error: res.error?.message }).toEqual({
      ext,
      verdict: 'violation',
      spec: `counter-${ext}`,
      error: undefined,
    });
    expect(res.violation?.property).toBe('Below3');
    expect(res.stats.distinctStates).toBe(4);
  }
  const mistake = results.get('specs/mistyped.ts')!;
  expect(mistake.verdict).toBe('error');
  expect(mistake.error?.message).toMatch(/specs\/mistyped\.ts:7:\d+ Type 'string' is not assignable to type 'number'/);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-user-project-'));
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  tarball = path.join(tmp, packed.trim().split('\n').pop()!);
}, 120_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(['commonjs', 'module'] as const)('a fresh %s project with the packed tarball installed', (type) => {
  let dir = '';
  beforeAll(() => {
    dir = makeProject(type);
  }, 240_000);

  it('loads and type-checks a spec as .ts, .mts, .cts, .js and .mjs without a tsconfig', () => {
    expect(fs.existsSync(path.join(dir, 'tsconfig.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type).toBe(type);
    expectEveryExtensionLoads(checkAll(dir));
  }, 120_000);

  // (An ES module project under a tsconfig is covered by the `tsc --init` case below.)
  it.runIf(type === 'commonjs')('does the same under a tsconfig that makes the package\'s module system explicit', () => {
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true } }),
    );
    try {
      expectEveryExtensionLoads(checkAll(dir));
    } finally {
      fs.rmSync(path.join(dir, 'tsconfig.json'));
    }
  }, 120_000);

  it("under `tsc --init`'s tsconfig (verbatimModuleSyntax) refuses only what tsc refuses, and says what to change", () => {
    const init = run(npx, ['tsc', '--init'], dir);
    expect(init.code).toBe(0);
    try {
      const results = checkAll(dir);
      // ES module syntax in a CommonJS file is refused by verbatimModuleSyntax: the
      // package's .ts/.js files in a CommonJS package, the .cts file in both.
      const refused = type === 'commonjs' ? ['ts', 'cts', 'js'] : ['cts'];
      for (const ext of EXTENSIONS) {
        const res = results.get(`specs/counter.${ext}`)!;
        if (refused.includes(ext)) {
          expect(res.verdict, ext).toBe('error');
          expect(res.error?.message).toContain('name the spec `.mts`, or set "type": "module" in package.json');
        } else {
          expect({ ext, verdict: res.verdict, error: res.error?.message }).toEqual({ ext, verdict: 'violation', error: undefined });
        }
      }
    } finally {
      fs.rmSync(path.join(dir, 'tsconfig.json'));
    }
  }, 120_000);
});

describe('what the packed tarball ships', () => {
  let dir = '';
  beforeAll(() => {
    dir = path.join(tmp, 'commonjs');
    if (!fs.existsSync(path.join(dir, 'node_modules'))) dir = makeProject('commonjs');
  }, 240_000);

  it("every relative link in the packaged README resolves inside node_modules/faultline", () => {
    const pkg = path.join(dir, 'node_modules', 'faultline');
    const readme = fs.readFileSync(path.join(pkg, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links).toContain('docs/protocol.md');
    expect(links).toContain('specs/lease-pause.buggy.ts');
    expect(links.filter((l) => !fs.existsSync(path.join(pkg, l)))).toEqual([]);
  });

  it('`npx faultline init` finds its templates in the installed package', () => {
    fs.mkdirSync(path.join(dir, 'starter'));
    const r = run(npx, ['faultline', 'init', 'starter'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created  specs/payment.buggy.ts');
    expect(fs.readFileSync(path.join(dir, 'starter', 'test', 'payment.test.ts'), 'utf8')).toContain("import 'faultline/vitest';");
  }, 60_000);
});
