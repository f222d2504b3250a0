// `faultline replay <spec.ts> <trace.itf.json>`: re-executes a saved trace against
// the spec (src/trace/replay.ts) and reports whether the violation reproduces
// (exit 1), the trace replays with no property failing (exit 0), or a step no
// longer fits the spec (exit 4, with that step and the difference).
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError, parseAssignments } from '../core/params.js';
import type { ParamValue } from '../core/types.js';
import type { Violation } from '../explore/types.js';
import { renderCounterexample } from '../trace/render/counterexample.js';
import { replayExitCode, replayItf, type ReplayResult } from '../trace/replay.js';
import { actionReplayExitCode, replayItfByActions } from '../trace/replay-actions.js';
import { actionReplayJson, renderActionReplay } from './replay-actions-report.js';
import { formatValue } from '../values/format.js';
import { collect, parseFaults, positiveSeconds } from './flags.js';
import { runReplayCommand } from './spec-commands.js';
import { loadCommandSpec } from './loaded-spec.js';
import { replayJson } from './report/replay-json.js';
import { chalkFor, colorWanted, paramsText } from './report/text.js';
import type { TraceDetailFlag } from './report/trace-outputs.js';
import type { Spec } from '../core/types.js';

export interface ReplayFlags {
  param?: string[];
  faults?: string[];
  typecheck: boolean;
  json?: boolean;
  deadlock?: boolean;
  trace: TraceDetailFlag;
  chart: boolean;
  verbose?: boolean;
  /** --by-actions: replay the action labels, not the states (replay-actions.ts). */
  byActions?: boolean;
}

/** The human report of a replay. */
export function renderReplay(r: ReplayResult, o: { color: boolean; specFile: string; traceFile: string; detail: TraceDetailFlag; chart: boolean; spec?: Spec }): string {
  const c = chalkFor(o.color);
  const out: string[] = [];
  const rel = (f: string) => {
    const r = path.relative(process.cwd(), path.resolve(f));
    return r === '' || r.startsWith('..') ? path.resolve(f) : r;
  };
  out.push(`${c.bold(`replay ${r.spec}`)} (${rel(o.specFile)}) ${c.dim('with')} ${rel(o.traceFile)}  params: ${paramsText(r.params)}`);
  if (r.faults) out.push(`fault budgets: ${paramsText(r.faults)}`);
  const savedFor = r.saved?.property ? (r.saved.kind === 'deadlock' ? 'a deadlock' : r.saved.property) : undefined;
  switch (r.outcome) {
    case 'reproduced': {
      const v = r.violation!;
      const what = v.kind === 'deadlock' ? 'deadlock' : `${v.kind === 'actionProperty' ? 'action property' : v.kind === 'liveness' ? 'liveness property' : 'invariant'} ${v.property} violated`;
      out.push(`${c.red.bold('✗ the violation reproduces')}: ${what} at step ${v.step}: ${v.message}`);
      if (savedFor && r.saved?.property !== v.property) out.push(c.yellow(`  (the trace was saved for ${savedFor}; now ${v.property} fails first)`));
      if (v.step < r.steps) out.push(c.dim(`  (the trace has ${r.steps} steps; it fails at step ${v.step})`));
      const violation: Violation = { property: v.property, kind: v.kind, message: v.message, trace: r.trace, loop: r.loop };
      let system;
      try {
        system = o.spec?.compile(r.params, { faults: r.faults });
      } catch {
        system = undefined;
      }
      out.push(...renderCounterexample(violation, { color: c, detail: o.detail, chart: o.chart, system, origin: 'replayed' }));
      break;
    }
    case 'passes':
      out.push(
        `${c.green.bold('✓ the trace replays')} (${r.steps} step${r.steps === 1 ? '' : 's'}) and no property fails` +
          (savedFor === undefined
            ? ''
            : r.lassoNote !== undefined
              ? `: ${savedFor}, which it was saved for, no longer happens on this trace` // a whole lasso: it cannot be cut short
              : `: the trace ends after step ${r.steps} without ${savedFor}, which it was saved for ` +
                '(the violation no longer happens here, or the file was cut short before it)'),
      );
      if (r.lassoNote) out.push(`  the saved lasso is no longer a counterexample: ${r.lassoNote}`);
      break;
    case 'diverged': {
      const d = r.divergence!;
      const step = d.action === null ? `step ${d.step}` : `step ${d.step} (${d.action})`;
      const why =
        d.reason === 'initial-state'
          ? 'the initial state is not one of the spec\'s initial states'
          : d.reason === 'not-enabled'
            ? `${step} is not enabled`
            : `${step} leads to a different state`;
      out.push(`${c.red.bold('✗ the trace no longer fits the spec')}: ${why}`);
      if (r.trace.length > 0) {
        out.push('', c.bold(`Steps that replayed (0–${r.trace.length - 1}):`));
        const w = String(r.steps).length;
        r.trace.forEach((s, i) => out.push(`  ${c.dim(String(i).padStart(w))}  ${i === 0 ? 'initial state' : s.action}`));
        out.push(`  ${c.red(String(d.step).padStart(w))}  ${c.red(d.action ?? '(no label)')}  ${c.red('✗')}`);
      }
      if (d.reason === 'not-enabled') {
        const list = d.enabled.length ? d.enabled.slice(0, 20).join(', ') + (d.enabled.length > 20 ? `, … (${d.enabled.length} in all)` : '') : 'nothing (no action is enabled)';
        out.push('', `${c.bold(`Enabled after step ${d.step - 1}`)}: ${list}`);
      } else {
        out.push('', c.bold(`Difference (the spec's state → the trace's state) at step ${d.step}:`));
        if (d.changes.length === 0) out.push('  (none)');
        for (const ch of d.changes.slice(0, 40)) {
          const field = c.cyan(ch.path.replace(/^\./, '') || '(the whole state)');
          if (ch.kind === 'added') out.push(`  ${field}: only in the trace: ${formatValue(ch.after, { maxLength: 120 })}`);
          else if (ch.kind === 'removed') out.push(`  ${field}: only in the spec: ${formatValue(ch.before, { maxLength: 120 })}`);
          else out.push(`  ${field}: ${formatValue(ch.before, { maxLength: 80 })} ${c.dim('→')} ${formatValue(ch.after, { maxLength: 80 })}`);
        }
        if (d.changes.length > 40) out.push(c.dim(`  … and ${d.changes.length - 40} more`));
      }
      break;
    }
    case 'error':
      out.push(`${c.red.bold('✗ cannot replay')}: ${r.error?.message ?? 'unknown error'}`);
      if (r.error?.role || r.error?.handler) out.push(`  at ${[r.error.role && `role ${r.error.role}`, r.error.handler && `handler ${r.error.handler}`].filter(Boolean).join(', ')}`);
      break;
  }
  return out.join('\n') + '\n';
}

