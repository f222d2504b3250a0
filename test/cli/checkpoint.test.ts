// --checkpoint / --resume from the command line: a check SIGKILLed after its first
// or third checkpoint and resumed ends with the counts and verdict of a check
// never killed (packed, plain-object and protocol specs); SIGINT leaves a checkpoint
// to resume from; `check --resume DIR` needs no spec or params; bad uses are usage
// errors.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { faultline, root } from './run.js';
import { runAndSignal } from '../hardening/spawn.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-cli-checkpoint-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(tmp, `cp${dirs++}`);

/** Runs `faultline ARGS` and SIGKILLs it once DIR's checkpoint has been (re)written `writes` times. */
function killAfterCheckpoints(args: readonly string[], dir: string, writes: number, env: Record<string, string> = {}): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/faultline.js', ...args], { cwd: root, stdio: 'ignore', env: { ...process.env, ...env } });
    const file = path.join(dir, 'checkpoint.fl');
    let seen = 0;
    let last = -1;
    const poll = setInterval(() => {
      let mtime: number;
      try {
        mtime = fs.statSync(file).mtimeMs;
      } catch {
        return;
      }
      if (mtime === last) return;
      last = mtime;
      if (++seen >= writes) child.kill('SIGKILL');
    }, 5);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ signal, code });
    });
  });
}

function counts(json: string) {
  const r = JSON.parse(json) as { verdict: string; stats: { distinctStates: number; generatedStates: number; depth: number }; violation?: { property: string; trace: { action: string | null }[] } };
  return {
    verdict: r.verdict,
    distinct: r.stats.distinctStates,
    generated: r.stats.generatedStates,
    depth: r.stats.depth,
    violation: r.violation && { property: r.violation.property, trace: r.violation.trace.map((s) => s.action) },
  };
}

describe('a check killed (SIGKILL) and resumed ends as one never killed', () => {
  const cases: [string, string[]][] = [
    ['specs/two-phase.packed.ts', ['-p', 'rms=7']],
    ['specs/two-phase.ts', ['-p', 'rms=6', '--no-liveness']],
    ['specs/paxos.buggy.ts', ['-p', 'acceptors=2']],
  ];
  for (const [spec, args] of cases) {
    test(`${spec} ${args.join(' ')}`, async () => {
      const common = [...args, '--no-typecheck', '--trace', 'none', '--json'];
      const whole = faultline(['check', spec, ...common]);
      expect(whole.stderr).toBe('');
      const expected = counts(whole.stdout);
      for (const writes of [1, 3]) {
        const dir = freshDir();
        const killed = await killAfterCheckpoints(['check', spec, ...common, '--checkpoint', dir, '--checkpoint-every', '0.05s'], dir, writes);
        // Killed mid-search, unless the search was over first (then the checkpoint is one from its way).
        if (killed.signal !== 'SIGKILL') expect(killed.code).toBe(expected.verdict === 'violation' ? 1 : 0);
        const resumed = faultline(['check', '--resume', dir, '--no-typecheck', '--trace', 'none', '--json']);
        expect(counts(resumed.stdout)).toEqual(expected);
        const doc = JSON.parse(resumed.stdout) as { checkpoint: { resumed: { distinctStates: number } } };
        expect(doc.checkpoint.resumed.distinctStates).toBeGreaterThan(0);
      }
    }, 240_000);
  }
});

describe('the same with --workers 2: checkpoints at shared level boundaries, resumed by 2 workers or by 1', () => {
  // The shards take over from the first level (these searches are too short to pay for them otherwise).
  const share = { FAULTLINE_SHARE_EVERY_LEVEL: '1' };
  const cases: [string, string[]][] = [
    ['specs/two-phase.packed.ts', ['-p', 'rms=7']],
    ['specs/two-phase.ts', ['-p', 'rms=6', '--no-liveness']],
  ];
  for (const [spec, args] of cases) {
    test(`${spec} ${args.join(' ')}`, async () => {
      const common = [...args, '--no-typecheck', '--trace', 'none', '--json'];
      const expected = counts(faultline(['check', spec, ...common]).stdout);
      for (const [writes, resumeWith] of [
        [2, '2'],
        [4, '1'],
      ] as const) {
        const dir = freshDir();
        const killed = await killAfterCheckpoints(['check', spec, ...common, '--workers', '2', '--checkpoint', dir, '--checkpoint-every', '0.05s'], dir, writes, share);
        if (killed.signal !== 'SIGKILL') expect(killed.code).toBe(0);
        const resumed = faultline(['check', '--resume', dir, '--workers', resumeWith, '--no-typecheck', '--trace', 'none', '--json'], share);
        expect(counts(resumed.stdout)).toEqual(expected);
      }
    }, 240_000);
  }
});

