// Issue 19, item 7 (the rest of the audit) and item 8's CLI tests: flags that must
// not be silently ignored, params of every kind, and the usage errors the audit found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-audit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Doc {
  strategy: string;
  verdict: string;
  complete: boolean;
  incomplete?: { reason: string };
  params: Record<string, unknown>;
  violation?: { trace: { action: string | null; state: Record<string, unknown> }[] };
}
const json = (stdout: string) => JSON.parse(stdout) as Doc;

describe('flags that must not be ignored', () => {
  it('--strategy dfs: the depth-first trace (8 steps on diehard, BFS finds 6)', () => {
    const bfs = json(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--json']).stdout);
    const dfs = json(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--json', '--strategy', 'dfs']).stdout);
    expect([bfs.strategy, bfs.violation!.trace.length]).toEqual(['bfs', 7]);
    expect([dfs.strategy, dfs.violation!.trace.length]).toEqual(['dfs', 9]);
  });

  it('--max-time 1 on a search of minutes: incomplete (maxTime), exit 0 (3 with --require-complete)', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '-p', 'rms=9', '--no-typecheck', '--json', '--max-time', '1', '--require-complete']);
    expect(r.code).toBe(3);
    expect(json(r.stdout)).toMatchObject({ verdict: 'incomplete', complete: false, incomplete: { reason: 'maxTime' } });
  });

  it('--coverage: the count of every action is printed, and only with the flag', () => {
    const on = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--coverage']);
    const off = faultline(['check', 'specs/diehard.ts', '--no-typecheck']);
    expect(on.stdout).toContain('Coverage (successors generated per action):\n  FillSmall: 12\n  FillBig: 12');
    expect(off.stdout).not.toContain('Coverage (successors generated per action)');
  });
});

describe('-p values of every kind', () => {
  const F = 'test/fixtures/hardening/param-kinds.ts';
  it('a list, a string, a boolean and a number reach the spec', () => {
    const r = faultline(['check', F, '--no-typecheck', '--json', '-p', 'names=x,y,z', '-p', 'mode=slow', '-p', 'strict=true', '-p', 'n=5']);
    const doc = json(r.stdout);
    expect(doc.params).toEqual({ names: ['x', 'y', 'z'], mode: 'slow', strict: true, n: 5 });
    expect(doc.violation!.trace[0]!.state).toEqual({ names: 'x+y+z', mode: 'slow', strict: true, n: 5 });
  });

  it('a value of the wrong kind is a spec error naming the param and its type', () => {
    const b = faultline(['check', F, '--no-typecheck', '-p', 'strict=maybe']);
    expect(b.code).toBe(2);
    expect(b.stdout).toContain('param strict of spec "param-kinds" must be a boolean (default false), got "maybe"');
    const n = faultline(['check', F, '--no-typecheck', '-p', 'n=abc']);
    expect(n.code).toBe(2);
    // an integer default asks for an integer (issue 18's message)
    expect(n.stdout).toContain('param n of spec "param-kinds" must be an integer (default 2), got "abc"');
  });

  it('a param given twice is a usage error (the last one used to win silently)', () => {
    const r = faultline(['check', 'specs/diehard.ts', '-p', 'goal=3', '-p', 'goal=4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('faultline: -p goal is given more than once');
  });

  it('simulate and replay reject a repeated -p or --faults the same way', () => {
    const trace = path.join(tmp, 'diehard.itf.json');
    expect(faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--trace-out', trace]).code).toBe(0);
    const runs = [
      ['simulate', 'specs/diehard.ts', '-p', 'goal=3', '-p', 'goal=4'],
      ['replay', 'specs/diehard.ts', trace, '-p', 'goal=3', '-p', 'goal=4'],
      ['replay', tmp, '-p', 'goal=3', '-p', 'goal=4'],
    ];
    for (const args of runs) {
      const r = faultline([...args, '--no-typecheck']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('faultline: -p goal is given more than once\n');
      expect(r.stdout, args.join(' ')).toBe('');
    }
    const faults = faultline(['replay', 'specs/lossy-request.buggy.ts', trace, '--faults', 'drop=1', '--faults', 'drop=2', '--no-typecheck']);
    expect(faults.code).toBe(2);
    expect(faults.stderr).toBe('faultline: --faults drop is given more than once\n');
  });
});

describe('usage errors the audit found', () => {
  it('--max-states 0 is a usage error (it used to stop at 14 states)', () => {
    const r = faultline(['check', 'specs/diehard.ts', '--max-states', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-states must be a positive integer, got "0"');
  });

  it('replay of a folder with no traces is a usage error, not ✓ 0 saved traces', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const r = faultline(['replay', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no saved traces (*.itf.json)');
  });

  it('replay of a trace cut before its violation says the trace ends before it', () => {
    const itf = path.join(tmp, 'lease.itf.json');
    expect(faultline(['check', 'specs/lease-pause.buggy.ts', '--no-typecheck', '--trace-out', itf]).code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(itf, 'utf8')) as { states: unknown[] };
    const cut = path.join(tmp, 'cut.itf.json');
    fs.writeFileSync(cut, JSON.stringify({ ...doc, states: doc.states.slice(0, 3) }));
    const r = faultline(['replay', 'specs/lease-pause.buggy.ts', cut, '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('the trace ends after step 2 without writesInLeaseOrder, which it was saved for');
    expect(r.stdout).toContain('or the file was cut short before it');
  });
});
