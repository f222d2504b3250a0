// A search's bounds (--max-states, --max-time, --max-memory) and its stop requests
// (a signal or the command's heartbeat, through options.shouldStop), checked between expansions, with the progress
// report riding on the same clock reads.
import type { CheckOptions, Stats } from '../types.js';

export type StopReason = 'maxDepth' | 'maxStates' | 'maxTime' | 'maxMemory' | 'interrupted';

export class Budget {
  /** The bound that cut the search short, if any. */
  stopped?: StopReason;
  private stopPolls = 0;
  /** Expansions since the start: the clock is read every 256th. */
  private clockPolls = 0;
  private nextProgress: number;
  private readonly deadline: number;

  constructor(
    private readonly options: CheckOptions,
    startedAt: number,
    /** The distinct states so far, which --max-states bounds. */
    private readonly distinct: () => number,
    /** The running statistics, for the progress report. */
    private readonly stats: () => Stats,
  ) {
    this.nextProgress = startedAt + (options.progressIntervalMs ?? 2000);
    this.deadline = options.maxTimeMs === undefined ? Infinity : startedAt + options.maxTimeMs;
  }

  /** Bounds checked between expansions; sets `stopped`. Returns true to stop. */
  exceeded(countStates = true): boolean {
    const options = this.options;
    if (options.shouldStop !== undefined && (++this.stopPolls & 63) === 0 && options.shouldStop()) {
      this.stopped = 'interrupted';
    } else if (countStates && options.maxStates !== undefined && this.distinct() >= options.maxStates) this.stopped = 'maxStates';
    else if ((++this.clockPolls & 255) === 0) {
      const now = Date.now();
      if (now >= this.deadline) this.stopped = 'maxTime';
      else if (options.maxMemoryBytes !== undefined && process.memoryUsage.rss() >= options.maxMemoryBytes) {
        this.stopped = 'maxMemory';
      } else this.progress(now);
    }
    return this.stopped !== undefined;
  }

  /**
   * Reports the statistics if a report is due at `now`. One clock for the whole search:
   * the shards' coordinator reports through it too, so the lines stay 2 s apart across
   * the hand-over (each with its own clock, a 4.7 s search printed at 2.0 s and 2.8 s).
   */
  progress(now: number, stats: () => Stats = this.stats): void {
    const { onProgress } = this.options;
    if (onProgress === undefined || now < this.nextProgress) return;
    this.nextProgress = now + (this.options.progressIntervalMs ?? 2000);
    onProgress(stats());
  }
}
