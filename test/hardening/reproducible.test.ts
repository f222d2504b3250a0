// Issue 19, item 5: a reported trace is always reproducible. Before a violation is
// reported, its trace is re-executed (src/trace/verify.ts); when it does not
// reproduce, the spec is nondeterministic and the report says where, instead of
// printing a trace nobody can reproduce.
import { describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

const DIR = 'test/fixtures/hardening';

interface Doc {
  verdict: string;
  violation?: unknown;
  error?: { message: string; action?: string; trace?: { action: string | null }[] };
}

describe('a violation that does not reproduce', () => {
  it('check: an invariant with a module-level counter fails once, not on re-execution', () => {
    const r = faultline(['check', `${DIR}/counter-invariant.ts`, '--no-typecheck', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.verdict).toBe('error');
    expect(doc.violation).toBeUndefined();
    expect(doc.error!.message).toMatch(
      /^spec "counter-invariant" is nondeterministic: the violation of fine found by the search does not happen when its trace \(2 steps\) is re-executed: every step replays, but fine no longer fails at step 2\./,
    );
  });

  it('check in text: no counterexample is printed', () => {
    const r = faultline(['check', `${DIR}/counter-invariant.ts`, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: spec "counter-invariant" is nondeterministic');
    expect(r.stdout).not.toContain('Counterexample');
  });

  it('simulate: an action with a module-level counter, naming the step and action where it diverged', () => {
    const r = faultline(['simulate', `${DIR}/counter-action.ts`, '--no-typecheck', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.verdict).toBe('error');
    expect(doc.error!.message).toContain('the violation of noFlag found by the search does not happen when its trace (1 step) is re-executed: step 1 (Go) leads to a different state (flag differs)');
    expect(doc.error!.action).toBe('Go');
    // The part that did replay: the initial state.
    expect(doc.error!.trace!.map((s) => s.action)).toEqual([null]);
  });

  it('simulate: the invariant with a counter', () => {
    const r = faultline(['simulate', `${DIR}/counter-invariant.ts`, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('fine no longer fails at step 2');
    expect(r.stdout).not.toContain('Counterexample');
  });
});

describe('a deterministic spec is unchanged', () => {
  it('check and simulate still report its violation (diehard; a protocol spec with a liveness lasso)', () => {
    expect(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--ignore-expect']).code).toBe(1);
    expect(faultline(['simulate', 'specs/diehard.ts', '--no-typecheck']).code).toBe(1);
    const lasso = JSON.parse(faultline(['check', 'specs/lossy-request.buggy.ts', '--no-typecheck', '--json', '--ignore-expect']).stdout) as Doc & { violation?: { kind: string } };
    expect(lasso.verdict).toBe('violation');
    expect(lasso.violation!.kind).toBe('liveness');
  });
});
