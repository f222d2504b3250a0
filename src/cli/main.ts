// The faultline command line: check, simulate, list. Exit codes follow the design
// brief: 0 holds (or expectation met), 1 violation (or expectation not met),
// 2 spec or usage error, 3 incomplete with --require-complete; 130 / 143 when
// SIGINT / SIGTERM stopped a check (after printing and writing the partial reports).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Command, CommanderError, Option } from 'commander';
import { isSpecError } from '../core/errors.js';
import { UsageError, parseAssignments } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import type { Stats } from '../explore/types.js';
import { EXIT, combineExitCodes } from './exit-codes.js';
import { type SimulateFlags } from './simulate-run.js';
import { runListCommand, runSimulateCommand } from './spec-commands.js';
import { cappedWorkers, defaultMaxMemory } from './resources.js';
import { StopFlag, defaultJobs, runJobs, type JobOutcome, type JobSettings, type JobsReport } from './jobs.js';
import { atLeastOne, collect, noRepeatedNames, nonNegativeInt, parseDuration, parseFaults, parseSize, positiveSeconds } from './flags.js';
import { checkpointOrigin } from '../explore/checkpoint/origin.js';
import { isSpecFileName } from '../spec-file/format.js';
import { githubAnnotations } from './report/annotations.js';
import { junitReport, type JUnitOptions } from './report/junit.js';
import { renderSummary } from './report/summary.js';
import { colorWanted } from './report/text.js';
import { writeSavedTrace } from './save-trace.js';
import { checkDestinations, checkDirDestination, writeFileAtomic } from './output-files.js';
import { earlySignal, onSignal, releaseSignals, signalExit, type StopSignal } from './signals.js';
import { addReplayCommand } from './replay.js';
import { addExploreCommand } from './explore-command.js';
import { addInitCommand } from './init.js';
import { runWorker } from '../cluster/worker.js';
import { addTraceOptions, traceSettingsFrom, traceShownBy, type TraceFlags } from './report/trace-outputs.js';
import { faultlineVersion } from '../explore/checkpoint/identity.js';

export { EXIT, checkExitCode } from './exit-codes.js';

interface CommonFlags {
  param?: string[];
  faults?: string[];
  typecheck: boolean;
  json?: boolean;
  progress?: boolean;
  verbose?: boolean;
  coverage?: boolean;
  maxTime?: number;
  maxMemory?: number;
  callTimeout?: number;
  loadTimeout?: number;
  deadlock?: boolean;
  symmetry?: boolean;
}

interface CheckFlags extends CommonFlags, TraceFlags {
  strategy: 'bfs' | 'dfs';
  maxDepth?: number;
  maxStates?: number;
  requireComplete?: boolean;
  ignoreExpect?: boolean;
  liveness: boolean;
  bail?: boolean;
  jobs?: number;
  workers?: number;
  cluster?: string;
  clusterWorkers?: number;
  clusterStartAfter?: number;
  junit?: string;
  annotations?: 'github';
  saveTrace?: string;
  checkpoint?: string;
  checkpointEvery?: number;
  resume?: string;
}


/** Spec files named on the command line; a folder stands for the spec files in it (.ts, .mts, .cts, .js, .mjs, .cjs; not its lib/). */
export function expandSpecPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory() && entry.name !== 'lib' && entry.name !== 'node_modules') walk(full);
          else if (entry.isFile() && isSpecFileName(entry.name)) out.push(full);
        }
      };
      walk(p);
    } else out.push(p);
  }
  return out;
}

function progressPrinter(enabled: boolean): ((s: Stats, label?: string) => void) | undefined {
  if (!enabled) return undefined;
  return (s, label) =>
    process.stderr.write(
      `progress${label ? ` ${label}` : ''}: ${s.generatedStates.toLocaleString('en-US')} generated, ${s.distinctStates.toLocaleString('en-US')} distinct, queue ${s.queueSize.toLocaleString('en-US')}, depth ${s.depth}, ${s.statesPerSecond.toLocaleString('en-US')} states/s, ${(s.durationMs / 1000).toFixed(1)} s${s.sharedBy ? `, level shared by ${s.sharedBy} workers` : ''}\n`,
    );
}

