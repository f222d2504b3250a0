// Where the CLI writes its reports (--junit, --save-trace, --trace-out, --mermaid,
// --html): every destination is checked before the search starts, so an hour-long
// check does not fail at its last second on a typo'd path, and every file is written
// atomically (a temporary file in the same folder, then a rename), so a crash or a
// full disk never leaves half a report where a good one was.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/params.js';

/**
 * Kernel pseudo-filesystems: creating or renaming files there either fails late or,
 * for /proc, makes Node's mkdirSync(…, { recursive: true }) spin forever (seen on
 * Linux 6.x). Refused up front; an existing character device or pipe (/dev/stdout,
 * /dev/null, /dev/full, a FIFO) is allowed and written in place.
 */
const SPECIAL = ['/proc', '/sys', '/dev'];

function under(p: string, root: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

/** The nearest existing ancestor of `p` (p itself if it exists), through symlinks. */
function nearestExisting(p: string): { real: string; stat: fs.Stats; missing: string[] } {
  const missing: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const stat = fs.statSync(cur);
      return { real: fs.realpathSync(cur), stat, missing };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      const parent = path.dirname(cur);
      if (parent === cur) throw e;
      missing.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

function isStream(stat: fs.Stats): boolean {
  return stat.isCharacterDevice() || stat.isFIFO() || stat.isSocket();
}

function fail(flag: string, target: string, why: string): never {
  throw new UsageError(`${flag} ${target}: ${why}`);
}

function writableDir(flag: string, target: string, dir: string): void {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    fail(flag, target, `cannot write in ${dir} (permission denied)`);
  }
}

/** The target's nearest existing path (itself when it exists); a UsageError naming the flag when it cannot be read. */
function locate(flag: string, target: string): ReturnType<typeof nearestExisting> {
  try {
    return nearestExisting(path.resolve(target));
  } catch (e) {
    return fail(flag, target, (e as Error).message);
  }
}

/**
 * Checks that `target` can be written as a file: it is not a folder, it is not on a
 * kernel filesystem (unless it is an existing device or pipe), and its folder exists
 * and is writable, or can be created. Throws a UsageError naming the flag.
 */
export function checkFileDestination(flag: string, target: string): void {
  const { real, stat, missing } = locate(flag, target);
  if (missing.length === 0) {
    if (stat.isDirectory()) fail(flag, target, 'is a folder, not a file');
    if (isStream(stat)) return; // /dev/stdout, /dev/null, a FIFO: written in place
    if (SPECIAL.some((r) => under(real, r))) fail(flag, target, `is on a kernel filesystem (${real}); write the report to a normal folder`);
    writableDir(flag, target, path.dirname(real));
    return;
  }
  if (SPECIAL.some((r) => under(real, r))) fail(flag, target, `is on a kernel filesystem (${real}); write the report to a normal folder`);
  if (!stat.isDirectory()) fail(flag, target, `${real} is a file, not a folder`);
  writableDir(flag, target, real);
}

/** Checks that `target` is (or can be created as) a writable folder (--save-trace). */
export function checkDirDestination(flag: string, target: string): void {
  const { real, stat, missing } = locate(flag, target);
  if (SPECIAL.some((r) => under(real, r))) fail(flag, target, `is on a kernel filesystem (${real}); use a normal folder`);
  if (!stat.isDirectory()) fail(flag, target, missing.length ? `${real} is a file, not a folder` : 'is a file, not a folder');
  writableDir(flag, target, real);
}

let counter = 0;

/**
 * Writes `data` to `target` atomically: into a temporary file next to it, flushed to
 * disk, then renamed over it (creating missing folders). An existing device or pipe
 * is written in place. Throws the system error (the temporary file is removed).
 */
export function writeFileAtomic(target: string, data: string): void {
  const abs = path.resolve(target);
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(abs);
  } catch {
    existing = undefined;
  }
  if (existing && isStream(existing)) {
    fs.writeFileSync(abs, data);
    return;
  }
  const dir = path.dirname(abs);
  const real = nearestExisting(dir).real;
  if (SPECIAL.some((r) => under(real, r))) throw new Error(`${real} is on a kernel filesystem`);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w', existing ? existing.mode & 0o777 : 0o666);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, abs);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** The report destinations of a `check`/`simulate` command line. */
export interface Destinations {
  readonly junit?: string;
  readonly saveTrace?: string;
  readonly traceOut?: string;
  readonly mermaid?: string;
  readonly html?: string;
}

/** Checks every destination before any work starts (throws a UsageError: exit 2). */
export function checkDestinations(d: Destinations): void {
  if (d.junit !== undefined) checkFileDestination('--junit', d.junit);
  if (d.saveTrace !== undefined) checkDirDestination('--save-trace', d.saveTrace);
  if (d.traceOut !== undefined) checkFileDestination('--trace-out', d.traceOut);
  if (d.mermaid !== undefined) checkFileDestination('--mermaid', d.mermaid);
  if (d.html !== undefined) checkFileDestination('--html', d.html);
}
