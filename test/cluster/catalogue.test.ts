// Every spec in specs/ searched by worker processes (check --cluster) against one
// process: the same counts, verdict, trace and error (issue #21's identity test),
// with a state bound that keeps the large ones small (a bound stops every search at
// the same canonical place). Specs whose states cannot cross processes must say so.
// Over a Redis server this file starts on loopback; runs the built package (dist/).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { CheckOptions, CheckResult, Spec } from '../../src/index.js';
import { searchOutcome } from '../explore/search-outcome.js';
import { engineForTests, redisServer, root } from './engine.js';

const dist = '../../dist';
const { checkAsync } = (await import(/* @vite-ignore */ `${dist}/index.js`)) as typeof import('../../src/index.js');
const { loadSpec } = (await import(/* @vite-ignore */ `${dist}/spec-file/load.js`)) as typeof import('../../src/spec-file/load.js');

const engine = engineForTests('cluster', { shareEveryLevel: true });

const specs = fs
  .readdirSync(path.join(root, 'specs'))
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .map((f) => `specs/${f}`);

async function run(file: string, options: CheckOptions): Promise<CheckResult> {
  const spec = (await loadSpec(path.join(root, file), { typecheck: false })) as Spec;
  return checkAsync(spec, { file: path.join(root, file), liveness: false, maxStates: 4000, ...options });
}

describe.skipIf(redisServer === undefined)('every spec in specs/: 2 and 3 worker processes find what one process finds', () => {
  test('the catalogue is there', () => expect(specs.length).toBeGreaterThan(20));
  // Alternately 2 and 3 workers, so both counts meet every kind of spec without doubling the time.
  specs.forEach((file, i) => {
    const n = 2 + (i % 2);
    test(`${file} on ${n} workers`, async () => {
      const one = await run(file, {});
      const ws = engine.workers(file, n);
      const many = await run(file, { cluster: { url: engine.url, workers: n } });
      expect(searchOutcome(many)).toEqual(searchOutcome(one));
      if (many.verdict !== 'error') expect(many.workers).toBe(n);
      for (const w of ws) expect((await w.exited).code).toBe(0);
    }, 120_000);
  });
});
