// Which module system runs a spec file: Node's own rule, so a spec loads the way every
// other file of the user's project does. `.mts`/`.mjs` are ES modules and `.cts`/`.cjs`
// CommonJS whatever the package says; `.ts`/`.js` follow the nearest package.json's
// "type" (absent means CommonJS — and `npm init -y` writes "commonjs").
import fs from 'node:fs';
import path from 'node:path';

export type ModuleFormat = 'module' | 'commonjs';

/** File extensions a spec may have, TypeScript first. */
export const SPEC_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

export function isSpecFileName(name: string): boolean {
  return SPEC_EXTENSIONS.some((ext) => name.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(name);
}

export function isJavaScript(file: string): boolean {
  return /\.[mc]?js$/.test(file);
}

/** The nearest package.json's "type", or undefined when there is none or it has no "type". */
export function packageType(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const type = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined; // Node itself reports a broken package.json when it loads the file
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function moduleFormat(file: string): ModuleFormat {
  if (/\.m[jt]s$/.test(file)) return 'module';
  if (/\.c[jt]s$/.test(file)) return 'commonjs';
  return packageType(file) === 'module' ? 'module' : 'commonjs';
}
