// Issue 19, item 5: nondeterminism detection re-checks every expansion of the first
// states (FULLY_CHECKED) before it samples, and a spec's source that reads a clock,
// randomness or the environment gets a static warning.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nondeterminismWarnings } from '../../src/cli/nondeterminism-lint.js';
import { spec } from '../../src/core/spec.js';
import { FULL_RERUNS, FULLY_CHECKED } from '../../src/explore/determinism.js';
import { check } from '../../src/check/check.js';
import { faultline } from '../cli/run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-det-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A chain 0 → 1 → … → 40 whose step from `at` alternates between two successors on each call. */
function flaky(at: number) {
  let calls = 0;
  return spec({
    name: 'flaky',
    init: () => ({ n: 0, flip: 0 }),
    actions: {
      Step: (s: { n: number; flip: number }) => (s.n < 40 ? { n: s.n + 1, flip: s.n === at ? calls++ % 2 : 0 } : undefined),
    },
  });
}

describe('nondeterminism detection', () => {
  it('catches an action nondeterministic only in the 6th state (sampling 1 in 64 alone skipped it)', () => {
    const r = check(flaky(5));
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toContain('action Step is nondeterministic');
  });

  it('catches it in the 40th state too: every one of the first expansions is re-checked', () => {
    expect(FULLY_CHECKED).toBeGreaterThanOrEqual(40);
    expect(check(flaky(39)).verdict).toBe('error');
  });

  it('re-executes each of the first expansions more than once: a successor that differs only on the third call is caught', () => {
    // One re-run each let a ten-coin-flip spec pass 1 run in 1024 (CI met it).
    expect(FULL_RERUNS).toBeGreaterThanOrEqual(3);
    const calls = new Map<number, number>();
    const third = spec({
      name: 'third-call',
      init: () => ({ n: 0, odd: 0 }),
      actions: {
        Step: (s: { n: number; odd: number }) => {
          const call = (calls.get(s.n) ?? 0) + 1;
          calls.set(s.n, call);
          return s.n < 5 ? { n: s.n + 1, odd: call === 3 ? 1 : 0 } : undefined;
        },
      },
    });
    const r = check(third);
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toContain('action Step is nondeterministic');
  });

  it('a Math.random() spec is an error on every run (5 runs)', () => {
    const codes = Array.from({ length: 5 }, () => faultline(['check', 'test/fixtures/hardening/random-action.ts', '--no-typecheck']).code);
    expect(codes).toEqual(Array(5).fill(2));
  });
});

describe('the static warning', () => {
  it('names each clock, randomness or environment read with its line, not those in comments or strings', () => {
    const file = path.join(tmp, 'spec.ts');
    fs.writeFileSync(
      file,
      [
        '// Math.random() in a comment',
        "const s = 'Date.now() in a string';",
        'const a = () => Date.now();',
        'const b = Math.random ();',
        '/* performance.now() */ const c = performance.now();',
        'const d = process.env.HOME; const e = crypto.randomUUID();',
      ].join('\n'),
    );
    const w = nondeterminismWarnings(file).map((x) => {
      const m = /^warning: (.*):(\d+) reads (.*?): /.exec(x);
      return m && m[1] === file ? `${m[2]} ${m[3]}` : x;
    });
    expect(w).toEqual(['3 Date.now()', '4 Math.random()', '5 performance.now()', '6 crypto', '6 process.env']);
  });

  it('is printed by check', () => {
    const r = faultline(['check', 'test/fixtures/hardening/random-action.ts', '--no-typecheck']);
    expect(r.stderr).toContain('faultline: warning: test/fixtures/hardening/random-action.ts:8 reads Math.random()');
  });

  it('no catalogue spec triggers it', () => {
    const specs = fs.readdirSync('specs').filter((f) => f.endsWith('.ts'));
    expect(specs.length).toBeGreaterThan(10);
    expect(specs.flatMap((f) => nondeterminismWarnings(path.join('specs', f)))).toEqual([]);
  });
});
