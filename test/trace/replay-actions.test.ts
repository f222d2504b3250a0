// Replay by actions (issue 18, item 6): a buggy spec's counterexample, replayed by its
// action labels against the fixed spec, says whether the fix blocks it, the property
// now holds along it, or the violation still happens.
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { spec } from '../../src/index.js';
import { counterexampleItf } from '../../src/trace/itf.js';
import { replayItf } from '../../src/trace/replay.js';
import { actionReplayExitCode, labelShape, replayItfByActions } from '../../src/trace/replay-actions.js';
import { actionReplayVerdict } from '../../src/cli/replay-actions-report.js';
import splitBrainBuggy from '../../specs/split-brain.buggy.js';
import splitBrainFixed from '../../specs/split-brain.fixed.js';
import leaseBuggy from '../../specs/lease-pause.buggy.js';
import leaseFixed from '../../specs/lease-pause.fixed.js';
import lockBuggy from '../../specs/lock-holder-crash.buggy.js';
import clockBuggy from '../../specs/clock-jump.buggy.js';
import clockFixed from '../../specs/clock-jump.fixed.js';
import lockFixed from '../../specs/lock-holder-crash.fixed.js';

/** The counterexample of a buggy spec as the ITF text --trace-out writes. */
function savedTrace(buggy: Spec): string {
  const r = check(buggy);
  const v = r.violation!;
  const doc = counterexampleItf(v.trace, { spec: r.spec, params: r.params, property: v.property, kind: v.kind, message: v.message, trace: 'shortest', loop: v.loop });
  return JSON.stringify(doc);
}

const S = (x: unknown) => x as Spec;

