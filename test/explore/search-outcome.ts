// What two searches of one spec must agree on, however they were run (1 or N
// workers, stopped and resumed): counts, verdict, bound, trace, error.
import type { CheckResult } from '../../src/index.js';

export function searchOutcome(r: CheckResult) {
  return {
    verdict: r.verdict,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    depth: r.stats.depth,
    complete: r.complete,
    constraintInForce: r.constraintInForce,
    incomplete: r.incomplete?.reason,
    violation: r.violation && { property: r.violation.property, kind: r.violation.kind, message: r.violation.message, trace: r.violation.trace },
    error: r.error && { message: r.error.message, handler: r.error.handler, trace: r.error.trace },
  };
}
