// Exit codes of the command line (the design brief's "CLI and report contract"),
// shared by the CLI, the parallel job runner and the CI reports, so a JUnit test
// case fails exactly when the spec makes `faultline check` exit non-zero.
import type { SimulateResult } from '../check/check.js';
import type { CheckResult } from '../explore/types.js';

export const EXIT = {
  ok: 0,
  violation: 1,
  error: 2,
  incomplete: 3,
  /** Stopped by SIGINT (128 + 2). */
  sigint: 130,
  /** Stopped by SIGTERM (128 + 15). */
  sigterm: 143,
} as const;

/**
 * The exit code of one spec's check: 0 holds or expectation met, 1 violation or
 * expectation not met, 2 error, 3 incomplete with --require-complete. An incomplete
 * search (a bound stopped it before any violation) proves nothing either way, with
 * or without an `expect`: exit 0 with a ⚠ in every report, 3 with --require-complete.
 */
export function checkExitCode(result: CheckResult, requireComplete: boolean): number {
  if (result.verdict === 'error') return EXIT.error;
  if (result.verdict === 'incomplete') return requireComplete ? EXIT.incomplete : EXIT.ok;
  if (result.expectation) return result.expectation.met ? EXIT.ok : EXIT.violation;
  if (result.verdict === 'violation') return EXIT.violation;
  return EXIT.ok;
}

export function simulateExitCode(result: SimulateResult): number {
  if (result.verdict === 'error') return EXIT.error;
  return result.verdict === 'violation' ? EXIT.violation : EXIT.ok;
}

/** Several specs: the worst code wins (an error outranks a violation, --require-complete's 3 outranks both). */
export function combineExitCodes(codes: readonly number[]): number {
  return codes.reduce((a, b) => Math.max(a, b), 0);
}
