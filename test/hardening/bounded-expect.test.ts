// Issue 19, item 5 (last part): a bounded search of a spec with `expect` exits as any
// incomplete search does: 0 with a loud ⚠ (expectation not established), 3 with
// --require-complete; the README's exit-code table and docs/ci.md say the same.
import { describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

describe("an incomplete search of a spec with an unmet `expect: 'holds'`", () => {
  it('--max-depth 3: exit 0, ⚠ INCOMPLETE and ⚠ expectation not established', () => {
    const r = faultline(['check', 'specs/lease-pause.fixed.ts', '--max-depth', '3', '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚠ INCOMPLETE — stopped at the depth bound (--max-depth 3)');
    expect(r.stdout).toContain('⚠ expectation not established: expected to hold; the search was incomplete (exit 0; --require-complete makes it exit 3)');
    expect(r.stdout).not.toContain('✗');
  });

  it('--max-depth 3 --require-complete: exit 3', () => {
    const r = faultline(['check', 'specs/lease-pause.fixed.ts', '--max-depth', '3', '--no-typecheck', '--require-complete']);
    expect(r.code).toBe(3);
  });

  it("an expected violation not reached within the bound (--max-depth 2): exit 0, 3 with --require-complete", () => {
    const loose = faultline(['check', 'specs/lease-pause.buggy.ts', '--max-depth', '2', '--no-typecheck']);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('⚠ expectation not established: expected a violation of writesInLeaseOrder; no violation was found before the search stopped');
    expect(faultline(['check', 'specs/lease-pause.buggy.ts', '--max-depth', '2', '--no-typecheck', '--require-complete']).code).toBe(3);
  });

  it('the violation found within the bound is still exit 1 for a spec expected to hold', () => {
    const r = faultline(['check', 'specs/lease-pause.buggy.ts', '--ignore-expect', '--no-typecheck', '--max-depth', '20']);
    expect(r.code).toBe(1);
  });
});
