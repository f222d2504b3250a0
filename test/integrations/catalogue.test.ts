// Every spec under specs/ behaves as it declares, checked with the vitest matchers
// (default params): `expect: 'holds'` → toHold, `expect: { violates: P }` → toViolate(P).
// To keep the suite fast, a spec whose search needs more than a state budget
// (FAULTLINE_CATALOGUE_STATES, default 100,000 distinct states) is skipped with
// the reason printed, never passed: `FAULTLINE_CATALOGUE_STATES=0` checks every
// spec to the end (as `npx faultline check specs/` does).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import 'faultline/vitest';
import { expandSpecPaths } from '../../src/cli/main.js';
import { isSpec, type Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';

const root = path.resolve(import.meta.dirname, '../..');
const files = expandSpecPaths([path.join(root, 'specs')]);
const budget = Number(process.env.FAULTLINE_CATALOGUE_STATES ?? 100_000) || undefined;

describe('the spec catalogue meets its declared expectations', () => {
  it('has specs', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    const name = path.relative(root, file);
    it(name, async (ctx) => {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      expect(isSpec(mod.default), `${name} default-exports a spec`).toBe(true);
      const spec = mod.default as Spec;
      if (spec.expect === undefined) return ctx.skip(`${name} declares no expectation`);
      if (budget !== undefined) {
        const probe = check(spec, { maxStates: budget, ignoreExpect: true });
        if (probe.verdict === 'incomplete') {
          return ctx.skip(`${name} needs more than ${budget.toLocaleString('en-US')} states (FAULTLINE_CATALOGUE_STATES=0 checks it)`);
        }
      }
      if (spec.expect === 'holds') expect(spec).toHold();
      else expect(spec).toViolate(spec.expect.violates);
    });
  }
});
