// The human report of a check or simulation: verdict, expectation, trace,
// statistics, coverage warnings. Plain text when colour is off.
import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult } from '../../explore/types.js';
import { sizeText, type SimulateResult, type SwarmSummary } from '../../check/check.js';
import { renderCounterexample, renderTraceSteps, type CounterexampleOptions } from '../../trace/render/counterexample.js';
import { plural } from '../../trace/model.js';

export interface TextReportOptions {
  readonly color?: boolean;
  /** Print the counterexample trace (default true): `compact` (= true), `full`, or `none` (= false). */
  readonly trace?: boolean | 'compact' | 'full' | 'none';
  /** Counterexample rendering: sequence chart, fault-minimal trace, the compiled spec (notes, node order), width. */
  readonly counterexample?: Omit<CounterexampleOptions, 'color' | 'detail' | 'origin'>;
  /** Print every action's coverage count, not only those that never fired. */
  readonly coverage?: boolean;
  /** Where the command's time went: the stats line then gives the whole (wall) time and its parts. */
  readonly timing?: Timing;
}

/** The wall time of a check and its parts (ms). */
export interface Timing {
  /** Everything: from the command's start (one spec) or the spec's job start, to the report. */
  readonly totalMs: number;
  /** The search, liveness pass included (stats.durationMs). */
  readonly searchMs: number;
  /** Type-checking (unless done beforehand or --no-typecheck: `typechecked` false) and loading the spec file. */
  readonly prepareMs?: number;
  readonly typechecked?: boolean;
  /** The fault-minimising searches, when they ran. */
  readonly minimiseMs?: number;
}

