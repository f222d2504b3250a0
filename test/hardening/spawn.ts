// Spawning the built CLI and sending it a signal at a well-defined moment (no
// sleeps): once a line on stderr matches.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { root } from '../cli/run.js';

export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from the signal to the exit. */
  readonly afterSignalMs?: number;
}

/** Runs `faultline ARGS` (with `env` added) and sends `signal` once stderr (or, with `on: 'any'`, stdout and stderr) matches `when`. */
export function runAndSignal(args: readonly string[], signal: NodeJS.Signals, when: RegExp, guardMs = 60_000, on: 'stderr' | 'any' = 'stderr', env: Record<string, string> = {}): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['bin/faultline.js', ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let sentAt: number | undefined;
    const send = (): void => {
      if (sentAt !== undefined) return;
      sentAt = Date.now();
      child.kill(signal);
    };
    const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (on === 'any' && when.test(stdout)) send();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (when.test(stderr)) send();
    });
    child.on('error', reject);
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, stdout, stderr, afterSignalMs: sentAt === undefined ? undefined : Date.now() - sentAt });
    });
  });
}
