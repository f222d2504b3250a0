// vitest matchers: `import 'faultline/vitest'` adds
//   expect(spec).toHold(options?)
//   expect(spec).toViolate('Property', options?)
// Each runs check() on the spec (options as for check(): params, faults, bounds).
// A failure message holds the plain-text report with the counterexample, exactly as
// `faultline check` prints it without colour.
import { expect } from 'vitest';
import { isSpec, type Spec } from '../core/types.js';
import { check } from '../check/check.js';
import type { CheckOptions, CheckResult } from '../explore/types.js';
import { renderResult } from '../cli/report/text.js';

/** Options of the matchers: those of check(), without the spec's declared expectation (the matcher states its own). */
export type MatcherOptions = Omit<CheckOptions, 'ignoreExpect' | 'onProgress'>;

interface FaultlineMatchers<R = unknown> {
  /** The search is complete and no property is violated (any `expect` in the spec is ignored). */
  toHold(options?: MatcherOptions): R;
  /** The search finds a violation of `property` (an invariant, action property, `sometimes`, or 'deadlock'). */
  toViolate(property: string, options?: MatcherOptions): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any -- vitest's augmentation pattern
  interface Matchers<T = any> extends FaultlineMatchers<T> {}
}

function run(received: unknown, matcher: string, options: MatcherOptions | undefined): CheckResult {
  if (!isSpec(received)) {
    throw new TypeError(
      `expect(…).${matcher}() needs a faultline spec (the value spec({...}) or protocol({...}) returns), got ${received === null ? 'null' : typeof received}`,
    );
  }
  return check(received as Spec, { ...options, ignoreExpect: true });
}

function report(result: CheckResult): string {
  return renderResult(result, { color: false }).trimEnd();
}

/** What happened, in a few words: "it violates Safety", "it holds", "the search was incomplete (...)". */
function outcome(r: CheckResult): string {
  switch (r.verdict) {
    case 'ok':
      return `it holds on all ${r.stats.distinctStates.toLocaleString('en-US')} reachable states`;
    case 'violation':
      return r.violation!.kind === 'deadlock' ? 'it deadlocks' : `it violates ${r.violation!.property}: ${r.violation!.message}`;
    case 'incomplete':
      return `the search was incomplete: ${r.incomplete?.message ?? 'it stopped early'}`;
    case 'error':
      return `the check failed with a spec error: ${r.error?.message ?? ''}`;
  }
}

expect.extend({
  toHold(received: unknown, options?: MatcherOptions) {
    const r = run(received, 'toHold', options);
    const pass = r.verdict === 'ok';
    return {
      pass,
      message: () =>
        pass
          ? `expected spec ${r.spec} not to hold, but ${outcome(r)}\n\n${report(r)}`
          : `expected spec ${r.spec} to hold, but ${outcome(r)}\n\n${report(r)}`,
    };
  },
  toViolate(received: unknown, property: string, options?: MatcherOptions) {
    if (typeof property !== 'string' || property === '') {
      throw new TypeError('toViolate(property) needs the name of the property expected to be violated');
    }
    const r = run(received, 'toViolate', options);
    const pass = r.verdict === 'violation' && r.violation!.property === property;
    return {
      pass,
      message: () =>
        pass
          ? `expected spec ${r.spec} not to violate ${property}, but ${outcome(r)}\n\n${report(r)}`
          : `expected spec ${r.spec} to violate ${property}, but ${outcome(r)}\n\n${report(r)}`,
    };
  },
});
