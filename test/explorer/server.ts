// Starts `faultline explore` as a user would (the built CLI, bin/faultline.js) on a
// free port, and stops it (SIGINT, as Ctrl-C: exit 130) when the test is done.
import { spawn, type ChildProcess } from 'node:child_process';
import { root } from '../cli/run.js';

export interface ExploreServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly base: string;
  /** The URL it printed, with the path's fragment. */
  readonly printed: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends `signal` (default SIGINT, as Ctrl-C); resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startExplore(args: readonly string[]): Promise<ExploreServer> {
  const child = spawn(process.execPath, ['bin/faultline.js', 'explore', '--port', '0', '--no-typecheck', ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`explore did not start: ${out}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`explore exited with ${code}: ${out}`)));
    const poll = setInterval(() => {
      const m = /^open (http:\/\/127\.0\.0\.1:\d+)\/(\S*)$/m.exec(out);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        base: m[1]!,
        printed: `${m[1]}/${m[2]}`,
        child,
        output: () => out,
        stop: (signal: NodeJS.Signals = 'SIGINT') =>
          new Promise((r) => {
            if (child.exitCode !== null) return r(child.exitCode);
            child.removeAllListeners('exit');
            child.on('exit', (code) => r(code));
            child.kill(signal);
          }),
      });
    }, 50);
  });
}

export async function call(base: string, method: string, path: string, body?: unknown, raw = false): Promise<{ status: number; json: any }> {
  const r = await fetch(base + path, {
    method,
    ...(body !== undefined ? { body: raw ? (body as string) : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}),
  });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: r.status, json };
}

/** The shortest counterexample of specs/lease-pause.buggy.ts, as `check` prints it (15 steps). */
export const LEASE_PAUSE_COUNTEREXAMPLE = [
  'deliver Acquire client1→lock (by t=0)',
  'deliver Acquire client2→lock (by t=0)',
  'deliver Granted{ttl:2} lock→client1 (by t=0)',
  'step client1.check',
  'pause client1',
  'tick (t=1)',
  'tick (t=2)',
  'fire lock.expire',
  'deliver Granted{ttl:2} lock→client2 (by t=2)',
  'step client2.check',
  'step client2.write',
  'deliver Write{data:"client2"} client2→storage (by t=2)',
  'resume client1',
  'step client1.write',
  'deliver Write{data:"client1"} client1→storage (by t=2)',
];
