// --workers N: the parallel search must explore the same states and report exactly
// the trace (or error) that one worker reports. Run through the CLI, as users do.
import { describe, expect, it } from 'vitest';
import { faultline, root } from '../cli/run.js';

// The coordinator expands small levels itself and starts the workers only for a search
// that lasts; FAULTLINE_SHARE_EVERY_LEVEL makes every level, however small, go to the
// workers, so these small models exercise them.
function checkJson(file: string, workers: number, ...args: string[]) {
  return checkJsonWith({ FAULTLINE_SHARE_EVERY_LEVEL: '1' }, file, workers, ...args);
}

function checkJsonWith(env: Record<string, string>, file: string, workers: number, ...args: string[]) {
  const r = faultline(['check', file, '--no-typecheck', '--json', '--workers', String(workers), ...args], env);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) };
}

/** What must not depend on the worker count (counts too: test/explore/parallel.test.ts). */
function verdictOf(json: any) {
  return {
    verdict: json.verdict,
    violation: json.violation,
    error: json.error,
    incomplete: json.incomplete,
    depth: json.stats.depth,
    complete: json.complete,
    constraintInForce: json.constraintInForce,
  };
}

const grid = 'test/fixtures/packed/grid.ts';

describe('--workers', () => {
  // rms=7: levels wide enough that the shards exchange many batches mid-level.
  it('explores exactly TLC\'s TwoPhase space with 1, 2 and 3 workers', () => {
    for (const w of [1, 2, 3]) {
      const { code, json } = checkJson('specs/two-phase.packed.ts', w, '-p', 'rms=7');
      expect(code).toBe(0);
      expect(json.verdict).toBe('ok');
      expect([json.stats.distinctStates, json.stats.generatedStates]).toEqual([296_448, 2_744_706]);
      expect(json.workers).toBe(w > 1 ? w : undefined);
    }
    // As users run it: the first levels in one thread, the wide ones shared once the workers are up.
    const { json } = checkJsonWith({}, 'specs/two-phase.packed.ts', 2, '-p', 'rms=7');
    expect([json.stats.distinctStates, json.stats.generatedStates]).toEqual([296_448, 2_744_706]);
  });

  const cases: [string, string[]][] = [
    ['an invariant violation deep in a wide level', []],
    ['a deadlock', ['-p', 'bad=0', '-p', 'size=12', '--deadlock']],
    ['an action that throws', ['-p', 'bad=0', '-p', 'throwAt=9']],
    ['the depth bound', ['-p', 'bad=0', '--max-depth', '5']],
    ['a complete search', ['-p', 'bad=0']],
    ['a sometimes never satisfied, under a constraint', ['-p', 'bad=0', '-p', 'goal=99', '-p', 'maxY=20']],
  ];
  for (const [what, args] of cases) {
    it(`reports the same outcome and trace for ${what}`, () => {
      const one = checkJson(grid, 1, ...args);
      // Every level shared; and (the last run) one thread alone up to depth 3, then shared.
      for (const [w, from] of [[2, '0'], [3, '0'], [2, '3']] as const) {
        const many = checkJsonWith({ FAULTLINE_SHARE_EVERY_LEVEL: '1', FAULTLINE_SHARE_FROM_DEPTH: from }, grid, w, ...args);
        expect(many.code).toBe(one.code);
        expect(verdictOf(many.json)).toEqual(verdictOf(one.json));
        // At a violation too: the counts one thread has at that moment.
        expect(many.json.stats.distinctStates).toBe(one.json.stats.distinctStates);
        expect(many.json.stats.generatedStates).toBe(one.json.stats.generatedStates);
      }
      expect(one.json.verdict).toBe(['violation', 'violation', 'error', 'incomplete', 'ok', 'violation'][cases.findIndex((c) => c[0] === what)]);
      if (args.includes('maxY=20')) {
        expect(one.json.violation.kind).toBe('sometimes');
        expect(one.json.constraintInForce).toBe(true);
        expect(verdictOf(checkJson(grid, 2, ...args).json)).toMatchObject({ verdict: 'violation' });
      }
    });
  }

  it('searches plain-object and protocol specs with the workers too (test/explore/parallel.test.ts compares every spec)', () => {
    for (const [file, distinct] of [['specs/two-phase.ts', 288], ['specs/lease-pause.fixed.ts', 519]] as const) {
      const { code, json } = checkJson(file, 2, ...(file.includes('two-phase') ? ['-p', 'rms=3'] : ['--no-liveness']));
      expect(code).toBe(0);
      expect(json.stats.distinctStates).toBe(distinct);
      expect(json.workers).toBe(2);
    }
  });

  it('stops cleanly on SIGINT: partial statistics, exit 130', async () => {
    const { spawn } = await import('node:child_process');
    const args = ['bin/faultline.js', 'check', 'specs/two-phase.packed.ts', '-p', 'rms=9', '--workers', '2', '--no-typecheck', '--json', '--progress'];
    // The workers start at once, so they are searching when the signal comes.
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, FAULTLINE_SHARE_EVERY_LEVEL: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Interrupt once the workers share a level (a progress line says so, every 2 s), not
    // at the first stderr output, which a loaded machine can print before they start.
    await new Promise<void>((r) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (/level shared by 2 workers/.test(err)) r();
      });
    });
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(130);
    const json = JSON.parse(out);
    expect(json.incomplete.reason).toBe('interrupted');
    expect(json.workers).toBe(2);
    expect(json.stats.distinctStates).toBeGreaterThan(0);
    expect(json.stats.distinctStates).toBeLessThan(10_340_352);
  });

  it('searches on one thread unless --workers asks for more (the exchange does not pay on 2 cores yet)', () => {
    const env = { FAULTLINE_SHARE_EVERY_LEVEL: '1' };
    const run = (...args: string[]) => {
      const r = faultline(['check', ...args, '-p', 'bad=0', '--no-typecheck', '--json'], env);
      expect(r.stderr).toBe('');
      const json = JSON.parse(r.stdout);
      return (json.results ?? [json]).map((x: any) => x.workers);
    };
    expect(run(grid)).toEqual([undefined]);
    expect(run(grid, grid, '--jobs', '2')).toEqual([undefined, undefined]);
    expect(run(grid, '--workers', '2')).toEqual([2]);
    // A search over before the workers start (2 s) was one thread's, and says so.
    expect(checkJsonWith({}, grid, 2, '-p', 'bad=0').json.workers).toBeUndefined();
  });

  it('rejects --workers 0', () => {
    const r = faultline(['check', grid, '--workers', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
