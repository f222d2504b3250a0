// Loading a spec file (src/spec-file/load.ts), in a process of the built checker as
// the CLI runs it: the spec's `import 'faultline'` gets the checker's own modules.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './run.js';

describe('loadSpec', () => {
  it("gives a spec file the checker's own faultline modules, not a second copy", () => {
    const script = `
      import { pathToFileURL } from 'node:url';
      const { loadSpec } = await import(pathToFileURL('dist/spec-file/load.js').href);
      const file = 'test/fixtures/load/shares-modules.ts';
      const loaded = await loadSpec(file, { typecheck: false });
      const mod = await import(pathToFileURL(file).href);
      const own = await import(pathToFileURL('dist/index.js').href);
      console.log(JSON.stringify({ sameSpec: mod.default === loaded, sameModules: mod.modules === own }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sameSpec: true, sameModules: true });
  });
});

describe('checking a spec from another folder', () => {
  it("type-checks it by its own project's tsconfig.json, wherever faultline is started", () => {
    // Its `types: ["node"]` is resolved from the config's folder (it once was from the working directory).
    const r = spawnSync(process.execPath, [path.join(root, 'bin/faultline.js'), 'check', path.join(root, 'specs/diehard.ts')], {
      cwd: os.tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.stdout).not.toMatch(/does not type-check/);
    expect(r.stdout).toMatch(/invariant NotSolved violated/);
    expect(r.status).toBe(0); // the violation diehard expects
  });
});
