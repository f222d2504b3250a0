// How the commands that run in a spec thread (command-worker.ts) load a spec: the
// worker sets hooks that tell its watchdog when the spec's own code runs (module
// load, then the calls) and wrap the spec so that each call beats or is limited.
// Without hooks (in-process use), this is loadSpec.
import fs from 'node:fs';
import path from 'node:path';
import type { Spec } from '../core/types.js';
import { loadSpec, type LoadOptions } from '../spec-file/load.js';

interface LoadHooks {
  /** Faultline's own code (type-checking) runs next: not watched. */
  readonly typechecking: () => void;
  /** Type-checking (faultline's own code, not watched) is over: the module's code runs next. */
  readonly loading: () => void;
  /** The module loaded: its spec, as the command should use it. */
  readonly loaded: (spec: Spec) => Spec;
}

let hooks: LoadHooks | undefined;

export function setLoadHooks(h: LoadHooks | undefined): void {
  hooks = h;
}

/** loadSpec, type-checking first (not watched: it is the compiler), then the module under the hooks. */
export async function loadCommandSpec(file: string, options: LoadOptions): Promise<Spec> {
  if (hooks === undefined) return loadSpec(file, options);
  let typeErrors = options.typeErrors;
  const abs = path.resolve(file);
  hooks.typechecking();
  if (typeErrors === undefined && options.typecheck && fs.existsSync(abs) && fs.statSync(abs).isFile()) {
    const { typecheckSpec, typeErrorMessage } = await import('../spec-file/typecheck.js');
    const errors = typecheckSpec(abs);
    typeErrors = errors.length ? typeErrorMessage(file, errors) : '';
  }
  hooks.loading();
  return hooks.loaded(await loadSpec(file, { ...options, typeErrors }));
}
