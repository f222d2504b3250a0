// `faultline init`: a starting point in the user's own project, as `tsc --init` and
// `vitest init` give one. It writes a protocol spec with a real bug and its fix, a
// vitest test of both, and the config the project lacks (tsconfig.json, package.json),
// and never touches a file that is already there. The files are the ones in
// templates/init/, shipped with the package.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from '../core/params.js';
import { packageType } from '../spec-file/format.js';

const TEMPLATES = fileURLToPath(new URL('../../templates/init/', import.meta.url));

export interface InitFile {
  /** Relative to the project folder. */
  readonly path: string;
  /** 'kept': a file of that name was already there and was left as it was. */
  readonly status: 'created' | 'kept';
}

export interface InitReport {
  readonly files: readonly InitFile[];
  /** What the user still has to do, as commands. */
  readonly next: readonly string[];
}

/**
 * The files init writes. In a CommonJS package (what `npm init -y` makes) the TypeScript
 * files are `.mts`: ES modules whatever the package says, so `import`/`export` also pass
 * a tsconfig with verbatimModuleSyntax (what `tsc --init` makes).
 */
function plan(esm: boolean): { from: string; to: string; edit?: (text: string) => string }[] {
  const ts = esm ? 'ts' : 'mts';
  const js = esm ? 'js' : 'mjs';
  return [
    { from: 'specs/payment.buggy.ts', to: `specs/payment.buggy.${ts}`, edit: (t) => t.replaceAll('.fixed.ts', `.fixed.${ts}`).replaceAll('.buggy.ts', `.buggy.${ts}`) },
    { from: 'specs/payment.fixed.ts', to: `specs/payment.fixed.${ts}`, edit: (t) => t.replaceAll('.fixed.ts', `.fixed.${ts}`).replaceAll('.buggy.ts', `.buggy.${ts}`) },
    { from: 'test/payment.test.ts', to: `test/payment.test.${ts}`, edit: (t) => t.replaceAll(".js';", `.${js}';`) },
    { from: 'tsconfig.json', to: 'tsconfig.json' },
  ];
}

function hasPackage(dir: string, name: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'node_modules', name, 'package.json'))) return true;
    if (path.dirname(d) === d) return false;
  }
}

/** Writes the starter files into `dir` (which must exist), keeping every file already there. */
export function initProject(dir: string): InitReport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`init: ${dir} is not a folder`);
  const files: InitFile[] = [];
  const manifest = path.join(dir, 'package.json');
  const hadManifest = fs.existsSync(manifest);
  if (!hadManifest) {
    const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-') || 'protocols';
    const pkg = { name, version: '0.0.0', private: true, type: 'module', scripts: { test: 'vitest run' } };
    fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n', { flag: 'wx' });
    files.push({ path: 'package.json', status: 'created' });
  }
  const esm = packageType(path.join(dir, 'package.json')) === 'module';
  for (const f of plan(esm)) {
    const target = path.join(dir, f.to);
    if (fs.existsSync(target)) {
      files.push({ path: f.to, status: 'kept' });
      continue;
    }
    const text = fs.readFileSync(path.join(TEMPLATES, f.from), 'utf8');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // 'wx': never replace a file, even one that appeared since the check above.
    fs.writeFileSync(target, f.edit ? f.edit(text) : text, { flag: 'wx' });
    files.push({ path: f.to, status: 'created' });
  }
  const next = ['npx faultline check specs/'];
  const missing = ['faultline', 'vitest'].filter((p) => !hasPackage(dir, p));
  if (missing.length > 0) next.unshift(`npm install --save-dev ${missing.join(' ')}`);
  next.push(hadManifest ? 'npx vitest run' : 'npm test');
  return { files, next };
}

export function renderInitReport(report: InitReport): string {
  const lines = report.files.map((f) => (f.status === 'created' ? `  created  ${f.path}` : `  kept     ${f.path} (already there; not changed)`));
  return [
    ...lines,
    '',
    'A payment client that retries, and a server that charges every retry (payment.buggy)',
    'or deduplicates by an idempotency key (payment.fixed). Next:',
    ...report.next.map((c) => `  ${c}`),
    '',
  ].join('\n');
}

export function addInitCommand(program: Command, setExit: (code: number) => void): Command {
  return program
    .command('init')
    .description('write a starter spec with a bug and its fix, a vitest test, and the config the project lacks (never overwrites a file)')
    .argument('[dir]', 'the project folder', '.')
    .action((dir: string) => {
      process.stdout.write(renderInitReport(initProject(dir)));
      setExit(0);
    });
}