describe('the command line', () => {
  test('a state bound leaves a checkpoint; --resume DIR (no spec, no -p) goes on with the same spec and params', () => {
    const dir = freshDir();
    const whole = faultline(['check', 'specs/two-phase.packed.ts', '-p', 'rms=6', '--no-typecheck', '--trace', 'none']);
    const stopped = faultline(['check', 'specs/two-phase.packed.ts', '-p', 'rms=6', '--no-typecheck', '--checkpoint', dir, '--max-states', '2000']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/checkpoint: 2 written to .*cp\d+ \(the last: 2,00\d states, [\d.]+ KiB; writing took [\d.]+ s\); --resume .*cp\d+ goes on from it/);
    const resumed = faultline(['check', '--resume', dir, '--no-typecheck', '--trace', 'none']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/two-phase-packed \(.*two-phase\.packed\.ts\)\s+params: rms=6/);
    expect(resumed.stdout).toMatch(/resumed from .*cp\d+: 2,00\d states, expanding depth \d+, after [\d.]+ s of earlier search/);
    const line = (out: string) => /^([\d,]+ distinct states, [\d,]+ generated, depth \d+)/m.exec(out)?.[1];
    expect(line(resumed.stdout)).toBe(line(whole.stdout));
  });

  test("SIGINT: exit 130, a checkpoint where it stopped, and the resumed check gives TLC's count (two-phase rms=8: 1,745,408 distinct states)", async () => {
    const dir = freshDir();
    // Progress every 0.2 s: the signal comes at about a tenth of the search, however fast the machine.
    const interrupted = await runAndSignal(['check', 'specs/two-phase.packed.ts', '-p', 'rms=8', '--no-typecheck', '--progress', '--checkpoint', dir], 'SIGINT', /^progress: /m, 60_000, 'stderr', {
      FAULTLINE_PROGRESS_MS: '200',
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toMatch(/interrupted before exploring every state/);
    expect(interrupted.stdout).toMatch(/checkpoint: 2 written to /);
    const resumed = faultline(['check', '--resume', dir, '--no-typecheck']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^1,745,408 distinct states, 18,507,778 generated, depth 25/m);
  }, 180_000);

  test("SIGINT with --workers 2 in a shared level: exit 130, a checkpoint at that level's start, and TLC's count once resumed", async () => {
    const dir = freshDir();
    // Every level shared from the start, and progress every 0.2 s: the shards would
    // otherwise take over only after 2 s, and on a fast machine the shared levels of rms=8
    // were over before a progress line said "shared" (c8acde7's CI: the check ran to its
    // end, exit 0).
    const interrupted = await runAndSignal(
      ['check', 'specs/two-phase.packed.ts', '-p', 'rms=8', '--workers', '2', '--no-typecheck', '--progress', '--checkpoint', dir],
      'SIGINT',
      /level shared by 2 workers/,
      60_000,
      'stderr',
      { FAULTLINE_SHARE_EVERY_LEVEL: '1', FAULTLINE_PROGRESS_MS: '200' },
    );
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toMatch(/interrupted before exploring every state/);
    expect(interrupted.stdout).toMatch(/checkpoint: \d+ written to /);
    const resumed = faultline(['check', '--resume', dir, '--workers', '2', '--no-typecheck']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^1,745,408 distinct states, 18,507,778 generated, depth 25/m);
  }, 180_000);

  test('usage errors', () => {
    const dir = freshDir();
    const every = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--checkpoint-every', '1m']);
    expect(every.code).toBe(2);
    expect(every.stderr).toMatch(/--checkpoint-every needs --checkpoint DIR/);
    const badEvery = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--checkpoint', dir, '--checkpoint-every', 'soon']);
    expect(badEvery.code).toBe(2);
    expect(badEvery.stderr).toMatch(/--checkpoint-every must be a duration such as 10m, 30s or 1h, got "soon"/);
    const two = faultline(['check', 'specs/diehard.ts', 'specs/diehard.packed.ts', '--no-typecheck', '--checkpoint', dir]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/save one search: name one spec file \(got 2\)/);
    const proc = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--checkpoint', '/proc/faultline-cp']);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toMatch(/--checkpoint \/proc\/faultline-cp: is on a kernel filesystem/);
    const none = faultline(['check', '--no-typecheck']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the spec files to check \(or --resume DIR/);
    const missing = faultline(['check', '--resume', freshDir(), '--no-typecheck']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/there is no checkpoint there/);
    const other = faultline(['check', 'specs/diehard.ts', '--no-typecheck', '--checkpoint', dir, '-p', 'goal=6', '--max-states', '3']);
    expect(other.code).toBe(0);
    const refused = faultline(['check', '--resume', dir, '-p', 'goal=5', '--no-typecheck']);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toMatch(/params: the checkpoint has \{"goal":6\}, this check \{"goal":5\}/);
  });
});
