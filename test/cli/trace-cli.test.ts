// The trace flags of `check`/`simulate` and the `replay` command, as a user runs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from './run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-trace-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SHORTCUT = 'test/trace/fixtures/shortcut.ts';
const LEASE = 'specs/protocol-examples/lease.ts';

describe('check: fault-minimal counterexamples', () => {
  it('prints the fault-minimal trace by default, with both sizes', () => {
    const r = faultline(['check', SHORTCUT, '--no-typecheck']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Counterexample (4 steps, 0 faults, fault-minimal):');
    expect(r.stdout).toContain('shortest: 3 steps, 1 fault; fault-minimal: 4 steps, 0 faults');
    expect(r.stdout).not.toContain('crash');
  });

  it('--minimise off prints the shortest (BFS) trace', () => {
    const r = faultline(['check', SHORTCUT, '--no-typecheck', '--minimise', 'off']);
    expect(r.stdout).toContain('Counterexample (3 steps, 1 fault, shortest):');
    expect(r.stdout).toContain('FAULT    crash');
    expect(r.stdout).toContain('note: recovered from a checkpoint at n=3');
  });

  it('--json keeps the BFS trace in violation.trace and adds violation.minimised (when a trace file is written)', () => {
    const r = faultline(['check', SHORTCUT, '--no-typecheck', '--json', '--trace-out', path.join(tmp, 'shortcut-json.itf.json')]);
    const doc = JSON.parse(r.stdout);
    expect(doc.violation.trace.map((s: { action: string }) => s.action)).toEqual([null, 'crash b', 'restart b', 'deliver Go a→b']);
    expect(doc.violation.minimised).toMatchObject({ steps: 4, faults: 0, shortest: { steps: 3, faults: 1 }, proven: true, sameAsShortest: false });
    expect(doc.violation.minimised.trace).toHaveLength(5);
    expect(doc.violation.minimised.trace[4].state.nodes.b.state).toEqual({ done: true, n: 3 });
  });
});

describe('check: --trace, --no-chart', () => {
  it('--no-chart drops the chart (compact with the chart is the default: see --trace-out below)', () => {
    const b = faultline(['check', LEASE, '--no-typecheck', '--faults', 'pause=1', '--no-chart']);
    expect(b.stdout).not.toContain('Sequence chart:');
    expect(b.stdout).toContain('  4  t=0  client1  FAULT    pause');
  });

  it('full shows every change; none prints no trace', () => {
    const full = faultline(['check', LEASE, '--no-typecheck', '--faults', 'pause=1', '--trace', 'full', '--no-chart']);
    expect(full.stdout).toContain('- in flight Acquire client1→lock (delivered)');
    const none = faultline(['check', LEASE, '--no-typecheck', '--faults', 'pause=1', '--trace', 'none']);
    expect(none.stdout).not.toContain('Counterexample');
    expect(none.stdout).toContain('✗ invariant writeWithinLease violated');
    const bad = faultline(['check', LEASE, '--no-typecheck', '--trace', 'long']);
    expect(bad.code).toBe(2);
  });
});

describe('--trace-out, --mermaid, --html and replay', () => {
  const itf = path.join(tmp, 'lease.itf.json');

  it('writes the files it is asked for', () => {
    const mmd = path.join(tmp, 'out', 'lease.mmd');
    const html = path.join(tmp, 'lease.html');
    const r = faultline(['check', LEASE, '--no-typecheck', '--faults', 'pause=1', '--trace-out', itf, '--mermaid', mmd, '--html', html]);
    expect(r.stdout).toMatch(/counterexample \(ITF, 8 steps\) written to .*lease\.itf\.json/);
    expect(r.stdout).toMatch(/sequence diagram \(Mermaid\) written to/);
    expect(r.stdout).toMatch(/HTML report written to/);
    expect(r.stdout).toContain('  4  t=0  client1  FAULT    pause');
    expect(r.stdout).toContain('Sequence chart:');
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    expect(doc['#meta']).toMatchObject({ format: 'ITF', source: LEASE, spec: 'lease', faults: { pause: 1 }, property: 'writeWithinLease', trace: 'shortest', faultsUsed: 1 });
    expect(fs.readFileSync(mmd, 'utf8').startsWith('---\ntitle: "lease: writeWithinLease violated"\n---\nsequenceDiagram\n')).toBe(true);
    expect(fs.readFileSync(html, 'utf8')).toContain('<svg');
  });

  it('replay: exit 1 when the violation reproduces', () => {
    const r = faultline(['replay', LEASE, itf, '--no-typecheck', '--no-chart']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ the violation reproduces: invariant writeWithinLease violated at step 8');
    expect(r.stdout).toContain('Counterexample (8 steps, 1 fault, replayed):');
  });

  it('replay: exit 0 when the trace replays and no property fails', () => {
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    doc.states = doc.states.slice(0, 8);
    const f = path.join(tmp, 'prefix.itf.json');
    fs.writeFileSync(f, JSON.stringify(doc));
    const r = faultline(['replay', LEASE, f, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ the trace replays (7 steps) and no property fails');
  });

  it('replay: exit 4 at the first step that does not fit, with what is enabled or the diff', () => {
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8'));
    doc.states[4]['#meta'].action = 'crash client1';
    const f = path.join(tmp, 'bad.itf.json');
    fs.writeFileSync(f, JSON.stringify(doc));
    const r = faultline(['replay', LEASE, f, '--no-typecheck']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('✗ the trace no longer fits the spec: step 4 (crash client1) is not enabled');
    expect(r.stdout).toMatch(/Enabled after step 3: .*pause client1/);
    doc.states[4]['#meta'].action = 'pause client2';
    fs.writeFileSync(f, JSON.stringify(doc));
    const d = faultline(['replay', LEASE, f, '--no-typecheck']);
    expect(d.code).toBe(4);
    expect(d.stdout).toContain('step 4 (pause client2) leads to a different state');
    expect(d.stdout).toContain('nodes.client1.status: "up" → "paused"');
    const j = JSON.parse(faultline(['replay', LEASE, f, '--no-typecheck', '--json']).stdout);
    expect(j).toMatchObject({ command: 'replay', outcome: 'diverged', exit: 4, divergence: { step: 4, reason: 'different-state' } });
  });

  it('replay: exit 2 for a missing or malformed trace file', () => {
    expect(faultline(['replay', LEASE, path.join(tmp, 'nope.json'), '--no-typecheck']).code).toBe(2);
    const f = path.join(tmp, 'garbage.json');
    fs.writeFileSync(f, '{"vars": 1}');
    const r = faultline(['replay', LEASE, f, '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ cannot replay: invalid ITF');
  });

  it('the fault-minimal trace is the one written, and it replays', () => {
    const f = path.join(tmp, 'shortcut.itf.json');
    faultline(['check', SHORTCUT, '--no-typecheck', '--trace-out', f, '--trace', 'none']);
    const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
    expect(doc['#meta']).toMatchObject({ trace: 'fault-minimal', faultsUsed: 0 });
    expect(doc.states).toHaveLength(5);
    expect(faultline(['replay', SHORTCUT, f, '--no-typecheck', '--trace', 'none']).code).toBe(1);
  });

  it('simulate writes its random walk', () => {
    const f = path.join(tmp, 'walk.itf.json');
    const r = faultline(['simulate', SHORTCUT, '--no-typecheck', '--walks', '50', '--depth', '10', '--trace-out', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('random walk');
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))['#meta'].trace).toBe('random-walk');
    expect(faultline(['replay', SHORTCUT, f, '--no-typecheck', '--trace', 'none']).code).toBe(1);
  });
});
