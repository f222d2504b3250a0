// Symmetry reduction never changes a verdict: every spec in specs/ gives the same
// verdict, the same violated property and the same shortest trace length with and
// without --symmetry; those that declare interchangeable nodes explore fewer states.
// A spec with liveness properties is refused with --symmetry, clearly.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandSpecPaths } from '../../src/cli/main.js';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';

const root = path.resolve(import.meta.dirname, '../..');
// Paxos needs ~130,000 states per run; its pair is pinned in paxos.test.ts and declares no symmetry.
const files = expandSpecPaths([path.join(root, 'specs')]).filter((f) => !f.includes('paxos'));

describe('--symmetry keeps every verdict', () => {
  for (const file of files) {
    it(path.relative(root, file), async () => {
      const spec = (await import(pathToFileURL(file).href)).default as Spec;
      const plain = check(spec, { ignoreExpect: true });
      const reduced = check(spec, { ignoreExpect: true, symmetry: true });
      if ((spec.describe().liveness ?? []).length > 0) {
        // Symmetry and liveness are refused together (a cycle of representatives need not be a behaviour).
        expect(reduced.verdict).toBe('error');
        expect(reduced.error?.message).toMatch(/^--symmetry cannot be used with liveness properties/);
        return;
      }
      expect(reduced.verdict).toBe(plain.verdict);
      expect(reduced.violation?.property).toBe(plain.violation?.property);
      expect(reduced.violation?.trace.length).toBe(plain.violation?.trace.length);
      if (reduced.symmetry!.length > 0) expect(reduced.stats.distinctStates).toBeLessThan(plain.stats.distinctStates);
      else expect(reduced.stats.distinctStates).toBe(plain.stats.distinctStates);
    });
  }

  it('reduces the specs that declare interchangeable nodes', async () => {
    const counts: Record<string, [number, number]> = {};
    for (const name of ['lease-pause.fixed', 'clock-jump.fixed', 'two-phase-commit.fixed']) {
      const spec = (await import(pathToFileURL(path.join(root, `specs/${name}.ts`)).href)).default as Spec;
      counts[name] = [check(spec).stats.distinctStates, check(spec, { symmetry: true }).stats.distinctStates];
    }
    expect(counts).toEqual({
      'lease-pause.fixed': [519, 265],
      'clock-jump.fixed': [207, 108],
      'two-phase-commit.fixed': [30_849, 20_071],
    });
  });
});
