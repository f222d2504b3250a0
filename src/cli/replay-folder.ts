// `faultline replay <folder>`: saved counterexamples as regression tests. Every
// `*.itf.json` in the folder (as --save-trace writes them) is replayed against the
// spec named in its "#meta".source, and gets one line:
//   reproduces           the violation happens again: a fixed bug came back (exit 1);
//   reproduces, expected the spec declares this violation (`expect: { violates }`);
//   fixed                the trace replays and no property fails;
//   fixed, no longer fits the spec changed so that the trace is not a behaviour of it
//                        any more: fine, but it no longer tests anything;
//   error                the trace or its spec cannot be used (exit 2).
import fs from 'node:fs';
import path from 'node:path';
import { isSpecError } from '../core/errors.js';
import { UsageError, parseAssignments } from '../core/params.js';
import type { ParamValue, Spec } from '../core/types.js';
import { replayItf, type ReplayResult } from '../trace/replay.js';
import { combineExitCodes } from './exit-codes.js';
import { loadCommandSpec } from './loaded-spec.js';
import { replayJson } from './report/replay-json.js';
import { chalkFor, colorWanted } from './report/text.js';

export type FolderStatus = 'reproduces' | 'expected' | 'fixed' | 'no-longer-fits' | 'error';

export interface FolderEntry {
  readonly traceFile: string;
  readonly specFile?: string;
  readonly status: FolderStatus;
  /** One line saying what happened. */
  readonly detail: string;
  readonly replay?: ReplayResult;
}

export interface ReplayFolderOptions {
  readonly typecheck: boolean;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly faults?: Readonly<Record<string, number>>;
  readonly deadlock?: boolean;
  /** Spec files in "#meta".source are relative to this (default: the working directory). */
  readonly cwd?: string;
}

/** The saved traces in a folder (and its subfolders), in name order. */
export function savedTraces(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.itf.json')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export const FOLDER_EXIT: Readonly<Record<FolderStatus, number>> = { reproduces: 1, expected: 0, fixed: 0, 'no-longer-fits': 0, error: 2 };

function describeDivergence(r: ReplayResult): string {
  const d = r.divergence!;
  const step = d.action === null ? `step ${d.step}` : `step ${d.step} (${d.action})`;
  const why =
    d.reason === 'initial-state' ? "its initial state is not one of the spec's" : d.reason === 'not-enabled' ? `${step} is not enabled` : `${step} leads to a different state`;
  return `the trace no longer fits the spec: ${why}; it no longer tests anything`;
}

/** Replays one saved trace against the spec its "#meta".source names. */
export async function replaySaved(traceFile: string, options: ReplayFolderOptions, specs = new Map<string, Promise<Spec>>()): Promise<FolderEntry> {
  const cwd = options.cwd ?? process.cwd();
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
  } catch (e) {
    return { traceFile, status: 'error', detail: `cannot read the trace: ${e instanceof Error ? e.message : String(e)}` };
  }
  const meta = (doc as { '#meta'?: { source?: unknown } } | null)?.['#meta'];
  const source = meta && typeof meta.source === 'string' ? meta.source : undefined;
  if (source === undefined) return { traceFile, status: 'error', detail: 'the trace does not name its spec file ("#meta".source); replay it with `faultline replay <spec> <trace>`' };
  const specFile = path.resolve(cwd, source);
  let spec: Spec;
  try {
    let loading = specs.get(specFile);
    if (loading === undefined) specs.set(specFile, (loading = loadCommandSpec(specFile, { typecheck: options.typecheck })));
    spec = await loading;
  } catch (e) {
    if (!isSpecError(e) && !(e instanceof UsageError)) throw e;
    return { traceFile, specFile, status: 'error', detail: (e as Error).message.split('\n')[0]! };
  }
  const r = replayItf(spec, doc, { params: options.params, faults: options.faults, deadlock: options.deadlock });
  switch (r.outcome) {
    case 'reproduced': {
      const v = r.violation!;
      const what = `${v.kind === 'deadlock' ? 'deadlock' : `${v.property} violated`} at step ${v.step}: ${v.message}`;
      const expected = typeof spec.expect === 'object' && spec.expect.violates === v.property;
      return { traceFile, specFile, status: expected ? 'expected' : 'reproduces', detail: expected ? `${what} (the spec declares this violation)` : what, replay: r };
    }
    case 'passes':
      return { traceFile, specFile, status: 'fixed', detail: `the trace replays (${r.steps} step${r.steps === 1 ? '' : 's'}) and no property fails${r.lassoNote ? `; the saved lasso is no longer a counterexample: ${r.lassoNote}` : ''}`, replay: r };
    case 'diverged':
      return { traceFile, specFile, status: 'no-longer-fits', detail: describeDivergence(r), replay: r };
    case 'error':
      return { traceFile, specFile, status: 'error', detail: r.error?.message ?? 'cannot replay', replay: r };
  }
}

