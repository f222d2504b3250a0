// --save-trace DIR: each violation's counterexample as an ITF JSON file with a
// stable name (spec name + property), so a CI run can keep it as an artifact and a
// later run can replay it against the spec as a regression test.
import path from 'node:path';
import type { CheckResult } from '../explore/types.js';
import { counterexampleItf } from '../trace/itf.js';
import { writeFileAtomic } from './output-files.js';

/** A file-name-safe form of a spec or property name: letters, digits, '.', '_' and '-' only. */
function safe(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '');
  return s === '' ? '_' : s;
}

/** `<spec>.<property>.itf.json`: the same spec and property always give the same name. */
export function traceFileName(spec: string, property: string): string {
  return `${safe(spec)}.${safe(property)}.itf.json`;
}

/** Where a spec file is, as written in a saved trace: relative to the working directory, with '/' separators. */
export function portablePath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, file)) || file;
  return rel.split(path.sep).join('/');
}

/**
 * The ITF document of a result's counterexample (the shortest trace, as in
 * `violation.trace` of --json), or undefined when there is none (no violation, or a
 * `sometimes` violation, which has no trace). `#meta` names the spec file (`source`,
 * relative to the working directory), the spec, its params and fault budgets and the
 * violated property, so `faultline replay` can re-run it later (the same document
 * as --trace-out). The result must hold the states themselves (as `check()` returns
 * them), not their JSON encoding. Throws when a state cannot be written as ITF (it is
 * not a record of variables, or a key starts with "#").
 */
export function violationItf(result: CheckResult): Record<string, unknown> | undefined {
  const v = result.violation;
  if (v === undefined || v.trace.length === 0) return undefined;
  return counterexampleItf(v.trace, {
    source: result.file === undefined ? undefined : portablePath(result.file),
    spec: result.spec,
    params: result.params,
    faults: result.faults,
    property: v.property,
    kind: v.kind,
    message: v.message,
    trace: result.strategy === 'dfs' ? 'dfs' : 'shortest',
    loop: v.loop, // a lasso: without it, replay would check the stem as a finite trace and call it fixed
  });
}

/** Writes an ITF document to DIR under its stable name (creating DIR), atomically; returns the path written. */
export function writeSavedTrace(dir: string, spec: string, property: string, itf: unknown): string {
  const file = path.join(dir, traceFileName(spec, property));
  writeFileAtomic(file, JSON.stringify(itf, null, 2) + '\n');
  return file;
}
