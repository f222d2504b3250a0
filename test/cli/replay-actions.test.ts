// `faultline replay <spec> <trace> --by-actions` as a user runs it: the buggy spec's
// saved counterexample becomes a regression test of the fixed spec.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultline } from './run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-replay-actions-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const SPLIT = path.join(tmp, 'split-brain.itf.json');
const LEASE = path.join(tmp, 'lease-pause.itf.json');
const CLOCK = path.join(tmp, 'clock-jump.itf.json');

beforeAll(() => {
  expect(faultline(['check', 'specs/split-brain.buggy.ts', '--no-typecheck', '--trace', 'none', '--trace-out', SPLIT]).code).toBe(0); // expect met
  expect(faultline(['check', 'specs/lease-pause.buggy.ts', '--no-typecheck', '--trace', 'none', '--trace-out', LEASE]).code).toBe(0);
  expect(faultline(['check', 'specs/clock-jump.buggy.ts', '--no-typecheck', '--trace', 'none', '--trace-out', CLOCK]).code).toBe(0);
});

describe('replay --by-actions', () => {
  it('the fix keeps votedFor on disk: the state replay says "no longer fits" (4), by actions the property holds (0)', () => {
    const byStates = faultline(['replay', 'specs/split-brain.fixed.ts', SPLIT, '--no-typecheck']);
    expect(byStates.code).toBe(4);
    expect(byStates.stdout).toContain('✗ the trace no longer fits the spec');
    const r = faultline(['replay', 'specs/split-brain.fixed.ts', SPLIT, '--no-typecheck', '--by-actions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`replay split-brain.fixed (specs/split-brain.fixed.ts) by the actions of ${SPLIT}  params: nodes=3 timeout=3 maxTime=6`);
    expect(r.stdout).toContain('✓ all 8 steps of the trace replay by their actions and no property fails: oneLeaderPerTerm now holds all along the trace');
    expect(r.stdout).toContain("The spec's states first differ from the saved trace's in the initial state:\n  nodes.node1.durable: only in the spec: {term: 1, votedFor: \"node1\"}");
  });

  it('against the buggy spec: the violation still happens, exit 1, with the counterexample', () => {
    const r = faultline(['replay', 'specs/split-brain.buggy.ts', SPLIT, '--no-typecheck', '--by-actions', '--no-chart']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ the violation still happens: the trace's actions reach oneLeaderPerTerm at step 8: split brain: node2 and node3 are both leader of term 2");
    expect(r.stdout).toContain('Counterexample (8 steps, 1 fault, replayed by actions):');
  });

  it('the fix blocks the trace: the step, its label, what is enabled instead', () => {
    const r = faultline(['replay', 'specs/clock-jump.fixed.ts', CLOCK, '--no-typecheck', '--by-actions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ the fix blocks this trace at step 7: tick (t=3) is no longer enabled');
    expect(r.stdout).toContain('  6  clockJump client1 offset=-2\n  7  tick (t=3)  ✗ not enabled\n\nEnabled after step 6: step client1.release');
  });

  it('a changed message: exit 4, and --json gives the outcome, the verdict and the step', () => {
    const r = faultline(['replay', 'specs/lease-pause.fixed.ts', LEASE, '--no-typecheck', '--by-actions', '--json']);
    expect(r.code).toBe(4);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: 'replay', mode: 'actions', outcome: 'changed', exit: 4, spec: 'lease-pause.fixed', replayed: 2 });
    expect(doc.verdict).toMatch(/^the trace no longer fits at step 3: deliver Granted\{ttl:2\} lock→client1 \(by t=0\) is not enabled, but deliver Granted\{token:1,ttl:2\}/);
    expect(doc.blocked).toMatchObject({ step: 3, similar: ['deliver Granted{token:1,ttl:2} lock→client1 (by t=0)'] });
    expect(doc.trace).toHaveLength(3);
  });

  it('a folder of traces with --by-actions is a usage error', () => {
    const r = faultline(['replay', tmp, '--by-actions', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by-actions replays one trace file');
  });
});
