// Recording the state graph for liveness must not change the search: for every spec
// of the catalogue and of test/fixtures/liveness that declares liveness properties,
// checking with liveness on and off (`liveness: false`, --no-liveness) finds the same
// distinct and generated counts; and for protocols, the coded BFS (which keeps a
// second table, hash → state id, while recording; a bug there once made 38 states of
// 17) finds what the plain BFS over world objects finds, lasso included.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/check.js';
import { brandSpec, type Spec } from '../../src/core/types.js';
import type { TransitionSystem } from '../../src/explore/system.js';
import type { CheckResult } from '../../src/explore/types.js';

const files = [
  ...readdirSync('specs').filter((f) => f.endsWith('.ts')).map((f) => `specs/${f}`),
  ...readdirSync('test/fixtures/liveness').filter((f) => f.endsWith('.ts')).map((f) => `test/fixtures/liveness/${f}`),
];

async function livenessSpecs(): Promise<[string, Spec][]> {
  const out: [string, Spec][] = [];
  for (const f of files) {
    const spec = (await import(/* @vite-ignore */ `../../${f}`)).default as Spec;
    if ((spec.describe().liveness ?? []).length > 0) out.push([f, spec]);
  }
  return out;
}

/** The same spec, its compiled system without a codec: check() then runs the plain BFS over objects. */
function withoutCodec(spec: Spec): Spec {
  return brandSpec({
    ...spec,
    compile: (params: never, options?: never) => {
      const system = spec.compile(params, options) as TransitionSystem<unknown>;
      expect(system.codec, `${spec.name} has a codec`).toBeTypeOf('function');
      return Object.create(system, { codec: { value: undefined } }) as TransitionSystem<unknown>;
    },
  });
}

function counts(r: CheckResult) {
  return { distinct: r.stats.distinctStates, generated: r.stats.generatedStates, depth: r.stats.depth };
}

function verdict(r: CheckResult) {
  return {
    verdict: r.verdict,
    incomplete: r.incomplete?.reason,
    property: r.violation?.property,
    kind: r.violation?.kind,
    trace: r.violation?.trace.map((s) => s.action),
    loop: r.violation?.loop,
    liveness: r.violation?.liveness,
    coverage: r.coverage,
  };
}

describe('liveness on or off, coded or plain BFS: the same search', async () => {
  const specs = await livenessSpecs();

  test('the catalogue and the fixtures have liveness specs of both kinds', () => {
    expect(specs.length).toBeGreaterThanOrEqual(13);
    expect(specs.filter(([, s]) => s.kind === 'protocol').length).toBeGreaterThanOrEqual(10);
    expect(specs.filter(([, s]) => s.kind === 'core').length).toBeGreaterThanOrEqual(2);
  });

  for (const [file, spec] of specs) {
    test(file, () => {
      const on = check(spec, { ignoreExpect: true });
      const off = check(spec, { ignoreExpect: true, liveness: false });
      expect(on.verdict).not.toBe('error');
      expect(off.liveness?.skipped).toBe(true);
      expect(on.liveness?.skipped).toBeUndefined();
      expect(counts(on)).toEqual(counts(off));
      expect(on.stats.distinctStates).toBeGreaterThan(0);
      if (spec.kind !== 'protocol') return;
      // The coded BFS against the plain one, liveness on: the same counts, verdict and lasso.
      const plain = check(withoutCodec(spec), { ignoreExpect: true });
      expect(counts(on)).toEqual(counts(plain));
      expect(verdict(on)).toEqual(verdict(plain));
      expect(counts(off)).toEqual(counts(check(withoutCodec(spec), { ignoreExpect: true, liveness: false })));
    });
  }
});