describe('replay by actions', () => {
  it('a fix that keeps votedFor on disk: the state replay no longer fits (exit 4), the action replay shows the property now holds', () => {
    const itf = savedTrace(S(splitBrainBuggy));
    const byStates = replayItf(S(splitBrainFixed), itf);
    expect(byStates.outcome).toBe('diverged');
    expect(byStates.divergence!.reason).toBe('initial-state');
    const r = replayItfByActions(S(splitBrainFixed), itf);
    expect(r.outcome).toBe('passes');
    expect(actionReplayExitCode(r)).toBe(0);
    expect(r.trace).toHaveLength(9);
    expect(actionReplayVerdict(r)).toBe('all 8 steps of the trace replay by their actions and no property fails: oneLeaderPerTerm now holds all along the trace');
    // The fix is visible from the first state on: the vote is kept on disk.
    expect(r.firstDifference!.step).toBe(0);
    expect(r.firstDifference!.changes.map((c) => c.path)).toContain('.nodes.node1.durable');
  });

  it('against the buggy spec itself the violation still happens (exit 1), at the same step', () => {
    const r = replayItfByActions(S(splitBrainBuggy), savedTrace(S(splitBrainBuggy)));
    expect(r.outcome).toBe('reproduced');
    expect(actionReplayExitCode(r)).toBe(1);
    expect(r.violation).toMatchObject({ property: 'oneLeaderPerTerm', kind: 'invariant', step: 8 });
    expect(r.firstDifference).toBeUndefined();
    expect(actionReplayVerdict(r)).toBe('the violation still happens: the trace\'s actions reach oneLeaderPerTerm at step 8: split brain: node2 and node3 are both leader of term 2');
  });

  it('a fix that releases the lease on time blocks the trace at the step that needed the late release', () => {
    const r = replayItfByActions(S(clockFixed), savedTrace(S(clockBuggy)));
    expect(r.outcome).toBe('blocked');
    expect(actionReplayExitCode(r)).toBe(0);
    expect(r.blocked).toEqual({ step: 7, action: 'tick (t=3)', enabled: ['step client1.release'] });
    expect(r.trace).toHaveLength(7);
    expect(actionReplayVerdict(r)).toBe('the fix blocks this trace at step 7: tick (t=3) is no longer enabled');
  });

  it('a fix that adds a field to a message: not "blocked" but "changed" (exit 4): the labels cannot tell', () => {
    const r = replayItfByActions(S(leaseFixed), savedTrace(S(leaseBuggy)));
    expect(r.outcome).toBe('changed');
    expect(actionReplayExitCode(r)).toBe(4);
    expect(r.blocked).toMatchObject({ step: 3, action: 'deliver Granted{ttl:2} lock→client1 (by t=0)', similar: ['deliver Granted{token:1,ttl:2} lock→client1 (by t=0)'] });
    expect(actionReplayVerdict(r)).toBe(
      'the trace no longer fits at step 3: deliver Granted{ttl:2} lock→client1 (by t=0) is not enabled, but deliver Granted{token:1,ttl:2} lock→client1 (by t=0) is — the fix changed the message, so this trace cannot tell whether it blocks the run',
    );
    expect(labelShape('deliver Vote{term:2,log:{a:1}} node3→node1')).toBe('deliver Vote node3→node1');
    expect(labelShape('tick (t=3)')).toBe('tick (t=3)');
  });

  it('a lasso (liveness): reproduced on the buggy spec; on the fixed one its loop is no longer fair', () => {
    const itf = savedTrace(S(lockBuggy));
    const buggy = replayItfByActions(S(lockBuggy), itf);
    expect(buggy.outcome).toBe('reproduced');
    expect(buggy.violation).toMatchObject({ property: 'client1GetsLock', kind: 'liveness' });
    const fixed = replayItfByActions(S(lockFixed), itf);
    expect(fixed.outcome).toBe('passes');
    expect(fixed.lassoNote).toMatch(/^the loop is not fair: fire lock.lease is weakly fair/);
  });

  it('a label that matches several successors: every run is followed, and one that violates is reported', () => {
    // Flip goes to 1 or to 2 (the same label), then Inc adds 1; only 3 is bad. The saved trace went 0, 1, 2.
    const flip = spec({
      name: 'flip',
      init: () => ({ x: 0 }),
      actions: { Flip: (s: { x: number }) => (s.x === 0 ? [{ x: 1 }, { x: 2 }] : []), Inc: (s: { x: number }) => (s.x > 0 ? { x: s.x + 1 } : []) },
      invariants: { notThree: (s) => s.x !== 3 || 'x is 3' },
    });
    const saved = [{ action: null, state: { x: 0 } }, { action: 'Flip', state: { x: 1 } }, { action: 'Inc', state: { x: 2 } }];
    const itf = JSON.stringify(counterexampleItf(saved, { spec: 'flip', params: {}, property: 'notThree', kind: 'invariant', message: 'x is 3' }));
    const r = replayItfByActions(S(flip), itf);
    expect(r.outcome).toBe('reproduced');
    expect(r.branches).toBe(2);
    expect(r.violation).toMatchObject({ property: 'notThree', step: 2 });
    expect(r.trace.map((t) => t.state)).toEqual([{ x: 0 }, { x: 2 }, { x: 3 }]);
  });

  it('a trace without labels, or malformed, is an error (exit 2)', () => {
    const unlabelled = JSON.stringify(counterexampleItf([{ action: null, state: { x: 0 } }, { action: null, state: { x: 1 } }], { spec: 'flip', params: {}, property: 'p', kind: 'invariant', message: 'm' }));
    const counter = spec({ name: 'counter', init: () => ({ x: 0 }), actions: { Inc: (s: { x: number }) => ({ x: s.x + 1 }) }, invariants: {} });
    const r = replayItfByActions(S(counter), unlabelled);
    expect(r.outcome).toBe('error');
    expect(actionReplayExitCode(r)).toBe(2);
    expect(r.error!.message).toBe('step 1 of the trace has no action label: a trace replays by actions only with the label of every step');
    expect(replayItfByActions(S(counter), '{"states": 3}').outcome).toBe('error');
  });
});
