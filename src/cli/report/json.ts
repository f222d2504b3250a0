// The --json document: the result with states in ITF's value encoding, so JSON
// traces and ITF files agree. The schema is documented in the README.
import type { TraceStep } from '../../core/errors.js';
import type { SimulateResult } from '../../check/check.js';
import type { CheckResult } from '../../explore/types.js';
import { toITF } from '../../values/itf.js';

export const JSON_SCHEMA_VERSION = 1;

function encodeTrace(trace: readonly TraceStep[] | undefined): { action: string | null; state: unknown }[] | undefined {
  return trace?.map((s) => ({ action: s.action, state: toITF(s.state) }));
}

export function toJsonReport(result: CheckResult | SimulateResult): Record<string, unknown> {
  return {
    schema: JSON_SCHEMA_VERSION,
    ...result,
    violation: result.violation && {
      ...result.violation,
      trace: encodeTrace(result.violation.trace),
      minimised: result.violation.minimised && { ...result.violation.minimised, trace: encodeTrace(result.violation.minimised.trace) },
    },
    error: result.error && { ...result.error, trace: encodeTrace(result.error.trace) },
  };
}
