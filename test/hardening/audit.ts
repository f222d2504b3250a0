// The bad-input audit of issue 19, rerunnable: a representative set of inputs from each
// class the audit tried (bad spec files, bad flags, signals, unwritable outputs,
// corrupted traces, checkpoints, repeated runs, bad library calls), each run through the built CLI
// (or the library), and classified:
//   clean    the documented exit code for that input, a message that names the
//            problem, and no stack trace (a Node/V8 trace or an "internal error");
//   problem  anything else (the reason is printed).
// It prints one line per input and the tally. Not a vitest file: it is an audit to
// rerun and read (several minutes of CLI runs), not a pass/fail gate; the behaviours
// themselves are pinned by the *.test.ts files next to it.
//
//   npm run build && npx tsx test/hardening/audit.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { faultline, root } from '../cli/run.js';
import { runAndSignal } from './spawn.js';
import { check, simulate } from '../../src/index.js';

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Input {
  readonly cls: string;
  readonly name: string;
  readonly run: () => Outcome | Promise<Outcome>;
  /** The documented exit codes for this input. */
  readonly codes: readonly number[];
  /** What the output must say (the problem named); omitted for inputs that succeed. */
  readonly says?: RegExp;
  /** Extra condition (reports written, same output twice...): a reason when it fails. */
  readonly also?: (o: Outcome) => string | undefined;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-audit-'));
const F = 'test/fixtures/hardening';
const B = 'test/fixtures/bad';
const cli = (...args: string[]) => () => faultline(args);
const cliEnv = (env: Record<string, string>, ...args: string[]) => () => faultline(args, env);
const signalled = (signal: NodeJS.Signals, when: RegExp, ...args: string[]) => async (): Promise<Outcome> => {
  const r = await runAndSignal(args, signal, when, 60_000, 'any');
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
};
/** A library call: exit 0 if it returned, 2 if it threw a UsageError/SpecError, 70 otherwise (a raw TypeError...). */
const lib = (call: () => unknown) => (): Outcome => {
  try {
    call();
    return { code: 0, stdout: 'returned', stderr: '' };
  } catch (e) {
    const err = e as Error;
    const clean = err?.name === 'UsageError' || err?.name === 'SpecError';
    return { code: clean ? 2 : 70, stdout: '', stderr: `${err?.name}: ${err?.message}\n${clean ? '' : err?.stack ?? ''}` };
  }
};
const file = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const exists = (p: string) => (o: Outcome) => (fs.existsSync(p) ? undefined : `${p} was not written (exit ${o.code})`);
const isJson = (o: Outcome) => {
  try {
    JSON.parse(o.stdout);
    return undefined;
  } catch {
    return 'stdout is not one JSON document';
  }
};
const sameTwice = (args: string[]) => (): Outcome => {
  const strip = (s: string) => s.replace(/\d+(\.\d+)? s\b|\d[\d,]* distinct states\/s|\d+ms/g, '#');
  const a = faultline(args);
  const b = faultline(args);
  const same = strip(a.stdout) === strip(b.stdout) && a.code === b.code;
  return { code: same ? a.code : -1, stdout: a.stdout, stderr: same ? a.stderr : `the two runs differ (exit ${a.code} / ${b.code})` };
};

// A saved trace to corrupt, and a folder with none.
const goodTrace = path.join(tmp, 'diehard.itf.json');
faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--trace-out', goodTrace]);
const itf = JSON.parse(fs.readFileSync(goodTrace, 'utf8')) as { states: unknown[] };
const emptyFolder = path.join(tmp, 'no-traces');
fs.mkdirSync(emptyFolder);
const aFile = file('a-file', 'x');
// A one-thread search's checkpoint, and a damaged one.
const oneThread = path.join(tmp, 'cp-one-thread');
faultline(['check', 'specs/two-phase.ts', '-p', 'rms=3', '--no-liveness', '--no-typecheck', '--max-states', '100', '--checkpoint', oneThread]);
const damaged = path.join(tmp, 'cp-damaged');
fs.mkdirSync(damaged);
fs.writeFileSync(path.join(damaged, 'checkpoint.fl'), 'FAULTLINE-CHECKPOINT 1\n\u0007');

const inputs: Input[] = [
  // Bad spec files.
  { cls: 'spec file', name: 'no such file', run: cli('check', 'specs/nope.ts'), codes: [2], says: /nope\.ts/ },
  { cls: 'spec file', name: '/dev/null', run: cli('check', '/dev/null'), codes: [2], says: /\/dev\/null/ },
  { cls: 'spec file', name: 'a folder with no specs', run: cli('check', emptyFolder), codes: [2], says: /no spec files/ },
  { cls: 'spec file', name: 'syntax error', run: cli('check', `${B}/syntax-error.ts`), codes: [2], says: /syntax-error\.ts/ },
  { cls: 'spec file', name: 'type error', run: cli('check', `${B}/type-error.ts`), codes: [2], says: /type-error\.ts:\d+/ },
  { cls: 'spec file', name: 'no default export', run: cli('check', `${B}/no-default.ts`, '--no-typecheck'), codes: [2], says: /default/ },
  { cls: 'spec file', name: 'default export not a spec', run: cli('check', `${B}/not-a-spec.ts`, '--no-typecheck'), codes: [2], says: /spec/ },
  { cls: 'spec file', name: 'throws on load', run: cli('check', `${B}/throws-on-load.ts`, '--no-typecheck'), codes: [2], says: /throws-on-load/ },
  { cls: 'spec file', name: 'action throws', run: cli('check', `${B}/action-throws.ts`, '--no-typecheck'), codes: [2], says: /handler|action/ },
  { cls: 'spec file', name: 'typo in a key (--no-typecheck)', run: cli('check', `${B}/typo-key.ts`, '--no-typecheck'), codes: [2], says: /unknown key|did you mean/i },
  { cls: 'spec file', name: 'throw Object.create(null)', run: cli('check', `${F}/throws-null-proto.ts`, '--no-typecheck'), codes: [2], says: /threw/ },
  { cls: 'spec file', name: 'symmetry returns 5', run: cli('check', `${F}/symmetry-five.ts`, '--no-typecheck', '--symmetry'), codes: [2], says: /symmetry/ },
  { cls: 'spec file', name: 'a getter that throws', run: cli('check', `${F}/getter-throws.ts`, '--no-typecheck'), codes: [2], says: /getter-throws/ },
  { cls: 'spec file', name: 'action loops (--call-timeout 1)', run: cli('check', `${F}/loops-in-action.ts`, '--no-typecheck', '--call-timeout', '1', '--load-timeout', '120'), codes: [2], says: /action Send\(2\) ran longer than 1 s/ },
  { cls: 'spec file', name: 'top level loops', run: cli('check', `${F}/loops-on-load.ts`, '--no-typecheck', '--load-timeout', '3'), codes: [2], says: /loading the spec module/ },
  { cls: 'spec file', name: 'nondeterministic (Math.random)', run: cli('check', `${F}/random-action.ts`, '--no-typecheck'), codes: [0, 2], says: /Math\.random|nondeterministic/ },
  { cls: 'spec file', name: 'state kept outside the spec', run: cli('check', `${F}/counter-invariant.ts`, '--no-typecheck'), codes: [2], says: /nondeterministic/ },
  { cls: 'spec file', name: 'heap exhausted (-p width=5000)', run: cli('check', `${F}/heap-hog.ts`, '--no-typecheck', '-p', 'width=5000', '--max-memory', '256m'), codes: [2], says: /ran out of memory \(params width=5000/ },
  {
    cls: 'spec file',
    name: 'one allocation V8 aborts on, beside another spec',
    run: cliEnv({ NODE_OPTIONS: '--max-old-space-size=300' }, 'check', `${F}/one-huge-allocation.ts`, 'specs/diehard.ts', '--jobs', '1', '--no-typecheck', '--max-memory', '2g', '--json'),
    codes: [2],
    says: /ran out of memory/,
    also: (o) => isJson(o) ?? (o.stdout.includes('"spec": "diehard"') ? undefined : 'diehard missing from the JSON'),
  },
  { cls: 'spec file', name: '-p rms=100000000 (--max-memory 400m)', run: cli('check', 'specs/two-phase.ts', '-p', 'rms=100000000', '--no-typecheck', '--max-memory', '400m'), codes: [2], says: /rms=100000000/ },

  // Bad flags.
  { cls: 'flag', name: 'unknown param', run: cli('check', 'specs/diehard.ts', '-p', 'nope=1', '--no-typecheck'), codes: [2], says: /unknown param "nope"/ },
  { cls: 'flag', name: '-p goal=2.5', run: cli('check', 'specs/diehard.ts', '-p', 'goal=2.5', '--no-typecheck'), codes: [2], says: /integer/ },
  { cls: 'flag', name: '-p without =', run: cli('check', 'specs/diehard.ts', '-p', 'goal', '--no-typecheck'), codes: [2], says: /goal/ },
  { cls: 'flag', name: 'repeated -p (check)', run: cli('check', 'specs/diehard.ts', '-p', 'goal=3', '-p', 'goal=4'), codes: [2], says: /more than once/ },
  { cls: 'flag', name: 'repeated -p (simulate)', run: cli('simulate', 'specs/diehard.ts', '-p', 'goal=3', '-p', 'goal=4'), codes: [2], says: /more than once/ },
  { cls: 'flag', name: 'repeated -p (replay)', run: cli('replay', 'specs/diehard.ts', goodTrace, '-p', 'goal=3', '-p', 'goal=4'), codes: [2], says: /more than once/ },
  { cls: 'flag', name: '--max-states 0', run: cli('check', 'specs/diehard.ts', '--max-states', '0'), codes: [2], says: /--max-states/ },
  { cls: 'flag', name: '--max-depth -1', run: cli('check', 'specs/diehard.ts', '--max-depth', '-1'), codes: [2], says: /--max-depth/ },
  { cls: 'flag', name: '--jobs 0', run: cli('check', 'specs/diehard.ts', '--jobs', '0'), codes: [2], says: /--jobs/ },
  { cls: 'flag', name: '--workers 0', run: cli('check', 'specs/diehard.ts', '--workers', '0'), codes: [2], says: /--workers/ },
  { cls: 'flag', name: '--max-time abc', run: cli('check', 'specs/diehard.ts', '--max-time', 'abc'), codes: [2], says: /--max-time/ },
  { cls: 'flag', name: '--max-memory 1k', run: cli('check', 'specs/two-phase.ts', '-p', 'rms=5', '--max-memory', '1k', '--no-typecheck'), codes: [0], says: /memory bound \(--max-memory 1 KiB\)/ },
  { cls: 'flag', name: '--call-timeout 0', run: cli('check', 'specs/diehard.ts', '--call-timeout', '0'), codes: [2], says: /--call-timeout/ },
  { cls: 'flag', name: '--load-timeout -1', run: cli('check', 'specs/diehard.ts', '--load-timeout', '-1'), codes: [2], says: /--load-timeout/ },
  { cls: 'flag', name: '--strategy bogus', run: cli('check', 'specs/diehard.ts', '--strategy', 'bogus'), codes: [2], says: /bogus/ },
  { cls: 'flag', name: '--minimise bogus', run: cli('check', 'specs/diehard.ts', '--minimise', 'bogus'), codes: [2], says: /bogus/ },
  { cls: 'flag', name: '--faults on a core spec', run: cli('check', 'specs/diehard.ts', '--faults', 'drop=1', '--no-typecheck'), codes: [2], says: /--faults/ },
  { cls: 'flag', name: 'unknown flag', run: cli('check', 'specs/diehard.ts', '--frobnicate'), codes: [2], says: /frobnicate/ },
  { cls: 'flag', name: 'explore --port 99999', run: cli('explore', 'specs/diehard.ts', '--port', '99999'), codes: [2], says: /--port/ },
  { cls: 'flag', name: 'replay --by-actions of a folder', run: cli('replay', tmp, '--by-actions'), codes: [2], says: /--by-actions/ },

  // Signals.
  {
    cls: 'signal',
    name: 'SIGINT during a search (--json --junit)',
    run: signalled('SIGINT', /progress/, 'check', 'specs/two-phase.ts', 'specs/diehard.ts', '-p', 'rms=9', '--jobs', '1', '--progress', '--no-typecheck', '--json', '--junit', path.join(tmp, 'int.xml')),
    codes: [130],
    says: /"interrupted": "SIGINT"/,
    also: exists(path.join(tmp, 'int.xml')),
  },
  {
    cls: 'signal',
    name: 'SIGTERM while type-checking two specs',
    run: signalled('SIGTERM', /type-checking 2 spec files/, 'check', 'specs/diehard.ts', 'specs/two-phase.ts', '--verbose', '--json', '--junit', path.join(tmp, 'term.xml')),
    codes: [143],
    says: /notChecked/,
    also: exists(path.join(tmp, 'term.xml')),
  },
  { cls: 'signal', name: 'SIGTERM while an action spins', run: signalled('SIGTERM', /entering the loop/, 'check', `${F}/loops-announced.ts`, '--no-typecheck', '--json'), codes: [143], says: /not ?checked|interrupted/i },
  { cls: 'signal', name: 'SIGINT: simulate spinning', run: signalled('SIGINT', /entering the loop/, 'simulate', `${F}/loops-announced.ts`, '--no-typecheck'), codes: [130], says: /SIGINT/ },
  { cls: 'signal', name: 'SIGINT: list at the top level', run: signalled('SIGINT', /entering the loop/, 'list', `${F}/loops-on-load-announced.ts`, '--no-typecheck'), codes: [130], says: /SIGINT/ },
  { cls: 'signal', name: 'SIGTERM: explore', run: signalled('SIGTERM', /Ctrl-C stops the server/, 'explore', 'specs/diehard.ts', '--port', '0', '--no-typecheck'), codes: [143], says: /explore/ },

  // Unwritable outputs.
  { cls: 'output', name: '--junit under /proc', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--junit', '/proc/x.xml'), codes: [2], says: /--junit \/proc\/x\.xml/ },
  { cls: 'output', name: '--save-trace onto a file', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--save-trace', aFile), codes: [2], says: /--save-trace/ },
  { cls: 'output', name: '--save-trace through a file', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--save-trace', path.join(aFile, 'x')), codes: [2], says: /--save-trace/ },
  { cls: 'output', name: '--trace-out /dev/full', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--trace-out', '/dev/full'), codes: [2], says: /--trace-out/ },
  { cls: 'output', name: '--html under /sys', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--html', '/sys/x.html'), codes: [2], says: /--html/ },
  { cls: 'output', name: '--mermaid through a file', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--mermaid', path.join(aFile, 'x.mmd')), codes: [2], says: /--mermaid/ },
  { cls: 'output', name: 'simulate --mermaid /dev/full', run: cli('simulate', 'specs/diehard.ts', '--no-typecheck', '--mermaid', '/dev/full'), codes: [2], says: /--mermaid/ },

  // Corrupted traces.
  { cls: 'trace', name: 'not JSON', run: cli('replay', 'specs/diehard.ts', file('bad.itf.json', '{ nope'), '--no-typecheck'), codes: [2], says: /JSON/ },
  { cls: 'trace', name: 'no states', run: cli('replay', 'specs/diehard.ts', file('nostates.itf.json', JSON.stringify({ ...itf, states: undefined })), '--no-typecheck'), codes: [2], says: /states/ },
  { cls: 'trace', name: 'cut to its first steps', run: cli('replay', 'specs/diehard.ts', file('cut.itf.json', JSON.stringify({ ...itf, states: itf.states.slice(0, 3) })), '--no-typecheck'), codes: [0], says: /before|ends/ },
  { cls: 'trace', name: 'a state that does not fit', run: cli('replay', 'specs/diehard.ts', file('wrong.itf.json', JSON.stringify({ ...itf, states: [itf.states[0], { '#meta': { index: 1 }, big: 9, small: 9 }] })), '--no-typecheck'), codes: [4], says: /no longer fits|not enabled|leads elsewhere/ },
  { cls: 'trace', name: 'a trace of another spec', run: cli('replay', 'specs/two-phase.ts', goodTrace, '--no-typecheck'), codes: [2, 4], says: /two-phase|diehard|fit/ },
  { cls: 'trace', name: 'no such trace', run: cli('replay', 'specs/diehard.ts', path.join(tmp, 'none.itf.json'), '--no-typecheck'), codes: [2], says: /cannot read the trace/ },
  { cls: 'trace', name: 'a folder with no traces', run: cli('replay', emptyFolder), codes: [2], says: /no saved traces|no .*traces/ },

  // Checkpoints (--checkpoint, --resume), with and without workers.
  { cls: 'checkpoint', name: '--checkpoint onto a file', run: cli('check', 'specs/diehard.ts', '--no-typecheck', '--checkpoint', aFile), codes: [2], says: /--checkpoint/ },
  { cls: 'checkpoint', name: '--resume of a damaged checkpoint', run: cli('check', '--resume', damaged, '--no-typecheck'), codes: [2], says: /checkpoint/ },
  { cls: 'checkpoint', name: '--resume with other params', run: cli('check', '--resume', oneThread, '-p', 'rms=4', '--no-typecheck'), codes: [2], says: /params: the checkpoint has/ },
  { cls: 'checkpoint', name: "--resume --workers 2 of a one-thread search's checkpoint", run: cli('check', '--resume', oneThread, '--workers', '2', '--no-typecheck'), codes: [2], says: /state layout/ },
  {
    cls: 'checkpoint',
    name: 'SIGINT in a search with --workers 2 --checkpoint',
    run: signalled('SIGINT', /level shared by 2 workers/, 'check', 'specs/two-phase.packed.ts', '-p', 'rms=8', '--workers', '2', '--progress', '--no-typecheck', '--checkpoint', path.join(tmp, 'cp-int')),
    codes: [130],
    says: /checkpoint: \d+ written/,
    also: exists(path.join(tmp, 'cp-int', 'checkpoint.fl')),
  },

  // Repeated runs.
  { cls: 'repeat', name: 'check diehard twice: the same report', run: sameTwice(['check', 'specs/diehard.ts', '--no-typecheck']), codes: [0] },
  { cls: 'repeat', name: 'check two specs --jobs 2 twice: the same report', run: sameTwice(['check', 'specs/diehard.ts', 'specs/two-phase.ts', '--jobs', '2', '--no-typecheck']), codes: [0] },
  { cls: 'repeat', name: 'simulate --seed 7 twice: the same walks', run: sameTwice(['simulate', 'specs/diehard.ts', '--seed', '7', '--no-typecheck']), codes: [1] },

  // Bad library calls.
  { cls: 'library', name: 'check(42)', run: lib(() => check(42 as never)), codes: [2], says: /needs a spec/ },
  { cls: 'library', name: "check('file.ts')", run: lib(() => check('file.ts' as never)), codes: [2], says: /string "file\.ts"/ },
  { cls: 'library', name: 'simulate({})', run: lib(() => simulate({} as never)), codes: [2], says: /needs a spec/ },
];

/** A stack trace or an internal error in the output. */
const STACK = /\n\s+at .+(:\d+:\d+|\(native\))|internal error|FATAL ERROR|Native stack trace|node:internal/;

async function main(): Promise<void> {
  process.chdir(root);
  const only = process.argv[2];
  const chosen = only ? inputs.filter((i) => i.cls === only) : inputs;
  const libraryHolds = chosen.some((i) => i.cls === 'library') ? await import('../fixtures/hardening/holds.js') : undefined;
  if (libraryHolds) {
    chosen.push({ cls: 'library', name: 'check(spec, { maxDepth: NaN })', run: lib(() => check(libraryHolds.default, { maxDepth: NaN })), codes: [2], says: /maxDepth/ });
    chosen.push({ cls: 'library', name: "check(spec, { strategy: 'bogus' })", run: lib(() => check(libraryHolds.default, { strategy: 'bogus' as never })), codes: [2], says: /strategy/ });
    chosen.push({ cls: 'library', name: 'check(spec, { nope: 1 })', run: lib(() => check(libraryHolds.default, { nope: 1 } as never)), codes: [2], says: /nope/ });
  }
  const tally = new Map<string, { tried: number; clean: number }>();
  let problems = 0;
  for (const input of chosen) {
    const o = await input.run();
    const out = o.stdout + o.stderr;
    const why: string[] = [];
    if (!input.codes.includes(o.code ?? -1)) why.push(`exit ${o.code}, expected ${input.codes.join(' or ')}`);
    if (input.says && !input.says.test(out)) why.push(`does not say ${input.says}`);
    if (STACK.test(out)) why.push('a stack trace or internal error');
    const extra = input.also?.(o);
    if (extra) why.push(extra);
    const t = tally.get(input.cls) ?? { tried: 0, clean: 0 };
    t.tried++;
    if (why.length === 0) t.clean++;
    else problems++;
    tally.set(input.cls, t);
    process.stdout.write(`${why.length === 0 ? 'clean  ' : 'PROBLEM'}  ${input.cls.padEnd(9)}  ${input.name}${why.length ? `: ${why.join('; ')}` : ''}\n`);
    if (why.length && process.env.AUDIT_VERBOSE) process.stdout.write(out.slice(0, 2000) + '\n');
  }
  process.stdout.write('\nclass      tried  clean  problems\n');
  for (const [cls, t] of tally) process.stdout.write(`${cls.padEnd(9)}  ${String(t.tried).padStart(5)}  ${String(t.clean).padStart(5)}  ${String(t.tried - t.clean).padStart(8)}\n`);
  const tried = chosen.length;
  process.stdout.write(`\n${tried} inputs tried: ${tried - problems} clean, ${problems} problems\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exitCode = problems === 0 ? 0 : 1;
}

await main();
