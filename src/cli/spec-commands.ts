// The main-thread side of `simulate`, `list` and `replay`: each runs in a spec thread
// (spec-thread.ts, command-worker.ts), and this turns how the thread ended into the
// command's report and exit code:
// - done: the command's own exit code (it printed its report);
// - SIGINT / SIGTERM: 130 / 143, after a line on stderr (simulate and list have no
//   partial report: replay of a folder prints its table at the end);
// - a call of the spec's code that never returned (--call-timeout), module load that
//   never ended, --max-memory reached in the spec's own code, or the worker's heap
//   exhausted: a spec error (exit 2) naming the call or the params. simulate, whose
//   calls are only watched, re-runs the same walks with every call limited (its seed
//   makes them the same) to name the call, its arguments and the walk to it.
import { SpecError } from '../core/errors.js';
import { parseAssignments } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import type { Stats } from '../explore/types.js';
import type { CommandData } from './command-worker.js';
import { EXIT } from './exit-codes.js';
import { DEFAULT_CALL_TIMEOUT_MS, STOP_GRACE_MS } from './jobs.js';
import { noRepeatedNames } from './flags.js';
import { defaultMaxMemory, workerHeapMb } from './resources.js';
import type { ReplayFlags } from './replay.js';
import { tooLongMessage } from './call-limit.js';
import { signalExit } from './signals.js';
import { checkSwarmFlags, simulateErrorReport, type SimulateFlags } from './simulate-run.js';
import { runSpecThread, type ThreadEnd } from './spec-thread.js';

const script = new URL('./command-worker.js', import.meta.url);

