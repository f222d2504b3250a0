// The faultline command line: check, simulate, list. Exit codes follow the design
// brief: 0 holds (or expectation met), 1 violation (or expectation not met),
// 2 spec or usage error, 3 incomplete with --require-complete; 130 / 143 when
// SIGINT / SIGTERM stopped a check (after printing and writing the partial reports).
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { isSpecError } from '../core/errors.js';
import { UsageError, parseAssignments } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import { simulate, type SimulateResult } from '../explore/check.js';
import type { CheckResult, Stats } from '../explore/types.js';
import { EXIT, combineExitCodes, simulateExitCode } from './exit-codes.js';
import { StopFlag, defaultJobs, errorResultFor, runJobs, type JobOutcome, type JobSettings } from './jobs.js';
import { atLeastOne, collect, nonNegativeInt, parseFaults, parseSize } from './flags.js';
import { loadSpec } from '../spec-file/load.js';
import { isSpecFileName } from '../spec-file/format.js';
import { githubAnnotations } from './report/annotations.js';
import { toJsonReport } from './report/json.js';
import { junitReport, type JUnitOptions } from './report/junit.js';
import { renderSummary } from './report/summary.js';
import { colorWanted, paramsText, renderResult, type TextReportOptions } from './report/text.js';
import { writeSavedTrace } from './save-trace.js';
import { addReplayCommand } from './replay.js';
import { addExploreCommand } from '../explorer/command.js';
import { addInitCommand } from './init.js';
import { addTraceOptions, traceProducts, traceSettingsFrom, type TraceFlags } from './report/trace-outputs.js';

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
  junit?: string;
  annotations?: 'github';
  saveTrace?: string;
}

interface SimulateFlags extends CommonFlags, TraceFlags {
  walks: number;
  depth: number;
  seed: number;
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
      `progress${label ? ` ${label}` : ''}: ${s.generatedStates.toLocaleString('en-US')} generated, ${s.distinctStates.toLocaleString('en-US')} distinct, queue ${s.queueSize.toLocaleString('en-US')}, depth ${s.depth}, ${s.statesPerSecond.toLocaleString('en-US')} states/s, ${(s.durationMs / 1000).toFixed(1)} s\n`,
    );
}

function write(results: (CheckResult | SimulateResult)[], flags: CommonFlags, text: Partial<TextReportOptions> = {}): void {
  if (flags.json) {
    const docs = results.map(toJsonReport);
    process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : { results: docs }, null, 2) + '\n');
    return;
  }
  const color = colorWanted();
  process.stdout.write(results.map((r) => renderResult(r, { color, coverage: flags.coverage, ...text })).join('\n'));
}

/** Several specs are type-checked in one compiler run: the libraries are checked once. */
async function typecheckTogether(files: readonly string[]): Promise<Record<string, string>> {
  const { typecheckSpecs, typeErrorMessage } = await import('../spec-file/typecheck.js');
  const out: Record<string, string> = {};
  for (const [file, errors] of typecheckSpecs(files)) out[file] = errors.length ? typeErrorMessage(file, errors) : '';
  return out;
}

/**
 * Search threads per spec unless --workers says: the cores that the specs checked side
 * by side (--jobs) leave to each, so one long check uses every core and several do not
 * ask for more threads than there are cores.
 */
function defaultWorkers(specs: number, jobs: number): number {
  return Math.max(1, Math.floor(defaultJobs() / Math.max(1, Math.min(specs, jobs))));
}

