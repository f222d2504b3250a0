// A message engine (redis-server or nats-server) on a free loopback port, for the bench
// scripts: started here, stopped by the caller, nothing listening beyond this machine.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const answers = (port) =>
  new Promise((resolve) => {
    const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
    c.on('error', () => resolve(false));
  });

/** Starts `engine` on `port`, with `args` of its own, and waits until it accepts connections. */
export async function startEngine(engine, port, args = []) {
  const child =
    engine === 'nats'
      ? spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...args], { stdio: 'ignore' })
      : spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (await answers(port)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw new Error(`${engine} did not start`);
}