const n = (x: number) => x.toLocaleString('en-US');

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Whether stdout should be coloured: a TTY, and NO_COLOR not set. */
export function colorWanted(stream: NodeJS.WriteStream = process.stdout): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function chalkFor(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

/** `rms=3 nodes=a,b` (or `none`): params and fault budgets as given on the command line. */
export function paramsText(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  return entries.length ? entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ') : 'none';
}

export function renderResult(result: CheckResult | SimulateResult, options: TextReportOptions = {}): string {
  const c = chalkFor(options.color ?? false);
  const out: string[] = [];
  const relative = result.file ? path.relative(process.cwd(), result.file) : undefined;
  // An absolute path outside the working folder reads better as written (/dev/null, not ../../dev/null).
  const file = result.file && (!relative || (path.isAbsolute(result.file) && relative.startsWith('..'))) ? result.file : relative;
  // An error before any state was generated (the file did not load, a bad param): one
  // block — the error and where — without a params line or statistics of nothing.
  const beforeSearch = result.verdict === 'error' && result.stats.generatedStates === 0 && result.stats.distinctStates === 0;
  const title = beforeSearch && file !== undefined && path.basename(file) === result.spec ? c.bold(file) : `${c.bold(result.spec)}${file ? ` (${file})` : ''}`;
  out.push(beforeSearch && Object.keys(result.params).length === 0 ? title : `${title}  params: ${paramsText(result.params)}`);
  if (result.faults && Object.keys(result.faults).length) out.push(`fault budgets: ${paramsText(result.faults)}`);

  if ('symmetry' in result && result.symmetry) {
    out.push(
      result.symmetry.length > 0
        ? `symmetry: states equal up to renaming ${result.symmetry.map((g) => `{${g.join(', ')}}`).join(' and ')} count once`
        : c.yellow('⚠ --symmetry: the spec declares no interchangeable values; explored without reduction'),
    );
  }
  const isSim = 'seed' in result;
  switch (result.verdict) {
    case 'ok':
      out.push(
        c.green.bold(`✓ every ${'liveness' in result && result.liveness?.skipped ? 'safety ' : ''}property holds`) +
          ` on all ${n(result.stats.distinctStates)} reachable states` +
          (result.constraintInForce ? ' (within the spec constraint)' : ''),
      );
      break;
    case 'none-found':
      out.push(c.green('no violation found') + ` in ${n((result as SimulateResult).walks)} random walks (seed ${(result as SimulateResult).seed})${swarmWorkers(result)}; a simulation proves nothing`);
      break;
    case 'violation': {
      const v = result.violation!;
      const kind = { invariant: 'invariant', actionProperty: 'action property', sometimes: 'sometimes property', deadlock: 'deadlock', liveness: 'liveness property' }[v.kind];
      out.push(c.red.bold(`✗ ${kind === 'deadlock' ? 'deadlock' : `${kind} ${v.property} violated`}`) + `: ${v.message}`);
      break;
    }
    case 'incomplete':
      out.push(c.yellow.bold('⚠ INCOMPLETE') + ` — ${result.incomplete?.message ?? 'the search stopped early'}. No violation found so far; this is not a proof.`);
      break;
    case 'error':
      break;
  }
  const swarmText = isSim ? swarmLine(result as SimulateResult) : undefined;
  if (swarmText) out.push(c.dim(swarmText));

  if (result.verdict === 'error' && result.error) {
    const e = result.error;
    out.push(c.red.bold('✗ spec error') + `: ${e.message}`);
    const site = [e.file && `file ${e.file}`, e.role && `role ${e.role}`, e.handler && `handler ${e.handler}`].filter(Boolean);
    if (site.length) out.push(`  at ${site.join(', ')}`);
    if (e.trace && e.trace.length && options.trace !== false && options.trace !== 'none') {
      out.push('', c.bold(`Trace to the state where it happened (${plural(e.trace.length - 1, 'step')}):`));
      out.push(...renderTraceSteps(e.trace, { ...options.counterexample, color: c, detail: options.trace === 'full' ? 'full' : 'compact' }));
      // The step being taken when it happened, unless the trace already ends with it.
      if (e.action && e.trace[e.trace.length - 1]!.action !== e.action) out.push(`  ${c.red('✗')} while taking: ${e.action}`);
    }
  }

  const v = result.violation;
  if (v && options.trace !== false && options.trace !== 'none' && v.trace.length > 0) {
    out.push(
      ...renderCounterexample(v, {
        ...options.counterexample,
        color: c,
        detail: options.trace === 'full' ? 'full' : 'compact',
        origin: isSim ? swarmOrigin(result as SimulateResult) : result.strategy === 'bfs' ? 'shortest' : undefined,
      }),
    );
  }

  if ('expectation' in result && result.expectation) {
    const e = result.expectation;
    if (!e.met && result.verdict === 'incomplete') {
      // Not refuted, not established: exit 0 (3 with --require-complete), loudly.
      out.push('', c.yellow.bold('⚠ expectation not established') + `: ${e.message} (exit 0; --require-complete makes it exit 3)`);
    } else out.push('', (e.met ? c.green('✓ expectation met') : c.red.bold('✗ expectation not met')) + `: ${e.message}`);
  }

  const s = result.stats;
  if (beforeSearch) return out.join('\n') + '\n';
  const rate = `${n(s.statesPerSecond)} distinct states/s${'workers' in result && result.workers ? `, ${plural(result.workers, 'worker')}` : ''}`;
  const t = options.timing;
  out.push(
    '',
    `${n(s.distinctStates)} distinct states, ${n(s.generatedStates)} generated, depth ${s.depth}, ` +
      (t === undefined
        ? `${seconds(s.durationMs)} (${rate})`
        : `${seconds(Math.max(t.totalMs, t.searchMs))} in all: ` +
          [
            t.prepareMs === undefined ? undefined : `${t.typechecked === false ? 'load' : 'type-check and load'} ${seconds(t.prepareMs)}`,
            `search ${seconds(t.searchMs)} (${rate})`,
            t.minimiseMs === undefined ? undefined : `fewest-faults search ${seconds(t.minimiseMs)}`,
          ]
            .filter(Boolean)
            .join(', ')),
  );
  const l = 'liveness' in result ? result.liveness : undefined;
  if (l?.skipped) out.push(c.yellow(`⚠ liveness not checked (--no-liveness): ${l.properties.join(', ')}`));
  else if (l) out.push(c.dim(`liveness: ${l.properties.length} ${l.properties.length === 1 ? 'property' : 'properties'} on a graph of ${n(l.edges)} edges (${(l.graphBytes / 2 ** 20).toFixed(1)} MiB), pass ${seconds(l.passMs)}`));
  const cp = 'checkpoint' in result ? result.checkpoint : undefined;
  if (cp?.resumed) {
    const r = cp.resumed;
    out.push(c.dim(`resumed from ${r.dir}: ${n(r.distinctStates)} ${r.distinctStates === 1 ? 'state' : 'states'}, expanding depth ${r.depth}, after ${seconds(r.elapsedMs)} of earlier search; this run's search time and rate are its own (the checkpoint read in ${seconds(r.readMs)})`));
  }
  if (cp && cp.written > 0) {
    out.push(c.dim(`checkpoint: ${cp.written} written to ${cp.dir} (the last: ${n(cp.states)} ${cp.states === 1 ? 'state' : 'states'}, ${sizeText(cp.bytes)}; writing took ${seconds(cp.writeMs)})${result.verdict === 'incomplete' ? `; --resume ${cp.dir} goes on from it` : ''}`));
  }
  if (result.verdict !== 'error' && !isSim) {
    // Packed layouts of at most 64 bits have exact fingerprints: then it is 0.
    out.push(c.dim(s.collisionProbability === 0 && s.generatedStates > s.distinctStates ? 'fingerprint collision probability 0 (the fingerprint is the whole state)' : `fingerprint collision probability ≈ ${s.collisionProbability.toExponential(1)}`));
  }
  const never = result.coverage.filter((x) => x.count === 0);
  if (options.coverage) {
    out.push('', c.bold('Coverage (successors generated per action):'));
    for (const x of result.coverage) out.push(`  ${x.count === 0 ? c.yellow(x.action) : x.action}${x.fault ? ' (fault)' : ''}: ${n(x.count)}`);
  } else if (never.length > 0 && result.verdict !== 'error' && result.verdict !== 'violation') {
    out.push(c.yellow(`⚠ never fired: ${never.map((x) => x.action).join(', ')}`) + c.dim(' (--coverage shows all counts)'));
  }
  return out.join('\n') + '\n';
}

/** simulate --cluster: " on N workers" after "no violation found in W random walks". */
function swarmWorkers(result: CheckResult | SimulateResult): string {
  return 'swarm' in result && result.swarm !== undefined ? onWorkers(result.swarm) : '';
}

/** " on N workers", and how many left mid-swarm (the others walked their walks). */
function onWorkers(s: SwarmSummary): string {
  const lost = s.workersLost === undefined ? '' : ` (${s.workersLost} left mid-swarm: the others walked ${s.workersLost === 1 ? 'its' : 'their'} walks)`;
  return ` on ${plural(s.workers, 'worker')}${lost}`;
}

/** simulate --cluster, after the verdict: which walk found it, how many walks counted, and how its trace was shrunk. */
function swarmLine(result: SimulateResult): string | undefined {
  const s = result.swarm;
  if (s === undefined || s.walk === undefined) return undefined;
  const found = `found by walk ${n(s.walk)} of ${n(result.walks)} (seed ${result.seed}); walks 0–${n(s.walk)} counted,${onWorkers(s)}`;
  if (s.shrink === undefined || s.walkSteps === undefined) return found;
  const steps = plural(s.walkSteps, 'step');
  const how =
    s.shrink.how === 'shortest'
      ? `shrunk from the walk's ${steps} to the shortest trace by a breadth-first search (${n(s.shrink.states)} states)`
      : s.shrink.how === 'loops-cut'
        ? `shrunk from the walk's ${steps} by cutting its loops (${s.shrink.unproven}; it may not be the shortest)`
        : `the walk as it went, ${steps} (${s.shrink.unproven}; no loop to cut)`;
  return `${found}\n${how}`;
}

/** The counterexample's origin: a random walk, or the swarm's shrunk one. */
function swarmOrigin(result: SimulateResult): string {
  const how = result.swarm?.shrink?.how;
  return how === 'shortest' ? 'shortest' : how === 'loops-cut' ? 'random walk, loops cut' : 'random walk';
}