/**
 * Several specs are type-checked in one compiler run (the libraries are checked once),
 * in a worker thread so that a signal meanwhile is answered at once: `stopped`
 * resolves when it comes, and then the compiler is terminated.
 */
async function typecheckTogether(files: readonly string[], stopped: Promise<void>): Promise<Record<string, string> | undefined> {
  const worker = new Worker(new URL('./typecheck-worker.js', import.meta.url), { workerData: [...files] });
  try {
    return await Promise.race([
      new Promise<Record<string, string>>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      stopped.then(() => undefined),
    ]);
  } finally {
    await worker.terminate();
  }
}

/**
 * One search thread per spec unless --workers asks for more. Measured on the 2-core
 * machines this project runs on, the partitioned search (explore/parallel/) spends
 * 1.5-2x one thread's CPU on its exchange (bench/ and the README's benchmarks), so a
 * second thread does not pay here: it is opt-in until it does.
 */
const DEFAULT_WORKERS = 1;
/** For the tests that signal a check once it reports progress: sooner than every 2 s, so the signal comes early in the search however fast the machine. */
const PROGRESS_MS = Number(process.env.FAULTLINE_PROGRESS_MS) || undefined;

function cappedWorkersNoted(requested: number): number {
  const { workers, note } = cappedWorkers(requested);
  if (note) process.stderr.write(`faultline: ${note}\n`);
  return workers;
}

/** --cluster URL --cluster-workers N: one spec, searched by N worker processes (src/cluster/). */
function clusterSettings(flags: CheckFlags, specs: number): JobSettings['cluster'] {
  if (flags.cluster === undefined) {
    if (flags.clusterWorkers !== undefined) throw new UsageError('--cluster-workers goes with --cluster <url>');
    if (flags.clusterStartAfter !== undefined) throw new UsageError('--cluster-start-after goes with --cluster <url>');
    return undefined;
  }
  if (flags.clusterWorkers === undefined) throw new UsageError('--cluster: say how many workers to wait for with --cluster-workers <n>');
  if (specs !== 1) throw new UsageError(`--cluster checks one spec: name one spec file (got ${specs})`);
  if (flags.workers !== undefined) throw new UsageError(`--cluster spreads the search over its workers' processes: drop --workers ${flags.workers}`);
  return { url: flags.cluster, workers: flags.clusterWorkers, startAfterMs: flags.clusterStartAfter };
}

/** When main() was called: a check's stats line counts its time from here. */
let commandStartedAt: number | undefined;

