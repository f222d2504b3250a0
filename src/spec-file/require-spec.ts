// Loads a spec file that Node runs as CommonJS (a `.ts`/`.js` file in a package without
// "type": "module", or a `.cts`/`.cjs` file): through tsx's require hook, as the rest of
// such a project is loaded. Importing it through the ES module loader instead fails in
// Node 20 ("Cannot require() ES Module … in a cycle", "request for … is not in cache").
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
}

let registered = false;

/**
 * tsx's require hook, once per thread, and one redirection: a `require('faultline')` that
 * resolves to the running checker's own entry point gets the checker's module, already
 * loaded. Without it tsx would compile faultline's ES modules to a second CommonJS copy,
 * whose classes are not the checker's.
 */
async function registerOnce(): Promise<void> {
  if (registered) return;
  const { register } = await import('tsx/cjs/api');
  register();
  const own = await import('../index.js');
  const ownEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../index.js');
  const internals = Module as unknown as ModuleInternals;
  const load = internals._load;
  internals._load = function loadKeepingOwnCopy(request, parent, isMain) {
    if (request === 'faultline') {
      try {
        if (internals._resolveFilename(request, parent, isMain) === ownEntry) return own;
      } catch {
        // unresolvable here: Node's own require reports it below
      }
    }
    return load.call(this, request, parent, isMain);
  };
  registered = true;
}

/** The spec a CommonJS file exports: `module.exports = spec(…)` or `export default spec(…)`. */
export async function requireSpecModule(abs: string): Promise<{ default?: unknown }> {
  await registerOnce();
  const exports = createRequire(abs)(abs) as unknown;
  if (exports !== null && typeof exports === 'object' && 'default' in exports && (exports as { __esModule?: unknown }).__esModule) {
    return exports as { default?: unknown };
  }
  return { default: exports };
}
