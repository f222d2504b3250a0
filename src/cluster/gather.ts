// Gathering workers, the same for a check (coordinator.ts) and a swarm
// (swarm-coordinator.ts): workers repeat their hello on the join channel until they
// are welcomed; the coordinator takes the first N still subscribed (with a start-after
// time, those there once it has passed), welcomes each with its run's settings, and
// waits until each accepted. A refusal, a failure or a worker gone before it answered
// ends the gathering with a ClusterError naming that worker, never a wait without end.
// Once gathered, `watchSubscribed` notices a worker whose process is gone: its
// subscription to the engine ends with it, even when it was killed by SIGKILL.
import type { Bus } from './bus.js';
import { ClusterError } from './errors.js';
import type { ClusterMessage, ToCoordinator } from './protocol.js';

/** A worker's answer to its welcome. */
export type Answer = Extract<ToCoordinator, { t: 'accepted' | 'refused' | 'lost' }>;

export const isAnswer = (body: ClusterMessage): body is Answer => body.t === 'accepted' || body.t === 'refused' || body.t === 'lost';

/** Polls `done` until it holds; throws (a ClusterError) when the cluster is lost or the run stops, saying `stopped()`. */
export type Until = (done: () => Promise<boolean> | boolean, stopped: () => string) => Promise<void>;

/** An answered worker gone before its answer arrived: its answer may still be on the way on the other connection. */
const ANSWER_GRACE_MS = 500;

export class Gathering {
  /** Workers that said hello and are still candidates, in the order of their first hello. */
  readonly candidates = new Set<string>();
  private readonly answers = new Map<string, Answer>();

  constructor(
    private readonly bus: () => Bus<ClusterMessage>,
    private readonly until: Until,
  ) {}

  hello(from: string): void {
    this.candidates.add(from);
  }

  answer(from: string, body: Answer): void {
    this.answers.set(from, body);
  }

  answerOf(id: string): Answer | undefined {
    return this.answers.get(id);
  }

  /**
   * Waits for `n` workers still subscribed (with `startAfterMs`: at least one, once that
   * long has passed) and returns the first n; the others stay candidates.
   */
  async workers(n: number, startAfterMs?: number): Promise<string[]> {
    const since = Date.now();
    await this.until(
      async () => {
        for (const w of [...this.candidates]) if (!(await this.bus().listening(w))) this.candidates.delete(w);
        const k = this.candidates.size;
        return k >= n || (startAfterMs !== undefined && k >= 1 && Date.now() - since >= startAfterMs);
      },
      () => `stopped while waiting for ${n} workers (${this.candidates.size} joined)`,
    );
    return [...this.candidates].slice(0, n);
  }

  /**
   * Waits until each of `ids` (already welcomed) answered; throws naming the first that
   * left before it answered, refused or failed (`name(i, id)`: how to name the i-th).
   */
  async accepted(ids: readonly string[], name: (i: number, id: string) => string): Promise<void> {
    await this.until(
      async () => {
        for (const [i, w] of ids.entries()) {
          if (this.answers.has(w) || (await this.bus().listening(w))) continue;
          await new Promise((resolve) => setTimeout(resolve, ANSWER_GRACE_MS));
          if (!this.answers.has(w)) throw new ClusterError(`${name(i, w)} left before it answered`);
        }
        return ids.every((w) => this.answers.has(w));
      },
      () => 'stopped while the workers were loading the spec',
    );
    for (const [i, w] of ids.entries()) {
      const a = this.answers.get(w)!;
      if (a.t === 'refused') throw new ClusterError(`${name(i, w)} refused to join: ${a.message}`);
      if (a.t === 'lost') throw new ClusterError(`${name(i, w)} failed: ${a.message}`);
    }
  }
}

/** How often a coordinator asks the engine whether every worker is still subscribed. */
const WATCH_MS = 200;

/** Every WATCH_MS, calls `gone(id)` for each of `ids()` no longer subscribed to the engine; stop it with clearInterval. */
export function watchSubscribed(bus: Bus<ClusterMessage>, ids: () => Iterable<string>, gone: (id: string) => void): NodeJS.Timeout {
  return setInterval(() => {
    void (async () => {
      for (const id of [...ids()]) {
        try {
          if (!(await bus.listening(id))) gone(id);
        } catch {
          // The engine itself: the end of its connection is reported by the bus.
        }
      }
    })();
  }, WATCH_MS);
}
