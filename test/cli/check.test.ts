// `faultline check` end to end: exit codes, human and JSON output, bad input.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, root } from './run.js';

const COUNTER = 'test/fixtures/counter.ts';

describe('faultline check: exit codes', () => {
  it('0 when every property holds, with the statistics', () => {
    const r = faultline(['check', COUNTER, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ every property holds on all 6 reachable states');
    expect(r.stdout).toContain('6 distinct states, 11 generated, depth 5');
    expect(r.stdout).toContain('fingerprint collision probability');
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR: no escape codes
  });

  it('1 on a violation, with the trace and only the changed variables', () => {
    const r = faultline(['check', COUNTER, '--no-typecheck', '-p', 'limit=3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ invariant BelowLimit violated: n reached 3');
    expect(r.stdout).toContain('Counterexample (3 steps, shortest):');
    expect(r.stdout).toMatch(/1 {2}Inc\n\s+n: 0 → 1\n/);
  });

  it('0 when the spec expects the violation it finds; --ignore-expect gives 1', () => {
    const r = faultline(['check', 'specs/diehard.ts', '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ expectation met: expected a violation of NotSolved; found it');
    expect(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--ignore-expect']).code).toBe(1);
  });

  it('1 when the expectation is not met, saying what happened', () => {
    const r = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '-p', 'goal=6']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ expectation not met: expected a violation of NotSolved; it holds');
  });

  it('3 for an incomplete search only with --require-complete; it says so loudly', () => {
    const plain = faultline(['check', COUNTER, '--no-typecheck', '--max-depth', '2']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('⚠ INCOMPLETE');
    expect(plain.stdout).toContain('--max-depth 2');
    expect(faultline(['check', COUNTER, '--no-typecheck', '--max-states', '2', '--require-complete']).code).toBe(3);
  });

  it('--max-memory stops cleanly with partial statistics instead of running out of memory', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '--no-typecheck', '-p', 'rms=7', '--max-memory', '20m', '--require-complete', '--json']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('incomplete');
    expect(doc.incomplete).toEqual({ reason: 'maxMemory', message: 'stopped at the memory bound (--max-memory 20 MiB) before exploring every state, with params rms=7 (set by -p; default 3)' });
    expect(doc.stats.distinctStates).toBeGreaterThan(0);
    expect(doc.stats.distinctStates).toBeLessThan(296_448);
    expect(faultline(['check', COUNTER, '--no-typecheck', '--max-memory', 'lots']).code).toBe(2);
  });

  it('2 for a usage error: unknown option, unknown param, bad value', () => {
    expect(faultline(['check', COUNTER, '--no-typecheck', '--frobnicate']).code).toBe(2);
    const unknown = faultline(['check', COUNTER, '--no-typecheck', '-p', 'nope=1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain('unknown param "nope" for spec "counter"; its params are: max, limit');
    const bad = faultline(['check', COUNTER, '--no-typecheck', '-p', 'max=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('param max of spec "counter" must be an integer (default 5), got "lots"');
    expect(faultline(['check', COUNTER, '--no-typecheck', '--max-depth', '-1']).code).toBe(2);
  });

  it('--help works everywhere', () => {
    for (const args of [['--help'], ['check', '--help'], ['simulate', '--help'], ['list', '--help']]) {
      const r = faultline(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: faultline');
    }
  });

  it("--version prints package.json's version (the one checkpoints and cluster workers are matched by)", () => {
    const r = faultline(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('faultline check: bad spec files (exit 2, one clear paragraph, no stack trace)', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing file', ['test/fixtures/nope.ts'], /spec file not found: test\/fixtures\/nope\.ts/],
    ['syntax error', ['test/fixtures/bad/syntax-error.ts', '--no-typecheck'], /spec test\/fixtures\/bad\/syntax-error\.ts failed to load: .*(Expected|Unexpected)/s],
    ['type error', ['test/fixtures/bad/type-error.ts'], /does not type-check \(1 error; --no-typecheck skips this\):\n\s+test\/fixtures\/bad\/type-error\.ts:5:\d+ Property 'cout' does not exist/],
    ['no default export', ['test/fixtures/bad/no-default.ts', '--no-typecheck'], /has no default export/],
    ['default export not a spec', ['test/fixtures/bad/not-a-spec.ts', '--no-typecheck'], /the default export of test\/fixtures\/bad\/not-a-spec\.ts is not a spec \(got object\)/],
    ['spec() rejects the definition', ['test/fixtures/bad/throws-on-load.ts', '--no-typecheck'], /✗ spec error: spec\(\) needs a name/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = faultline(['check', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toMatch(message);
      expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack frames
    });
  }

  it('an action that throws: names the handler and prints the trace that reached it', () => {
    const r = faultline(['check', 'test/fixtures/bad/action-throws.ts', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: action Inc threw: cannot count past two');
    expect(r.stdout).toContain('handler Inc');
    expect(r.stdout).toContain('Trace to the state where it happened (2 steps):');
  });

  it('a handler result frozen by the spec with a function inside: a spec error with its trace, not an internal error', () => {
    // The value is found bad when the world is interned, by the spec's own copy of faultline's modules.
    const r = faultline(['check', 'test/fixtures/bad/frozen-function.ts', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: action step a.go produced a value that is not a state value: state.nodes.a.state.f.g is a function (g)');
    expect(r.stdout).toContain('Trace to the state where it happened (1 step):');
    expect(r.stdout + r.stderr).not.toContain('internal error');
  });

  it('several specs are type-checked together; each keeps its own errors', () => {
    const r = faultline(['check', 'test/fixtures/bad/type-error.ts', COUNTER, '--json']);
    expect(r.code).toBe(2);
    const [bad, good] = JSON.parse(r.stdout).results;
    expect(bad.verdict).toBe('error');
    expect(bad.error.message).toMatch(/does not type-check \(1 error; --no-typecheck skips this\):\n\s+test\/fixtures\/bad\/type-error\.ts:5:\d+ Property 'cout' does not exist/);
    expect(good.verdict).toBe('ok');
  });

  it('a spec that type-checks passes the type check', () => {
    expect(faultline(['check', COUNTER]).code).toBe(0);
  });
});

describe('faultline check --json', () => {
  it('a violation: verdict, stats, property, kind and the ITF-encoded trace', () => {
    const r = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      verdict: 'violation',
      spec: 'diehard',
      params: { goal: 4 },
      stats: { distinctStates: 14, depth: 6 },
      violation: { property: 'NotSolved', kind: 'invariant' },
      expectation: { expected: { violates: 'NotSolved' }, met: true },
    });
    expect(typeof doc.stats.generatedStates).toBe('number');
    expect(typeof doc.stats.durationMs).toBe('number');
    expect(doc.violation.trace).toHaveLength(7);
    expect(doc.violation.trace[0]).toEqual({ action: null, state: { big: 0, small: 0 } });
    expect(doc.violation.trace[6]).toEqual({ action: 'BigToSmall', state: { big: 4, small: 3 } });
  });

  it('an incomplete search says which bound stopped it', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '--no-typecheck', '--json', '-p', 'rms=2', '--max-depth', '1']);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('incomplete');
    expect(doc.incomplete.reason).toBe('maxDepth');
    expect(doc.stats.distinctStates).toBe(6); // the initial state and its 5 successors
  });

  it('an error result carries error.{message,file,handler,trace}', () => {
    const r = faultline(['check', 'test/fixtures/bad/action-throws.ts', '--no-typecheck', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.verdict).toBe('error');
    expect(doc.error).toMatchObject({ message: 'action Inc threw: cannot count past two', file: 'test/fixtures/bad/action-throws.ts', handler: 'Inc' });
    expect(doc.error.trace.map((s: { state: unknown }) => s.state)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('several specs give { results: [...] } and the worst exit code', () => {
    const r = faultline(['check', COUNTER, 'specs/diehard.ts', '--no-typecheck', '--json', '--ignore-expect']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { verdict: string }) => x.verdict)).toEqual(['ok', 'violation']);
  });
});

describe('faultline simulate and list', () => {
  it('simulate finds the Die Hard solution, reproducibly, and never says ok', () => {
    const a = faultline(['simulate', 'specs/diehard.ts', '--no-typecheck', '--seed', '3', '--walks', '200', '--depth', '30', '--json']);
    const b = faultline(['simulate', 'specs/diehard.ts', '--no-typecheck', '--seed', '3', '--walks', '200', '--depth', '30', '--json']);
    expect(a.code).toBe(1);
    const da = JSON.parse(a.stdout);
    expect(da.verdict).toBe('violation');
    expect(JSON.parse(b.stdout).violation.trace).toEqual(da.violation.trace);
    const none = faultline(['simulate', COUNTER, '--no-typecheck', '--json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout).verdict).toBe('none-found');
  });

  it('list prints params, actions and properties', () => {
    const r = faultline(['list', 'specs/two-phase.ts', '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('params: rms=3');
    expect(r.stdout).toContain('actions: TMCommit, TMAbort, TMRcvPrepared, RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg');
    expect(r.stdout).toContain('invariants: TPTypeOK, TCConsistent');
  });
});