async function runCheck(files: string[], flags: CheckFlags): Promise<number> {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const faults = parseFaults(flags.faults);
  const specFiles = expandSpecPaths(files);
  if (specFiles.length === 0) throw new UsageError(`no spec files (.ts, .mts, .cts, .js, .mjs, .cjs) found in ${files.join(', ')}`);
  const color = colorWanted();
  const requireComplete = flags.requireComplete ?? false;
  const settings: JobSettings = {
    params,
    faults,
    strategy: flags.strategy,
    maxDepth: flags.maxDepth,
    maxStates: flags.maxStates,
    maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
    maxMemoryBytes: flags.maxMemory,
    deadlock: flags.deadlock,
    symmetry: flags.symmetry,
    liveness: flags.liveness,
    workers: flags.workers ?? defaultWorkers(specFiles.length, flags.jobs ?? defaultJobs()),
    ignoreExpect: flags.ignoreExpect,
    typecheck: flags.typecheck,
    typeErrors: flags.typecheck && specFiles.length > 1 ? await typecheckTogether(specFiles) : undefined,
    progress: flags.progress ?? process.stderr.isTTY === true,
    color,
    coverage: flags.coverage,
    requireComplete,
    saveTrace: flags.saveTrace !== undefined,
    trace: traceSettingsFrom(flags, specFiles.length > 1),
  };
  const many = specFiles.length > 1;
  const printProgress = progressPrinter(settings.progress);

  // The search runs in a worker, so the main thread hears a signal at once: the first
  // one stops every running search (each returns its partial result), a second one
  // exits without waiting.
  const stop = new StopFlag();
  let signal: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (signal !== undefined) {
      process.stderr.write(`faultline: ${sig} again: exiting without the reports\n`);
      process.exit(sig === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint);
    }
    signal = sig;
    stop.raise();
    process.stderr.write(`\nfaultline: ${sig}: stopping; the statistics so far and the requested reports follow (${sig} again exits at once)\n`);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const started = Date.now();
    let printed = 0;
    const report = await runJobs(specFiles, settings, {
      jobs: flags.jobs ?? defaultJobs(),
      bail: flags.bail,
      stop,
      onProgress: printProgress && ((_i, file, stats) => printProgress(stats, many ? path.relative(process.cwd(), file) : undefined)),
      onOutcome: (o) => {
        let saved = '';
        if (flags.saveTrace !== undefined) saved = saveTrace(flags.saveTrace, o);
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
    } else if (many) {
      const entries = outcomes.map((o) => ({ result: o.result, requireComplete }));
      process.stdout.write('\n' + renderSummary(entries, { color, notChecked, elapsedMs: Date.now() - started }));
    }
    if (flags.junit !== undefined) writeJUnit(flags.junit, outcomes, notChecked, requireComplete, flags.deadlock ?? false);
    if (flags.annotations === 'github') {
      const lines = githubAnnotations(outcomes.map((o) => ({ result: o.result, rendered: o.plain, requireComplete })));
      // Workflow commands are read from either stream; keep stdout a pure JSON document.
      if (lines.length) (flags.json ? process.stderr : process.stdout).write(lines.join('\n') + '\n');
    }
    if (signal) return signal === 'SIGTERM' ? EXIT.sigterm : EXIT.sigint;
    return combineExitCodes(outcomes.map((o) => o.exit));
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** --save-trace: writes the outcome's counterexample; returns the line to print under its report. */
function saveTrace(dir: string, o: JobOutcome): string {
  const v = o.result.violation;
  if (o.itfError !== undefined && v) {
    process.stderr.write(`faultline: the trace of ${o.result.spec} (${v.property}) cannot be saved as ITF: ${o.itfError}\n`);
    return '';
  }
  if (o.itf === undefined || !v) return '';
  const file = writeSavedTrace(dir, o.result.spec, v.property, o.itf);
  return `counterexample saved to ${path.relative(process.cwd(), file)}\n`;
}

function writeJUnit(file: string, outcomes: readonly JobOutcome[], notChecked: JUnitOptions['notChecked'], requireComplete: boolean, deadlock: boolean): void {
  const xml = junitReport(
    outcomes.map((o) => ({ result: o.result, rendered: o.plain, properties: o.properties, requireComplete, deadlock })),
    { notChecked },
  );
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, xml);
  } catch (e) {
    throw new UsageError(`cannot write the JUnit report to ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function runSimulate(file: string, flags: SimulateFlags): Promise<number> {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  let result: SimulateResult;
  let traced: ReturnType<typeof traceProducts<SimulateResult>> | undefined;
  try {
    const spec = await loadSpec(file, { typecheck: flags.typecheck });
    result = simulate(spec, {
      params,
      faults: parseFaults(flags.faults),
      walks: flags.walks,
      depth: flags.depth,
      seed: flags.seed,
      maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
      maxMemoryBytes: flags.maxMemory,
      deadlock: flags.deadlock,
      symmetry: flags.symmetry,
      file,
      onProgress: progressPrinter(flags.progress ?? false),
    });
    traced = traceProducts(spec, result, traceSettingsFrom(flags));
    for (const e of traced.errors) process.stderr.write(`faultline: ${e}\n`);
  } catch (e) {
    const r = errorResultFor(file, e);
    result = { ...r, verdict: 'error', seed: flags.seed, walks: flags.walks };
  }
  write([result], flags, traced?.text);
  if (!flags.json && traced?.notices.length) process.stdout.write(traced.notices.join('\n') + '\n');
  return simulateExitCode(result);
}

async function runList(file: string, flags: { typecheck: boolean; json?: boolean }): Promise<number> {
  const spec = await loadSpec(file, { typecheck: flags.typecheck });
  const d = spec.describe();
  const info = { spec: spec.name, kind: spec.kind, params: spec.params, expect: spec.expect ?? null, ...d };
  if (flags.json) {
    process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    return 0;
  }
  const lines = [`${spec.name} (${spec.kind} spec)`];
  const section = (title: string, items: readonly string[]) => lines.push(`${title}: ${items.length ? items.join(', ') : '(none)'}`);
  lines.push(`params: ${Object.keys(spec.params).length ? paramsText(spec.params) : '(none)'}`);
  section('actions', d.actions);
  section('invariants', d.invariants);
  section('action properties', d.actionProperties);
  section('sometimes', d.sometimes);
  if (d.liveness?.length) section('liveness', d.liveness);
  if (spec.expect) lines.push(`expect: ${spec.expect === 'holds' ? 'holds' : `violates ${spec.expect.violates}`}`);
  for (const [k, v] of Object.entries(d.extra ?? {})) lines.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function common(cmd: Command): Command {
  return cmd
    .option('-p, --param <name=value>', 'override a spec param (repeatable; lists are comma-separated)', collect)
    .option('--faults <name=n,...>', 'override fault budgets of a protocol spec, e.g. drop=2,crash=0', collect)
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--max-time <seconds>', 'stop after this many seconds', nonNegativeInt('--max-time'))
    .option('--max-memory <size>', 'stop cleanly when resident memory reaches this (e.g. 2g, 512m)', parseSize)
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
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();

  const checkCommand = common(
    program
      .command('check')
      .description('explore every reachable state (breadth-first: the shortest counterexample first)')
      .argument('<spec...>', 'spec files (.ts) or folders of specs'),
  )
    .addOption(new Option('--strategy <name>', 'search order').choices(['bfs', 'dfs']).default('bfs'))
    .option('--max-depth <n>', 'explore at most n actions from an initial state', nonNegativeInt('--max-depth'))
    .option('--max-states <n>', 'stop after n distinct states', nonNegativeInt('--max-states'))
    .option('--require-complete', 'exit 3 when a bound stopped the search before it was complete')
    .option('--no-liveness', 'check safety only: skip the liveness properties (eventually, leadsTo, alwaysEventually, eventuallyAlways)')
    .option('--ignore-expect', "ignore the spec's declared expectation (plain exit codes)")
    .option('--bail', 'stop at the first spec that fails (the others are reported as not checked)')
    .option('--jobs <n>', 'check this many specs in parallel, each single-threaded (default: the number of cores)', atLeastOne('--jobs'))
    .option(
      '--workers <n>',
      'search threads for a packed spec: the same states and trace as one thread (default: the cores, shared among --jobs)',
      atLeastOne('--workers'),
    )
    .option('--junit <file>', 'write a JUnit XML report (one test case per spec and per property)')
    .addOption(new Option('--annotations <format>', 'print CI annotations for failing specs').choices(['github']))
    .option('--save-trace <dir>', "write each violation's counterexample to DIR as ITF JSON (<spec>.<property>.itf.json)");
  addTraceOptions(checkCommand, { minimise: true }).action(async (files: string[], flags: CheckFlags) => setExit(await runCheck(files, flags)));

  const simulateCommand = common(
    program
      .command('simulate')
      .description('random walks through the state space (finds bugs fast, proves nothing)')
      .argument('<spec>', 'spec file (.ts)'),
  )
    .option('--walks <n>', 'number of random walks', nonNegativeInt('--walks'), 100)
    .option('--depth <n>', 'steps per walk', nonNegativeInt('--depth'), 100)
    .option('--seed <n>', 'random seed (same seed, same walks)', nonNegativeInt('--seed'), 1);
  addTraceOptions(simulateCommand, { minimise: false }).action(async (file: string, flags: SimulateFlags) => setExit(await runSimulate(file, flags)));

  addReplayCommand(program, setExit);
  addExploreCommand(program, setExit);
  addInitCommand(program, setExit);

  program
    .command('list')
    .description("print a spec's params, actions and properties")
    .argument('<spec>', 'spec file (.ts)')
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: { typecheck: boolean; json?: boolean }) => setExit(await runList(file, flags)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  const verbose = argv.includes('--verbose');
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