async function runCheck(named: string[], flags: CheckFlags): Promise<number> {
  noRepeatedNames('-p', flags.param);
  noRepeatedNames('--faults', flags.faults);
  let params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  let faults = parseFaults(flags.faults);
  const checkpoint = checkpointSettings(flags);
  let files = named;
  if (checkpoint?.resumeFrom !== undefined && files.length === 0) {
    // `check --resume DIR`: the spec, params and budgets the checkpointed search was started with.
    const origin = checkpointOrigin(checkpoint.resumeFrom);
    files = [origin.file];
    if (flags.param === undefined) params = origin.params;
    if (flags.faults === undefined) faults = origin.faults;
  }
  if (files.length === 0) throw new UsageError('name the spec files to check (or --resume DIR to continue a checkpointed search)');
  const specFiles = expandSpecPaths(files);
  if (specFiles.length === 0) throw new UsageError(`no spec files (.ts, .mts, .cts, .js, .mjs, .cjs) found in ${files.join(', ')}`);
  if (checkpoint !== undefined && specFiles.length > 1) throw new UsageError(`--checkpoint and --resume save one search: name one spec file (got ${specFiles.length})`);
  checkDestinations({ junit: flags.junit, saveTrace: flags.saveTrace, traceOut: flags.traceOut, mermaid: flags.mermaid, html: flags.html });
  if (checkpoint !== undefined) checkDirDestination(flags.checkpoint !== undefined ? '--checkpoint' : '--resume', checkpoint.dir);
  const color = colorWanted();
  const requireComplete = flags.requireComplete ?? false;
  let settings: JobSettings = {
    params,
    faults,
    strategy: flags.strategy,
    maxDepth: flags.maxDepth,
    maxStates: flags.maxStates,
    maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
    maxMemoryBytes: flags.maxMemory ?? defaultMaxMemory(),
    callTimeoutMs: flags.callTimeout === undefined ? undefined : flags.callTimeout * 1000,
    loadTimeoutMs: flags.loadTimeout === undefined ? undefined : flags.loadTimeout * 1000,
    deadlock: flags.deadlock,
    symmetry: flags.symmetry,
    liveness: flags.liveness,
    workers: flags.workers === undefined ? DEFAULT_WORKERS : cappedWorkersNoted(flags.workers),
    cluster: clusterSettings(flags, specFiles.length),
    checkpoint,
    ignoreExpect: flags.ignoreExpect,
    typecheck: flags.typecheck,
    progress: flags.progress ?? process.stderr.isTTY === true,
    progressIntervalMs: PROGRESS_MS,
    color,
    coverage: flags.coverage,
    requireComplete,
    verbose: flags.verbose,
    saveTrace: flags.saveTrace !== undefined,
    trace: {
      ...traceSettingsFrom(flags, specFiles.length > 1),
      // Only what shows a trace makes the fault-minimal one worth searching for.
      traceShown: traceShownBy(flags),
    },
    // One spec: its stats line's time is the command's. Several: each its own job's (the summary gives the total).
    startedAt: specFiles.length === 1 ? commandStartedAt : undefined,
  };
  const many = specFiles.length > 1;
  const printProgress = progressPrinter(settings.progress);

  // The search runs in a worker, so the main thread hears a signal at once: the first
  // one stops every running search (each returns its partial result), a second one
  // exits without waiting. A signal that came during start-up (signals.ts) counts as
  // the first: then no spec is checked, and every one is reported as not checked.
  const stop = new StopFlag();
  let signal: StopSignal | undefined = earlySignal();
  let stopped!: () => void;
  const stoppedPromise = new Promise<void>((resolve) => (stopped = resolve));
  const onStopSignal = (sig: StopSignal): void => {
    if (signal !== undefined) {
      process.stderr.write(`faultline: ${sig} again: exiting without the reports\n`);
      process.exit(signalExit(sig));
    }
    signal = sig;
    stop.raise();
    stopped();
    process.stderr.write(`\nfaultline: ${sig}: stopping; the statistics so far and the requested reports follow (${sig} again exits at once)\n`);
  };
  if (signal !== undefined) {
    stop.raise();
    stopped();
    process.stderr.write(`\nfaultline: ${signal} during start-up: no spec was checked; the requested reports follow\n`);
  }
  // Without the latch (main() called in-process), listen directly.
  const latched = onSignal(onStopSignal);
  const onInt = () => onStopSignal('SIGINT');
  const onTerm = () => onStopSignal('SIGTERM');
  if (!latched) {
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  }
  try {
    const started = Date.now();
    let printed = 0;
    let writeFailed = false;
    if (signal === undefined && flags.typecheck && specFiles.length > 1) {
      if (flags.verbose) process.stderr.write(`faultline: type-checking ${specFiles.length} spec files together\n`);
      const typeErrors = await typecheckTogether(specFiles, stoppedPromise);
      settings = { ...settings, typeErrors };
    }
    const everyNotChecked = (): JobsReport => ({ outcomes: [], notChecked: specFiles.map((file, index) => ({ index, file, reason: 'interrupted' as const })) });
    const report: JobsReport = signal !== undefined ? everyNotChecked() : await runJobs(specFiles, settings, {
      jobs: flags.jobs ?? defaultJobs(),
      bail: flags.bail,
      stop,
      onProgress: printProgress && ((_i, file, stats) => printProgress(stats, many ? path.relative(process.cwd(), file) : undefined)),
      onOutcome: (o) => {
        let saved = '';
        if (flags.saveTrace !== undefined) {
          const r = saveTrace(flags.saveTrace, o);
          saved = r.line;
          writeFailed ||= r.failed;
        }
        if (!flags.json) process.stdout.write((printed++ > 0 ? '\n' : '') + o.text + saved);
      },
    });
    const { outcomes, notChecked } = report;
    if (flags.json) {
      const docs = outcomes.map((o) => o.json);
      const extra = {
        ...(signal ? { interrupted: signal } : {}),
        ...(notChecked.length ? { notChecked: notChecked.map((n) => ({ file: n.file, reason: n.reason })) } : {}),
      };
      const doc = docs.length === 1 && !many ? docs[0] : { results: docs, ...extra };
      process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    } else if (many || outcomes.length === 0) {
      const entries = outcomes.map((o) => ({ result: o.result, requireComplete }));
      process.stdout.write('\n' + renderSummary(entries, { color, notChecked, elapsedMs: Date.now() - started }));
    }
    if (flags.junit !== undefined) writeFailed = !writeJUnit(flags.junit, outcomes, notChecked, requireComplete, flags.deadlock ?? false) || writeFailed;
    if (flags.annotations === 'github') {
      const lines = githubAnnotations(outcomes.map((o) => ({ result: o.result, rendered: o.plain, requireComplete })));
      // Workflow commands are read from either stream; keep stdout a pure JSON document.
      if (lines.length) (flags.json ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    }
    if (signal) return signalExit(signal);
    return combineExitCodes([...outcomes.map((o) => o.exit), writeFailed ? EXIT.error : EXIT.ok]);
  } finally {
    onSignal(undefined);
    if (!latched) {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    }
  }
}

/** --checkpoint DIR [--checkpoint-every T], --resume DIR: where checkpoints go (a resumed search goes on writing to its folder). */
function checkpointSettings(flags: CheckFlags): JobSettings['checkpoint'] {
  if (flags.checkpoint === undefined && flags.resume === undefined) {
    if (flags.checkpointEvery !== undefined) throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
    return undefined;
  }
  return { dir: flags.checkpoint ?? flags.resume!, everyMs: flags.checkpointEvery, resumeFrom: flags.resume };
}

/** --save-trace: writes the outcome's counterexample; returns the line to print under its report, and whether the write failed. */
function saveTrace(dir: string, o: JobOutcome): { line: string; failed: boolean } {
  const v = o.result.violation;
  if (o.itfError !== undefined && v) {
    process.stderr.write(`faultline: the trace of ${o.result.spec} (${v.property}) cannot be saved as ITF: ${o.itfError}\n`);
    return { line: '', failed: false };
  }
  if (o.itf === undefined || !v) return { line: '', failed: false };
  try {
    const file = writeSavedTrace(dir, o.result.spec, v.property, o.itf);
    return { line: `counterexample saved to ${path.relative(process.cwd(), file)}\n`, failed: false };
  } catch (e) {
    process.stderr.write(`faultline: --save-trace ${dir}: cannot write the trace of ${o.result.spec}: ${e instanceof Error ? e.message : String(e)}\n`);
    return { line: '', failed: true };
  }
}

/** Writes the JUnit report; false (after a message) when it could not be written. */
function writeJUnit(file: string, outcomes: readonly JobOutcome[], notChecked: JUnitOptions['notChecked'], requireComplete: boolean, deadlock: boolean): boolean {
  const xml = junitReport(
    outcomes.map((o) => ({ result: o.result, rendered: o.plain, properties: o.properties, requireComplete, deadlock })),
    { notChecked },
  );
  try {
    writeFileAtomic(file, xml);
    return true;
  } catch (e) {
    process.stderr.write(`faultline: --junit ${file}: cannot write the JUnit report: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
}

function common(cmd: Command): Command {
  return cmd
    .option('-p, --param <name=value>', 'override a spec param (repeatable; lists are comma-separated)', collect)
    .option('--faults <name=n,...>', 'override fault budgets of a protocol spec, e.g. drop=2,crash=0', collect)
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--max-time <seconds>', 'stop after this many seconds', nonNegativeInt('--max-time'))
    .option('--max-memory <size>', "stop cleanly when resident memory reaches this (e.g. 2g, 512m; default 80% of the machine's memory)", parseSize)
    .option('--call-timeout <seconds>', "the longest one call of the spec's code (module load, init, an action, an invariant) may run before it is a spec error (default 10)", positiveSeconds('--call-timeout'))
    .option('--load-timeout <seconds>', 'the longest loading the spec module (transpiling it and running its top-level code) may take before it is a spec error (default: --call-timeout, at least 5)', positiveSeconds('--load-timeout'))
    .option('--deadlock', 'report states with no enabled action (except done states) as violations')
    .option('--symmetry', 'count states equal up to a permutation of the values the spec declares interchangeable once')
    .option('--json', 'print one JSON document (schema in the README)')
    .option('--progress', 'print progress to stderr every 2 s (default when stderr is a terminal)')
    .option('--coverage', 'print how often each action fired')
    .option('--verbose', 'print internal stack traces on errors');
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('faultline')
    .description('An explicit-state model checker for distributed protocols')
    .version(faultlineVersion())
    .showHelpAfterError()
    .exitOverride();

  const checkCommand = common(
    program
      .command('check')
      .description('explore every reachable state (breadth-first: the shortest counterexample first)')
      .argument('[spec...]', 'spec files (.ts) or folders of specs (none with --resume: the checkpoint\'s)'),
  )
    .addOption(new Option('--strategy <name>', 'search order').choices(['bfs', 'dfs']).default('bfs'))
    .option('--max-depth <n>', 'explore at most n actions from an initial state', nonNegativeInt('--max-depth'))
    .option('--max-states <n>', 'stop after n distinct states (at least 1)', atLeastOne('--max-states'))
    .option('--require-complete', 'exit 3 when a bound stopped the search before it was complete')
    .option('--no-liveness', 'check safety only: skip the liveness properties (eventually, leadsTo, alwaysEventually, eventuallyAlways)')
    .option('--ignore-expect', "ignore the spec's declared expectation (plain exit codes)")
    .option('--bail', 'stop at the first spec that fails (the others are reported as not checked)')
    .option('--jobs <n>', 'check this many specs in parallel (default: the number of cores)', atLeastOne('--jobs'))
    .option(
      '--workers <n>',
      'shard threads searching one spec, of any kind: the same states and trace as one thread (default 1; at most 4 per core)',
      atLeastOne('--workers'),
    )
    .option('--cluster <url>', 'search on worker processes joined through a Redis server (redis://[:token@]host:port, or the token in FAULTLINE_CLUSTER_TOKEN; `faultline worker` joins; docs/cluster.md)')
    .option('--cluster-workers <n>', 'with --cluster: how many workers to wait for (each owns a shard of the states)', atLeastOne('--cluster-workers'))
    .option('--cluster-start-after <time>', 'with --cluster: start once one worker is there and this long has passed (e.g. 10s); the others take their shards over when they join (default: wait for all)', parseDuration('--cluster-start-after'))
    .option('--junit <file>', 'write a JUnit XML report (one test case per spec and per property)')
    .addOption(new Option('--annotations <format>', 'print CI annotations for failing specs').choices(['github']))
    .option('--save-trace <dir>', "write each violation's counterexample to DIR as ITF JSON (<spec>.<property>.itf.json)")
    .option('--checkpoint <dir>', 'save the search to DIR now and then, and when a bound or a signal stops it, so that --resume DIR can go on (one spec, one thread)')
    .option('--checkpoint-every <time>', 'how often to save a checkpoint (e.g. 30s, 10m, 1h; default 10m)', parseDuration('--checkpoint-every'))
    .option('--resume <dir>', "go on with the search checkpointed in DIR (same spec, params and flags; bounds may differ), saving new checkpoints there");
  addTraceOptions(checkCommand, { minimise: true }).action(async (files: string[], flags: CheckFlags) => setExit(await runCheck(files, flags)));

  const simulateCommand = common(
    program
      .command('simulate')
      .description('random walks through the state space (finds bugs fast, proves nothing)')
      .argument('<spec>', 'spec file (.ts)'),
  )
    .option('--walks <n>', 'number of random walks', nonNegativeInt('--walks'), 100)
    .option('--depth <n>', 'steps per walk', nonNegativeInt('--depth'), 100)
    .option('--seed <n>', 'random seed (same seed, same walks)', nonNegativeInt('--seed'), 1)
    .option('--cluster <url>', 'a swarm: the walks spread over worker processes joined through a Redis server (`faultline worker` joins; docs/cluster.md)')
    .option('--cluster-workers <n>', 'with --cluster: how many workers to wait for', atLeastOne('--cluster-workers'))
    .option('--shrink-states <n>', "with --cluster: the states the breadth-first search that shrinks the violating walk may visit (default 200,000; 0: only cut the walk's loops)", nonNegativeInt('--shrink-states'));
  addTraceOptions(simulateCommand, { minimise: false }).action(async (file: string, flags: SimulateFlags) => setExit(await runSimulateCommand(file, flags, progressPrinter(flags.progress ?? false))));

  program
    .command('worker')
    .description('join a cluster as one shard of a search (check --cluster URL coordinates it; docs/cluster.md)')
    .argument('<spec>', 'the spec file the coordinator checks (refused if it differs)')
    .requiredOption('--cluster <url>', 'the Redis server of the cluster (redis://[:token@]host:port, or the token in FAULTLINE_CLUSTER_TOKEN)')
    .action(async (file: string, flags: { cluster: string }) =>
      setExit(await runWorker({ url: flags.cluster, file, note: (line) => process.stderr.write(`faultline worker: ${line}\n`) })),
    );

  addReplayCommand(program, setExit);
  addExploreCommand(program, setExit);
  addInitCommand(program, setExit);

  program
    .command('list')
    .description("print a spec's params, actions and properties")
    .argument('<spec>', 'spec file (.ts)')
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--json', 'print JSON')
    .option('--call-timeout <seconds>', "the longest loading the spec or one call of its code may run before it is a spec error (default 10; module load at least 5)", positiveSeconds('--call-timeout'))
    .option('--load-timeout <seconds>', 'the longest loading the spec module (transpiling it and running its top-level code) may take before it is a spec error (default: --call-timeout, at least 5)', positiveSeconds('--load-timeout'))
    .action(async (file: string, flags: { typecheck: boolean; json?: boolean; callTimeout?: number; loadTimeout?: number }) => setExit(await runListCommand(file, flags)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  commandStartedAt = Date.now();
  let code = 0;
  const program = buildProgram((c) => (code = c));
  const verbose = argv.includes('--verbose');
  // Until a command takes signals over (check, and the spec threads of simulate, list
  // and replay), SIGINT/SIGTERM exit at once with 130 / 143.
  const early = earlySignal();
  if (early !== undefined && argv[2] !== 'check') return signalExit(early);
  onSignal((sig) => process.exit(signalExit(sig)));
  // explore runs the spec's code on this thread, and answers signals itself.
  if (argv[2] === 'explore') releaseSignals();
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; everything else commander rejects is usage.
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : EXIT.error;
    }
    if (e instanceof UsageError || isSpecError(e)) {
      const err = e as Error & { file?: string };
      process.stderr.write(`faultline: ${err.message}\n`);
      if (verbose) process.stderr.write(`${err.stack}\n`);
      return EXIT.error;
    }
    process.stderr.write(`faultline: internal error (a bug in faultline, please report it): ${e instanceof Error ? e.message : String(e)}\n`);
    if (verbose || !(e instanceof Error)) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    else process.stderr.write('run again with --verbose for the stack trace\n');
    return 70;
  }
}
