// Resource bounds of a command line (issue 19, item 4): how many search threads a
// spec may have, and how much memory a check may use before it stops cleanly.
import os from 'node:os';
import v8 from 'node:v8';

/**
 * More search threads than this many per core only add start-up time and memory
 * (measured: --workers 1000 reached 16 GB and died starting threads; the packed
 * search's speed-up is flat past the cores).
 */
export const WORKERS_PER_CORE = 4;

export function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** --workers capped at WORKERS_PER_CORE × the cores; `note` is the message to print when it was capped. */
export function cappedWorkers(requested: number, coreCount = cores()): { workers: number; note?: string } {
  const cap = WORKERS_PER_CORE * coreCount;
  if (requested <= cap) return { workers: requested };
  return {
    workers: cap,
    note: `--workers ${requested} is more than ${WORKERS_PER_CORE} per core (${coreCount} ${coreCount === 1 ? 'core' : 'cores'}): using ${cap}`,
  };
}

/** The share of the machine's memory a check may use by default (--max-memory). */
export const DEFAULT_MEMORY_SHARE = 0.8;

/** The default of --max-memory: DEFAULT_MEMORY_SHARE of the machine's memory. */
export function defaultMaxMemory(total = os.totalmem()): number {
  return Math.floor(total * DEFAULT_MEMORY_SHARE);
}

/**
 * The JavaScript heap limit of each job worker, in MB: its share of --max-memory, but
 * never above Node's own limit (a bigger heap only delays the end) nor below 256 MB.
 * A worker that exceeds it is stopped by Node with an error, which the job runner
 * reports as that spec's error (naming its params) instead of the process dying.
 */
export function workerHeapMb(maxMemoryBytes: number, jobs: number): number {
  const nodeLimit = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  return Math.max(256, Math.floor(Math.min(nodeLimit, maxMemoryBytes / 2 ** 20 / Math.max(1, jobs))));
}
