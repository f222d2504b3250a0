// The --json document of a replay, shared by `faultline replay` (replay.ts) and the
// replay of a saved-traces folder (replay-folder.ts), which nests one per trace.
import { replayExitCode, type ReplayResult } from '../../trace/replay.js';
import { toITF } from '../../values/itf.js';

export function encodeSteps(trace: readonly { action: string | null; state: unknown }[]) {
  return trace.map((s) => ({ action: s.action, state: toITF(s.state) }));
}

/** The --json document of a replay. */
/** Where the spec's state and the trace's differ, as JSON: each side in ITF, absent where it has no value. */
export function encodeChanges(changes: readonly { path: string; kind: string; before?: unknown; after?: unknown }[]) {
  return changes.map((c) => ({
    path: c.path,
    kind: c.kind,
    ...(c.kind !== 'added' ? { spec: toITF(c.before) } : {}),
    ...(c.kind !== 'removed' ? { trace: toITF(c.after) } : {}),
  }));
}

export function replayJson(r: ReplayResult, specFile: string, traceFile: string): Record<string, unknown> {
  const d = r.divergence;
  return {
    schema: 1,
    command: 'replay',
    outcome: r.outcome,
    exit: replayExitCode(r),
    spec: r.spec,
    file: specFile,
    traceFile,
    params: r.params,
    ...(r.faults ? { faults: r.faults } : {}),
    steps: r.steps,
    replayed: Math.max(0, r.trace.length - 1),
    saved: r.saved,
    ...(r.loop !== undefined ? { loop: r.loop } : {}),
    ...(r.lassoNote ? { lassoNote: r.lassoNote } : {}),
    ...(r.violation ? { violation: r.violation } : {}),
    ...(d
      ? {
          divergence: {
            step: d.step,
            action: d.action,
            reason: d.reason,
            enabled: d.enabled,
            changes: encodeChanges(d.changes),
          },
        }
      : {}),
    ...(r.error ? { error: r.error } : {}),
    trace: encodeSteps(r.trace),
  };
}
