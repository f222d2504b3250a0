// A job worker's phase and heartbeat, and the stop flag, in shared memory: read and
// written across threads (jobs.ts, job-worker.ts, worker-host.ts, spec-thread.ts).

/** What a job worker is doing, for the watchdog: its own code, or code of the spec. */
export const PHASE = { idle: 0, typecheck: 1, load: 2, search: 3 } as const;
export type Phase = (typeof PHASE)[keyof typeof PHASE];

/**
 * A job worker's phase and heartbeat in shared memory: the worker bumps the beat
 * each time its search polls for a stop (every 64 states) and at each phase change;
 * the main thread's watchdog reads both, so it sees a worker stuck in the spec's code
 * even though that worker can no longer send a message.
 */
export class WorkerStatus {
  readonly buffer = new SharedArrayBuffer(8);
  private readonly cells = new Int32Array(this.buffer);
  get phase(): number {
    return Atomics.load(this.cells, 0);
  }
  get beat(): number {
    return Atomics.load(this.cells, 1);
  }
  /** The worker's side: set the phase, bump the beat. */
  static writer(buffer: SharedArrayBuffer): { phase(p: Phase): void; beat(): void } {
    const cells = new Int32Array(buffer);
    return {
      phase: (p) => {
        Atomics.store(cells, 0, p);
        Atomics.add(cells, 1, 1);
      },
      beat: () => void Atomics.add(cells, 1, 1),
    };
  }
}

/** A stop flag in shared memory: raised on the main thread, polled by searches in workers. */
export class StopFlag {
  readonly buffer = new SharedArrayBuffer(4);
  private readonly cell = new Int32Array(this.buffer);
  raise(): void {
    Atomics.store(this.cell, 0, 1);
  }
  get raised(): boolean {
    return Atomics.load(this.cell, 0) !== 0;
  }
  /** A reader of a flag made elsewhere (in a worker). */
  static reader(buffer: SharedArrayBuffer): () => boolean {
    const cell = new Int32Array(buffer);
    return () => Atomics.load(cell, 0) !== 0;
  }
}
