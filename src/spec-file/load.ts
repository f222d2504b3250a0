// Loads a user's spec file (TypeScript, run through tsx) and checks that it
// default-exports a spec. Every failure is a SpecError naming the file.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SpecError, describeThrown, isSpecError } from '../core/errors.js';
import { isSpec, type Spec } from '../core/types.js';
import { moduleFormat } from './format.js';
import { requireSpecModule } from './require-spec.js';

export interface LoadOptions {
  readonly typecheck: boolean;
  /** The outcome of a type-check already done (several specs at once): '' when clean. */
  readonly typeErrors?: string;
}

function fail(file: string, message: string, cause?: unknown): SpecError {
  const err = new SpecError(message, { cause });
  err.file = file;
  return err;
}

let registered = false;

/**
 * TypeScript hooks for this thread, once. Not tsx's namespaced import: a spec's
 * `import 'faultline'` would then load a second copy of faultline's modules (slower
 * to load, and its classes are not the checker's); this way the spec shares the
 * checker's copy. A spec file is loaded once per process.
 */
async function registerTsx(): Promise<void> {
  if (registered) return;
  // faultline's own modules are loaded before the hooks, which every import then
  // goes through (a request to the hooks' thread and back): a spec imports
  // faultline, and a parallel search loads the spec once per thread. Measured, a
  // shard's loading of protocol-bench: 850-890 ms of CPU before, 585-640 ms after.
  await import('../index.js');
  // Loaded here, not at the top: tsx's ES module API imports esbuild, which Node's
  // export lexer scans (97 KB), and a CommonJS project's spec never needs it. Measured
  // on a small spec in a CommonJS project (medians of 6, interleaved): 0.66 -> 0.61 s,
  // CPU 0.80 -> 0.73 s.
  const { register } = await import('tsx/esm/api');
  register();
  registered = true;
}

export async function loadSpec(file: string, options: LoadOptions): Promise<Spec> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw fail(file, `spec file not found: ${file}`);
  const stat = fs.statSync(abs);
  if (stat.isDirectory()) throw fail(file, `not a spec file: ${file} is a directory (\`faultline check\` takes a folder; this command takes one file)`);
  if (!stat.isFile()) throw fail(file, `not a spec file: ${file} is not a regular file (a device, socket or pipe)`);
  if (options.typeErrors !== undefined) {
    if (options.typeErrors.length > 0) throw fail(file, options.typeErrors);
  } else if (options.typecheck) {
    // Loaded on demand: the compiler is large and --no-typecheck should not pay for it.
    const { typecheckSpec, typeErrorMessage } = await import('./typecheck.js');
    const errors = typecheckSpec(abs);
    if (errors.length > 0) throw fail(file, typeErrorMessage(file, errors));
  }
  let mod: { default?: unknown };
  const format = moduleFormat(abs);
  try {
    if (format === 'commonjs') mod = await requireSpecModule(abs);
    else {
      await registerTsx();
      mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
    }
  } catch (e) {
    // A definition error thrown by spec()/protocol() while the file ran already says
    // what is wrong and where: keep it as it is, with the file.
    if (isSpecError(e)) {
      e.file ??= file;
      throw e;
    }
    throw fail(file, `spec ${file} failed to load: ${describeThrown(e)}`, e);
  }
  const exported = mod.default;
  if (exported === undefined) {
    throw fail(file, `spec ${file} has no default export; end it with \`export default spec({...})\` or \`export default protocol({...})\`${format === 'commonjs' ? ' (or `module.exports = spec({...})`)' : ''}`);
  }
  if (!isSpec(exported)) {
    throw fail(
      file,
      `the default export of ${file} is not a spec (got ${exported === null ? 'null' : typeof exported}); export the value returned by spec({...}) or protocol({...})`,
    );
  }
  return exported;
}
