// Issue 19, item 4: resources are bounded. --workers is capped at 4 per core (with a
// message), --max-memory has a default derived from the machine's memory and bounds
// each job worker's heap, and a param that makes the spec explode is a spec error
// that names the params.
import { describe, expect, it } from 'vitest';
import { cappedWorkers, defaultMaxMemory, workerHeapMb, WORKERS_PER_CORE } from '../../src/cli/resources.js';
import { faultline } from '../cli/run.js';

describe('--workers', () => {
  it('is capped at 4 per core, with a note', () => {
    expect(cappedWorkers(1000, 2)).toEqual({ workers: 8, note: '--workers 1000 is more than 4 per core (2 cores): using 8' });
    expect(cappedWorkers(8, 2)).toEqual({ workers: 8 });
    expect(cappedWorkers(5, 1).workers).toBe(WORKERS_PER_CORE);
  });

  it('--workers 1000 from the CLI: the note, and the same counts as one thread', () => {
    const r = faultline(['check', 'specs/two-phase.packed.ts', '--workers', '1000', '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/faultline: --workers 1000 is more than 4 per core \(\d+ cores?\): using \d+/);
    expect(r.stdout).toContain('288 distinct states, 1,146 generated');
  });
});

describe('--max-memory', () => {
  it("defaults to 80% of the machine's memory", () => {
    expect(defaultMaxMemory(10 * 2 ** 30)).toBe(Math.floor(8 * 2 ** 30));
  });

  it("bounds each job worker's heap by its share, between 256 MB and Node's own limit", () => {
    expect(workerHeapMb(2 * 2 ** 30, 2)).toBe(1024);
    expect(workerHeapMb(100 * 2 ** 20, 1)).toBe(256);
    expect(workerHeapMb(2 ** 50, 1)).toBeLessThan(2 ** 20);
  });
});

describe('a param that explodes', () => {
  it('-p rms=100000000 is a spec error naming the params (--call-timeout 2)', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '-p', 'rms=100000000', '--no-typecheck', '--call-timeout', '2', '--load-timeout', '120']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('two-phase (specs/two-phase.ts)  params: rms=100000000');
    expect(r.stdout).toContain('✗ spec error: compiling the spec with params rms=100000000');
  });
});
