// The tests' own Redis server and cluster workers: redis-server on a free loopback
// port with a random password (so the token in the URL is exercised), started and
// stopped by the test file, nothing left running. Without redis-server the cluster
// tests are skipped, except in CI (CI=1), where that is a failure (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export const redisServer = (() => {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
    c.on('error', () => resolve(false));
  });

export interface Engine {
  readonly url: string;
  stop(): void;
}

export async function startEngine(): Promise<Engine> {
  const port = await freePort();
  const token = randomBytes(12).toString('hex');
  const server = spawn(redisServer!, ['--bind', '127.0.0.1', '--port', String(port), '--requirepass', token, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 25));
  return { url: `redis://:${token}@127.0.0.1:${port}`, stop: () => server.kill('SIGTERM') };
}

export interface WorkerRun {
  readonly child: ChildProcess;
  /** Its exit code (null: killed by a signal) and stderr, once it exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** `faultline worker FILE --cluster URL`, as a user starts it. */
export function startWorker(file: string, url: string, env: Record<string, string> = {}): WorkerRun {
  const child = spawn(process.execPath, ['bin/faultline.js', 'worker', file, '--cluster', url], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    // 'close', not 'exit': only then has all of its stderr been read (on a loaded machine 'exit' came first and stderr was empty).
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

export interface TestEngine {
  /** The engine's URL (with its token), once the file's tests run. */
  readonly url: string;
  /** `n` workers for `file`, killed after the file's tests if still running. */
  workers(file: string, n: number, env?: Record<string, string>): WorkerRun[];
  /** Another child process to kill after the file's tests. */
  track(child: ChildProcess): void;
}

/**
 * One test file's engine: started before its tests, stopped after them with every
 * worker still running; `shareEveryLevel` hands searches to the shards from the first
 * level (FAULTLINE_SHARE_EVERY_LEVEL), so small models exercise them.
 */
export function engineForTests(what: string, options: { shareEveryLevel?: boolean } = {}): TestEngine {
  if (redisServer === undefined && process.env.CI) throw new Error(`redis-server is not installed: the ${what} tests need it (.ci/run installs it)`);
  let engine: Engine | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    if (options.shareEveryLevel) process.env.FAULTLINE_SHARE_EVERY_LEVEL = '1';
    if (redisServer !== undefined) engine = await startEngine();
  });
  afterAll(() => {
    if (options.shareEveryLevel) delete process.env.FAULTLINE_SHARE_EVERY_LEVEL;
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    engine?.stop();
  });
  return {
    get url() {
      return engine!.url;
    },
    workers: (file, n, env = {}) => {
      const ws = Array.from({ length: n }, () => startWorker(file, engine!.url, env));
      children.push(...ws.map((w) => w.child));
      return ws;
    },
    track: (child) => void children.push(child),
  };
}
