// The table printed after checking several specs: one row per spec (verdict, what
// the spec expects, states, time), marked ✓ / ✗ / ⚠ as the spec passes, fails or
// was not searched completely, and a closing count.
import path from 'node:path';
import type { CheckResult } from '../../explore/types.js';
import { checkExitCode } from '../exit-codes.js';
import { chalkFor } from './text.js';

export interface SummaryEntry {
  readonly result: CheckResult;
  /** --require-complete was given. */
  readonly requireComplete?: boolean;
}

export interface SummaryOptions {
  readonly color?: boolean;
  readonly notChecked?: readonly { readonly file: string; readonly reason: 'bail' | 'interrupted' }[];
  /** Wall-clock time of the whole run. */
  readonly elapsedMs?: number;
  readonly cwd?: string;
}

const n = (x: number) => x.toLocaleString('en-US');

function time(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function verdictText(r: CheckResult): string {
  switch (r.verdict) {
    case 'ok':
      return 'holds';
    case 'violation':
      return r.violation!.kind === 'deadlock' ? 'deadlock' : `violates ${r.violation!.property}`;
    case 'incomplete':
      return `incomplete (${r.incomplete?.reason ?? 'stopped'})`;
    case 'error':
      return 'error';
  }
}

function expectedText(r: CheckResult): string {
  const e = r.expectation?.expected;
  if (e === undefined) return '-';
  return e === 'holds' ? 'holds' : `violates ${e.violates}`;
}

type Status = 'pass' | 'fail' | 'incomplete';

function statusOf(entry: SummaryEntry): Status {
  if (checkExitCode(entry.result, entry.requireComplete ?? false) !== 0) return 'fail';
  return entry.result.verdict === 'incomplete' ? 'incomplete' : 'pass';
}

/** Visible width (the ✓/✗/⚠ marks and digits are one column each). */
const width = (s: string) => [...s].length;
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padLeft = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;

export function renderSummary(entries: readonly SummaryEntry[], options: SummaryOptions = {}): string {
  const c = chalkFor(options.color ?? false);
  const cwd = options.cwd ?? process.cwd();
  const rel = (f: string) => (path.relative(cwd, path.resolve(cwd, f)) || f).split(path.sep).join('/');
  const head = ['', 'spec', 'verdict', 'expected', 'states', 'time', 'file'];
  const rows = entries.map((e) => {
    const r = e.result;
    const status = statusOf(e);
    const mark = status === 'pass' ? '✓' : status === 'fail' ? '✗' : '⚠';
    return { status, cells: [mark, r.spec, verdictText(r), expectedText(r), n(r.stats.distinctStates), time(r.stats.durationMs), r.file ? rel(r.file) : ''] };
  });
  const skipped = (options.notChecked ?? []).map((s) => ({
    status: 'skipped' as const,
    cells: ['-', path.basename(s.file).replace(/\.ts$/, ''), s.reason === 'bail' ? 'not checked (--bail)' : 'not checked (interrupted)', '', '', '', rel(s.file)],
  }));
  const all = [...rows, ...skipped];
  const widths = head.map((h, i) => Math.max(width(h), ...all.map((r) => width(r.cells[i]!))));
  const right = new Set([4, 5]); // numbers
  const line = (cells: string[]) =>
    cells
      .map((x, i) => (right.has(i) ? padLeft(x, widths[i]!) : pad(x, widths[i]!)))
      .join('  ')
      .trimEnd();
  const paint = (status: Status | 'skipped', s: string) =>
    status === 'pass' ? c.green(s) : status === 'fail' ? c.red(s) : status === 'incomplete' ? c.yellow(s) : c.dim(s);

  const out = [c.bold(line(head)), ...all.map((r) => paint(r.status, line(r.cells)))];
  const count = (s: Status) => rows.filter((r) => r.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`];
  if (count('incomplete')) parts.push(`${count('incomplete')} incomplete`);
  if (skipped.length) parts.push(`${skipped.length} not checked`);
  const total = `${rows.length + skipped.length} spec${rows.length + skipped.length === 1 ? '' : 's'}`;
  const what = `${total}: ${parts.join(', ')}`;
  const verdict =
    count('fail') > 0 ? c.red.bold(`✗ ${what}`) : count('incomplete') + skipped.length > 0 ? c.yellow.bold(`⚠ ${what}`) : c.green.bold(`✓ ${what}`);
  out.push('', verdict + (options.elapsedMs !== undefined ? ` in ${time(options.elapsedMs)}` : ''));
  return out.join('\n') + '\n';
}
