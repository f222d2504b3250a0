// The compiled shape hasher on real states: for every spec of the catalogue (default
// params), every state of a breadth-first search (up to a budget) gets exactly the
// generic fingerprint, through a hasher derived from the first initial state as the
// explorer derives it.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandSpecPaths } from '../../src/cli/main.js';
import type { Spec } from '../../src/core/types.js';
import { fingerprintInto } from '../../src/values/fingerprint.js';
import { ShapeHasher } from '../../src/values/shape-hash.js';

const root = path.resolve(import.meta.dirname, '../..');
const files = expandSpecPaths([path.join(root, 'specs')]).filter((f) => !f.endsWith('.packed.ts'));
const BUDGET = 5000;

describe('ShapeHasher on the catalogue: the generic fingerprint of every state', () => {
  let derived = 0;
  for (const file of files) {
    it(path.relative(root, file), async () => {
      const spec = ((await import(pathToFileURL(file).href)) as { default: Spec }).default;
      const system = spec.compile(spec.params);
      const inits = system.initialStates();
      const hasher = ShapeHasher.derive(inits[0]);
      if (hasher === undefined) return;
      derived++;
      const g = new Uint32Array(2);
      const h = new Uint32Array(2);
      const seen = new Set<string>();
      let frontier: unknown[] = [...inits];
      let compared = 0;
      while (frontier.length > 0 && seen.size < BUDGET) {
        const next: unknown[] = [];
        for (const s of frontier) {
          fingerprintInto(s, g, 0, true);
          hasher.hashInto(s, h);
          expect([h[0], h[1]]).toEqual([g[0], g[1]]);
          compared++;
          const key = `${g[0]}:${g[1]}`;
          if (seen.has(key)) continue;
          seen.add(key);
          // Kept states are frozen in the search: the hasher's identity memory then applies.
          hasher.freezeFresh();
          system.successors(s, (t: unknown) => void next.push(t));
        }
        frontier = next;
      }
      expect(compared).toBeGreaterThan(1);
    });
  }
  it('derives a hasher for most of them (core and protocol specs alike)', () => {
    expect(derived).toBeGreaterThanOrEqual(files.length - 2);
  });
});
