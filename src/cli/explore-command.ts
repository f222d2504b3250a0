// `faultline explore <spec.ts>`: loads the spec, starts the explorer's server
// (loopback only unless --host says otherwise) and prints the address; the page
// opens in a browser with --open. Runs until Ctrl-C (SIGINT) or SIGTERM: exit 130 / 143.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError, parseAssignments } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import { collect, parseFaults } from './flags.js';
import { signalExit, type StopSignal } from './signals.js';
import { loadSpec } from '../spec-file/load.js';
import { ApiError, Explorer } from '../explorer/api.js';
import { startServer } from '../explorer/server.js';

export interface ExploreFlags {
  param?: string[];
  faults?: string[];
  typecheck: boolean;
  port: number;
  host: string;
  open?: boolean;
  trace?: string;
}

/** The page's URL fragment for a path (the page writes the same form). */
export function pathHash(spec: string, params: Record<string, ParamValue>, faults: Record<string, number>, init: number, keys: readonly string[], at?: number, loop?: number): string {
  const parts = [`spec=${encodeURIComponent(spec)}`];
  for (const [k, v] of Object.entries(params)) parts.push(`p.${encodeURIComponent(k)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`);
  for (const [k, v] of Object.entries(faults)) parts.push(`f.${encodeURIComponent(k)}=${v}`);
  if (init) parts.push(`init=${init}`);
  for (const k of keys) parts.push(`s=${encodeURIComponent(k)}`);
  if (at !== undefined && at !== keys.length) parts.push(`at=${at}`);
  if (loop !== undefined) parts.push(`loop=${loop}`);
  return '#' + parts.join('&');
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a port number 0…65535 (0: any free port), got "${value}"`);
  return n;
}

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`faultline explore: could not start a browser (${cmd}); open ${url} yourself\n`));
  child.unref();
}

async function runExplore(file: string, flags: ExploreFlags): Promise<number> {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const faults = parseFaults(flags.faults);
  const spec = await loadSpec(file, { typecheck: flags.typecheck });
  const explorer = new Explorer(spec, path.resolve(file), { params, faults });
  let hash = '';
  try {
    const c = explorer.compiled(); // a bad -p or --faults, or initial states that throw: exit 2 now
    if (flags.trace !== undefined) {
      let text: string;
      try {
        text = fs.readFileSync(flags.trace, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read the trace ${flags.trace}: ${e instanceof Error ? e.message : String(e)}`);
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        throw new UsageError(`the trace ${flags.trace} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      const t = explorer.loadTrace(doc) as { params: Record<string, ParamValue>; faults: Record<string, number>; init: number; path: string[]; stopped?: { message: string }; loop?: number };
      if (t.stopped) process.stderr.write(`faultline explore: ${flags.trace}: ${t.stopped.message}; the steps before it are loaded\n`);
      hash = pathHash(spec.name, t.params, t.faults, t.init, t.path, 0, t.loop);
    } else hash = pathHash(spec.name, c.params, c.faults, 0, []);
  } catch (e) {
    if (e instanceof ApiError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const host = flags.host;
  let running;
  try {
    running = await startServer(explorer, { host, port: flags.port, log: (l) => process.stderr.write(l + '\n') });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${flags.port} on ${host} is in use; choose another with --port (0: any free port)`);
    throw new UsageError(`cannot listen on ${host}:${flags.port}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const url = running.url + hash;
  process.stdout.write(`faultline explore: ${spec.name} (${path.relative(process.cwd(), path.resolve(file))}) at ${running.url}\n`);
  process.stdout.write(`open ${url}\n`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    process.stderr.write(`faultline explore: listening on ${host}: anyone who can reach this address can use the explorer (it runs your spec's code)\n`);
  }
  process.stdout.write('Ctrl-C stops the server.\n');
  if (flags.open) openInBrowser(url);
  // Stopped by a signal, like every command: 130 (SIGINT) or 143 (SIGTERM), the README's exit codes.
  const signal = await new Promise<StopSignal>((resolve) => {
    const onInt = (): void => done('SIGINT');
    const onTerm = (): void => done('SIGTERM');
    const done = (sig: StopSignal): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  await running.close();
  return signalExit(signal);
}

export function addExploreCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('explore')
    .description('explore a spec in the browser: take each step and each fault yourself, back up, branch, share the path as a link')
    .argument('<spec>', 'spec file (.ts)')
    .option('-p, --param <name=value>', 'override a spec param (repeatable; lists are comma-separated)', collect)
    .option('--faults <name=n,...>', 'override fault budgets of a protocol spec, e.g. drop=2,crash=0', collect)
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--port <n>', 'port to listen on (0: any free port)', port, 4807)
    .option('--host <address>', 'address to listen on (default: loopback only)', '127.0.0.1')
    .option('--open', 'open the page in the default browser')
    .option('--trace <file.itf.json>', 'start on a counterexample saved by check --trace-out or --save-trace')
    .action(async (file: string, flags: ExploreFlags) => setExit(await runExplore(file, flags)));
}