export async function runReplay(specFile: string, traceFile: string, flags: ReplayFlags): Promise<number> {
  const params = parseAssignments(flags.param ?? [], 'param') as Record<string, ParamValue>;
  const faults = parseFaults(flags.faults);
  let text: string;
  try {
    text = fs.readFileSync(traceFile, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the trace ${traceFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const spec = await loadCommandSpec(specFile, { typecheck: flags.typecheck });
  if (flags.byActions) {
    const a = replayItfByActions(spec, text, { params, faults, deadlock: flags.deadlock });
    if (flags.json) process.stdout.write(JSON.stringify(actionReplayJson(a, specFile, traceFile), null, 2) + '\n');
    else process.stdout.write(renderActionReplay(a, { color: colorWanted(), specFile, traceFile, detail: flags.trace, chart: flags.chart, spec }));
    return actionReplayExitCode(a);
  }
  const r = replayItf(spec, text, { params, faults, deadlock: flags.deadlock });
  if (flags.json) process.stdout.write(JSON.stringify(replayJson(r, specFile, traceFile), null, 2) + '\n');
  else process.stdout.write(renderReplay(r, { color: colorWanted(), specFile, traceFile, detail: flags.trace, chart: flags.chart, spec }));
  return replayExitCode(r);
}

/** Adds `replay` to the program. */
export function addReplayCommand(program: Command, setExit: (code: number) => void): Command {
  return program
    .command('replay')
    .description('re-execute a saved trace (ITF JSON) against a spec: exit 1 if the violation reproduces, 0 if it replays without one, 4 if it no longer fits')
    .argument('<spec>', 'spec file (.ts); or a folder of saved traces, each replayed against the spec its "#meta".source names')
    .argument('[trace]', 'trace file (.itf.json), e.g. written by --trace-out or --save-trace')
    .option('-p, --param <name=value>', "override a param (default: the trace's params)", collect)
    .option('--faults <name=n,...>', "override fault budgets (default: the trace's)", collect)
    .option('--no-typecheck', 'skip type-checking the spec file')
    .option('--deadlock', 'a final state with no enabled action is a violation (default: when the trace was saved for a deadlock)')
    .addOption(new Option('--trace <detail>', 'how to print the reproduced trace').choices(['compact', 'full', 'none']).default('compact'))
    .option('--no-chart', 'omit the message sequence chart')
    .option('--by-actions', "replay the trace's action labels (with their arguments), not its states: exit 1 if the violation still happens, 0 if the spec blocks the run or the property holds along it")
    .option('--json', 'print one JSON document')
    .option('--verbose', 'print internal stack traces on errors')
    .option('--call-timeout <seconds>', "the longest one call of the spec's code may run before it is a spec error (default 10; module load at least 5)", positiveSeconds('--call-timeout'))
    .option('--load-timeout <seconds>', 'the longest loading the spec module (transpiling it and running its top-level code) may take before it is a spec error (default: --call-timeout, at least 5)', positiveSeconds('--load-timeout'))
    // In a spec thread (spec-commands.ts): signals and a spec that never returns end it.
    .action(async (spec: string, trace: string | undefined, flags: ReplayFlags) => {
      if (trace === undefined && flags.byActions) throw new UsageError('--by-actions replays one trace file: faultline replay <spec> <trace.itf.json> --by-actions');
      setExit(await runReplayCommand(spec, trace, flags));
    });
}
