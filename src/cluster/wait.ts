// The coordinators' one way of waiting on their workers (the check's and the swarm's):
// poll a condition, and end the wait with a ClusterError as soon as the cluster is
// lost (a worker or the engine gone) or the run should stop (a signal, --max-time).
import { ClusterError } from './errors.js';

export interface WaitOptions {
  /** Why the cluster failed, once it has. */
  readonly lost: () => string | undefined;
  readonly shouldStop?: () => boolean;
  /** What to say when shouldStop ended the wait. */
  readonly stopped: () => string;
  /** Called between polls (a watchdog that must see the waiter alive). */
  readonly beat?: () => void;
  readonly everyMs: number;
}

export async function waitUntil(done: () => Promise<boolean> | boolean, o: WaitOptions): Promise<void> {
  for (;;) {
    const lost = o.lost();
    if (lost !== undefined) throw new ClusterError(lost);
    if (await done()) return;
    if (o.shouldStop?.()) throw new ClusterError(o.stopped());
    o.beat?.();
    await new Promise((resolve) => setTimeout(resolve, o.everyMs));
  }
}