/** `params rms=8 ...` or `the spec's default params`. */
export function describeParams(params: Readonly<Record<string, ParamValue>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return "the spec's default params";
  return `params ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}`;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** The spec error for a thread the main thread had to stop; undefined for done and signal. */
function stoppedError(end: ThreadEnd, what: string, params: Readonly<Record<string, ParamValue>>, maxMemoryBytes: number | undefined): SpecError | undefined {
  switch (end.kind) {
    case 'load-timeout':
      return new SpecError(tooLongMessage('loading the spec module (its top-level code)', end.limitMs, end.flag));
    case 'call-timeout':
      return new SpecError(tooLongMessage("the spec's code (faultline could not tell which call)", end.limitMs));
    case 'memory':
      return new SpecError(
        `${what} ran out of memory (${describeParams(params)}): the process reached --max-memory ${mb(maxMemoryBytes ?? 0)} MB (${mb(end.rssBytes)} MB resident) ` +
          "while the spec's own code was running (loading it, compiling it with its params, or a call); smaller params, or a larger --max-memory",
      );
    case 'died':
      return new SpecError(
        end.outOfMemory
          ? `${what} ran out of memory (${describeParams(params)}): its JavaScript heap is limited to ${workerHeapMb(maxMemoryBytes ?? Infinity, 1)} MB (Node's heap limit, within --max-memory); smaller params, or a larger --max-memory`
          : `${what} stopped unexpectedly (${describeParams(params)}): ${end.message}`,
      );
    case 'max-time':
      return new SpecError("--max-time: the spec's code has not returned (an action, init or invariant that loops? --call-timeout names it)");
    default:
      return undefined;
  }
}

function callLimitOf(flags: { callTimeout?: number }): number {
  return flags.callTimeout === undefined ? DEFAULT_CALL_TIMEOUT_MS : flags.callTimeout * 1000;
}

/** --load-timeout in ms, if given (else spec-thread.ts's default). */
function loadLimitOf(flags: { loadTimeout?: number }): number | undefined {
  return flags.loadTimeout === undefined ? undefined : flags.loadTimeout * 1000;
}

function stopLine(command: string, end: Extract<ThreadEnd, { kind: 'signal' }>, rest: string): number {
  process.stderr.write(`\nfaultline: ${end.signal}: ${command} stopped before it finished${rest}\n`);
  return signalExit(end.signal);
}

/**
 * `simulate`: a signal ends it at once (a random walk has no partial report worth
 * waiting for), and so does --max-time when the spec's code does not return within
 * STOP_GRACE_MS of it.
 */
export async function runSimulateCommand(file: string, flags: SimulateFlags, printProgress?: (s: Stats) => void): Promise<number> {
  noRepeatedNames('-p', flags.param);
  noRepeatedNames('--faults', flags.faults);
  checkSwarmFlags(flags);
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const callLimitMs = callLimitOf(flags);
  const maxMemoryBytes = flags.maxMemory ?? defaultMaxMemory();
  const run = (diagnose: boolean): Promise<ThreadEnd> =>
    runSpecThread<CommandData>(
      script,
      { command: 'simulate', file, flags: { ...flags }, callLimitMs, diagnose },
      {
        callLimitMs,
        loadLimitMs: loadLimitOf(flags),
        // A diagnosing thread's own limit fires first: it is given time to report.
        searchLimitMs: diagnose ? 2 * callLimitMs + STOP_GRACE_MS : callLimitMs,
        maxMemoryBytes,
        maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
        onMessage: (m) => {
          if (m.type === 'progress') printProgress?.((m as unknown as { stats: Stats }).stats);
        },
      },
    );
  let end = await run(false);
  // Name the call: the same walks again, each call of the spec's code limited (not a swarm's: its workers are gone).
  if (end.kind === 'call-timeout' && flags.cluster === undefined) end = await run(true);
  if (end.kind === 'done') return end.exit;
  if (end.kind === 'signal') return stopLine('simulate', end, ' (no report)');
  if (end.kind === 'max-time') {
    process.stderr.write(`faultline: --max-time ${flags.maxTime} s: simulate did not stop, the spec's code has not returned (an action, init or invariant that loops?)\n`);
    return EXIT.error;
  }
  const { stdout, exit } = simulateErrorReport(file, flags, stoppedError(end, `the simulation of ${file}`, params, maxMemoryBytes));
  process.stdout.write(stdout);
  return exit;
}

/** A command without a report of its own on failure (list, replay): the spec error, printed as main.ts prints errors. */
async function runPlain(data: CommandData, file: string, what: string, command: string, flags: { callTimeout?: number; loadTimeout?: number; param?: string[] }, partial = ''): Promise<number> {
  const callLimitMs = callLimitOf(flags);
  const maxMemoryBytes = defaultMaxMemory();
  const end = await runSpecThread<CommandData>(script, data, { callLimitMs, loadLimitMs: loadLimitOf(flags), searchLimitMs: 2 * callLimitMs + STOP_GRACE_MS, maxMemoryBytes });
  if (end.kind === 'done') return end.exit;
  if (end.kind === 'signal') return stopLine(command, end, partial);
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const error = stoppedError(end, what, params, maxMemoryBytes)!;
  throw end.kind === 'load-timeout' || end.kind === 'call-timeout' ? new SpecError(`${file}: ${error.message}`) : error;
}

export function runListCommand(file: string, flags: { typecheck: boolean; json?: boolean; callTimeout?: number; loadTimeout?: number }): Promise<number> {
  return runPlain({ command: 'list', file, flags: { ...flags }, callLimitMs: callLimitOf(flags) }, file, `listing ${file}`, 'list', flags);
}

export function runReplayCommand(spec: string, trace: string | undefined, flags: ReplayFlags & { callTimeout?: number; loadTimeout?: number }): Promise<number> {
  // As check and simulate: `-p goal=3 -p goal=4` is a mistake, not "the last one wins".
  noRepeatedNames('-p', flags.param);
  noRepeatedNames('--faults', flags.faults);
  return runPlain({ command: 'replay', spec, trace, flags: { ...flags }, callLimitMs: callLimitOf(flags) }, spec, `the replay against ${spec}`, 'replay', flags);
}
