// --annotations github: GitHub Actions workflow commands
// (`::error file=…,line=…,title=…::message`), so a failing spec is marked on the
// spec file in the pull request, at the violated property where it can be found.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
import fs from 'node:fs';
import path from 'node:path';
import type { CheckResult } from '../../explore/types.js';
import { checkExitCode } from '../exit-codes.js';
import { renderResult } from './text.js';

export interface AnnotationEntry {
  readonly result: CheckResult;
  /** The plain-text report, the annotation's body (default: renderResult without colour). */
  readonly rendered?: string;
  /** --require-complete was given (an incomplete search is then an error, not a warning). */
  readonly requireComplete?: boolean;
}

export interface AnnotationOptions {
  /** File paths are written relative to this (default: the working directory, as GitHub expects the workspace). */
  readonly cwd?: string;
  /** Reads a spec file's source to locate properties (default: fs; undefined when unreadable). */
  readonly readSource?: (file: string) => string | undefined;
  /** Longest body, in lines (default 60): GitHub shows annotations short. */
  readonly maxLines?: number;
}

export interface Annotation {
  readonly level: 'error' | 'warning' | 'notice';
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly title: string;
  readonly message: string;
}

/** Escapes a workflow command's message ('%', CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also ':' and ','). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatAnnotation(a: Annotation): string {
  const props = [
    a.file !== undefined ? `file=${escapeProperty(a.file)}` : undefined,
    a.line !== undefined ? `line=${a.line}` : undefined,
    a.col !== undefined ? `col=${a.col}` : undefined,
    `title=${escapeProperty(a.title)}`,
  ].filter((x) => x !== undefined);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where `name` is defined as a key of an object literal in a spec's source (`name:`,
 * `'name':`, `name(` as a method): its 1-based line and column, or undefined. The
 * first definition wins; good enough to point at a property, not a parser.
 */
export function findKeyLine(source: string, name: string): { line: number; col: number } | undefined {
  const key = new RegExp(`(^|[\\s{,])(['"\`]?)${escapeRegExp(name)}\\2\\s*(:|\\()`);
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue; // comments
    const m = key.exec(line);
    if (m) return { line: i + 1, col: m.index + m[1]!.length + 1 };
  }
  return undefined;
}

function defaultRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function truncate(body: string, maxLines: number): string {
  const lines = body.trimEnd().split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  return [...lines.slice(0, maxLines), `… (${lines.length - maxLines} more lines in the job log)`].join('\n');
}

/** The annotation for one result, or undefined when the spec passed and its search was complete. */
export function annotationFor(entry: AnnotationEntry, options: AnnotationOptions = {}): Annotation | undefined {
  const r = entry.result;
  const cwd = options.cwd ?? process.cwd();
  const code = checkExitCode(r, entry.requireComplete ?? false);
  if (code === 0 && r.verdict !== 'incomplete') return undefined;
  const body = truncate(entry.rendered ?? renderResult(r, { color: false }), options.maxLines ?? 60);
  const specFile = r.file ?? r.error?.file;
  const rel = (f: string) => (path.relative(cwd, path.resolve(cwd, f)) || f).split(path.sep).join('/');
  const source = specFile === undefined ? undefined : (options.readSource ?? defaultRead)(specFile);
  const at = (name: string | undefined) => (name === undefined || source === undefined ? undefined : findKeyLine(source, name));
  const where = (pos: { line: number; col: number } | undefined) => ({
    file: specFile === undefined ? undefined : rel(specFile),
    line: pos?.line ?? (specFile === undefined ? undefined : 1),
    col: pos?.col,
  });

  if (r.verdict === 'error') {
    const e = r.error;
    // A type error names its own file:line:col ("  specs/x.ts:5:3 Property 'cout' ...").
    const diag = e && /^\s+(\S+?\.[cm]?tsx?):(\d+):(\d+) /m.exec(e.message);
    const pos = diag ? { file: rel(diag[1]!), line: Number(diag[2]), col: Number(diag[3]) } : where(at(e?.handler));
    return { level: 'error', ...pos, title: `faultline: ${r.spec}: spec error`, message: body };
  }
  if (r.verdict === 'incomplete' && (code === 0 || code === 3)) {
    const why = r.incomplete?.message ?? 'the search stopped early';
    return { level: code === 3 ? 'error' : 'warning', ...where(undefined), title: `faultline: ${r.spec}: search incomplete`, message: `${why}\n\n${body}` };
  }
  const v = r.violation;
  const e = r.expectation;
  if (e && !e.met) {
    // Point at the property that broke when there is one; else at the expectation itself.
    const pos = (v && at(v.property)) ?? at('expect');
    const title = `faultline: ${r.spec}: expectation not met`;
    return { level: 'error', ...where(pos), title, message: `${e.message}\n\n${body}` };
  }
  if (v) {
    const what = v.kind === 'deadlock' ? 'deadlock' : `${v.property} violated`;
    return { level: 'error', ...where(at(v.property)), title: `faultline: ${r.spec}: ${what}`, message: body };
  }
  return undefined;
}

/** The workflow commands for a run, one line each (nothing for specs that passed completely). */
export function githubAnnotations(entries: readonly AnnotationEntry[], options: AnnotationOptions = {}): string[] {
  return entries.flatMap((e) => {
    const a = annotationFor(e, options);
    return a ? [formatAnnotation(a)] : [];
  });
}
