// --workers N: the parallel search must explore the same states and report exactly
// the trace (or error) that one worker reports. Run through the CLI, as users do.
import { describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

function checkJson(file: string, workers: number, ...args: string[]) {
  const r = faultline(['check', file, '--no-typecheck', '--json', '--workers', String(workers), ...args]);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) };
}

/** What must not depend on the worker count. Counts are compared only for complete runs. */
function verdictOf(json: any) {
  return {
    verdict: json.verdict,
    violation: json.violation,
    error: json.error,
    incomplete: json.incomplete,
    depth: json.stats.depth,
    complete: json.complete,
  };
}

const grid = 'test/fixtures/packed/grid.ts';

describe('--workers', () => {
  it('explores exactly TLC\'s TwoPhase space with 1, 2 and 3 workers', () => {
    for (const w of [1, 2, 3]) {
      const { code, json } = checkJson('specs/two-phase.packed.ts', w, '-p', 'rms=5');
      expect(code).toBe(0);
      expect(json.verdict).toBe('ok');
      expect([json.stats.distinctStates, json.stats.generatedStates]).toEqual([8_832, 58_146]);
      expect(json.workers).toBe(w > 1 ? w : undefined);
    }
  });

  const cases: [string, string[]][] = [
    ['an invariant violation deep in a wide level', []],
    ['a deadlock', ['-p', 'bad=0', '-p', 'size=12', '--deadlock']],
    ['an action that throws', ['-p', 'bad=0', '-p', 'throwAt=9']],
    ['the depth bound', ['-p', 'bad=0', '--max-depth', '5']],
    ['a complete search', ['-p', 'bad=0']],
  ];
  for (const [what, args] of cases) {
    it(`reports the same outcome and trace for ${what}`, () => {
      const one = checkJson(grid, 1, ...args);
      for (const w of [2, 3]) {
        const many = checkJson(grid, w, ...args);
        expect(many.code).toBe(one.code);
        expect(verdictOf(many.json)).toEqual(verdictOf(one.json));
        if (one.json.verdict === 'ok' || one.json.incomplete) {
          expect(many.json.stats.distinctStates).toBe(one.json.stats.distinctStates);
          expect(many.json.stats.generatedStates).toBe(one.json.stats.generatedStates);
        }
      }
      expect(one.json.verdict).toBe({ 0: 'violation', 1: 'violation', 2: 'error', 3: 'incomplete', 4: 'ok' }[cases.findIndex((c) => c[0] === what)]);
    });
  }

  it('checks a spec that is not packed with one thread, and says so by omitting workers', () => {
    const { code, json } = checkJson('specs/two-phase.ts', 2, '-p', 'rms=3');
    expect(code).toBe(0);
    expect(json.stats.distinctStates).toBe(288);
    expect(json.workers).toBeUndefined();
  });

  it('rejects --workers 0', () => {
    const r = faultline(['check', grid, '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