export async function replayFolder(dir: string, options: ReplayFolderOptions): Promise<FolderEntry[]> {
  const files = savedTraces(dir);
  const specs = new Map<string, Promise<Spec>>();
  const out: FolderEntry[] = [];
  for (const f of files) out.push(await replaySaved(f, options, specs));
  return out;
}

const LABEL: Readonly<Record<FolderStatus, string>> = {
  reproduces: '✗ reproduces',
  expected: '✓ reproduces, expected',
  fixed: '✓ fixed',
  'no-longer-fits': '✓ fixed, no longer fits',
  error: '✗ error',
};

/** One line per trace, then a count. */
export function renderFolder(entries: readonly FolderEntry[], options: { color?: boolean; cwd?: string } = {}): string {
  const c = chalkFor(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const rel = (f: string) => path.relative(cwd, f) || f;
  const w = Math.max(...entries.map((e) => LABEL[e.status].length), 0);
  const paint = (s: FolderStatus, t: string) => (s === 'reproduces' || s === 'error' ? c.red(t) : s === 'no-longer-fits' ? c.yellow(t) : c.green(t));
  const lines = entries.map((e) => `${paint(e.status, LABEL[e.status].padEnd(w))}  ${rel(e.traceFile)}  ${c.dim(e.detail)}`);
  const count = (s: FolderStatus) => entries.filter((e) => e.status === s).length;
  const parts = [
    `${count('reproduces')} reproduce${count('reproduces') === 1 ? 's' : ''}`,
    `${count('fixed') + count('no-longer-fits')} fixed${count('no-longer-fits') ? ` (${count('no-longer-fits')} no longer fit${count('no-longer-fits') === 1 ? 's' : ''} the spec)` : ''}`,
  ];
  if (count('expected')) parts.push(`${count('expected')} expected`);
  if (count('error')) parts.push(`${count('error')} error${count('error') === 1 ? '' : 's'}`);
  const bad = count('reproduces') + count('error') > 0;
  const total = `${entries.length} saved trace${entries.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
  lines.push('', bad ? c.red.bold(`✗ ${total}`) : c.green.bold(`✓ ${total}`));
  return lines.join('\n') + '\n';
}

export function folderExitCode(entries: readonly FolderEntry[]): number {
  return combineExitCodes(entries.map((e) => FOLDER_EXIT[e.status]));
}

/** The --json document of a folder replay. */
export function folderJson(entries: readonly FolderEntry[]): Record<string, unknown> {
  return {
    schema: 1,
    command: 'replay',
    exit: folderExitCode(entries),
    results: entries.map((e) => ({
      status: e.status,
      traceFile: e.traceFile,
      specFile: e.specFile,
      detail: e.detail,
      ...(e.replay && e.specFile ? { replay: replayJson(e.replay, e.specFile, e.traceFile) } : {}),
    })),
  };
}

/** The CLI's `faultline replay <folder>`: prints one line per saved trace (or --json); returns the exit code. */
export async function runReplayFolder(
  dir: string,
  flags: { readonly param?: string[]; readonly faults?: string[]; readonly typecheck: boolean; readonly json?: boolean; readonly deadlock?: boolean },
): Promise<number> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`replay takes a spec file and a trace file, or one folder of saved traces; ${dir} is not a folder`);
  }
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const faultPairs = parseAssignments(flags.faults ?? [], 'fault');
  const faults: Record<string, number> = {};
  for (const [name, value] of Object.entries(faultPairs)) {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`fault budget ${name}=${value} must be a non-negative integer`);
    faults[name] = n;
  }
  const entries = await replayFolder(dir, {
    typecheck: flags.typecheck,
    params,
    faults: Object.keys(faults).length ? faults : undefined,
    deadlock: flags.deadlock,
  });
  // An empty folder is a mistake (a wrong path, an artifact that was not downloaded), not a pass.
  if (entries.length === 0) throw new UsageError(`no saved traces (*.itf.json) in ${dir}: nothing to replay`);
  if (flags.json) process.stdout.write(JSON.stringify(folderJson(entries), null, 2) + '\n');
  else process.stdout.write(renderFolder(entries, { color: colorWanted() }));
  return folderExitCode(entries);
}
