// Reading counterexamples in tests: the action labels of a violation's trace, and
// which of them are faults (the rows of the design's fault table).
import { FAULT_NAMES, type CheckResult } from '../../src/index.js';

/** The labels of the actions of the violation's trace (the initial state left out). */
export const labels = (r: CheckResult): string[] => r.violation!.trace.slice(1).map((s) => s.action!);

/** The fault actions among trace labels, in order. */
export const faultsIn = (ls: readonly string[]): string[] =>
  ls.filter((l) => (FAULT_NAMES as readonly string[]).includes(l.split(' ')[0]!));
