// Checkpoints of a breadth-first search (TLC's -checkpoint / -recover): the visited
// set, the parent links, the level being expanded (from its first state not yet
// expanded) and the queue of the next, with the search's counters. Written between
// two expansions, so a resumed search goes on exactly where this one was and ends
// with the counts, verdict and trace of a search never interrupted.
import fs from 'node:fs';
import path from 'node:path';
import { SpecError } from '../../core/errors.js';
import { UsageError } from '../../core/params.js';
import type { StateSpace } from '../bfs.js';
import type { Search, SearchCounters } from '../search.js';
import type { CheckpointStats } from '../types.js';
import { CHECKPOINT_FILE, CheckpointData, readCheckpoint, readCheckpointHeader, writeCheckpoint } from './file.js';
import { checkIdentity, identityOf, type Identity } from './identity.js';
import { originOf } from './origin.js';
import type { ParamValue } from '../../core/types.js';

/** TLC checkpoints every 30 minutes; a third of that loses less of a long search, at a cost the bench measures. */
export const DEFAULT_CHECKPOINT_EVERY_MS = 10 * 60 * 1000;

export interface CheckpointRun {
  readonly dir: string;
  readonly everyMs?: number;
  readonly resumeFrom?: string;
  readonly identity: Identity;
  /** What the search was started with (origin.ts), for `check --resume DIR`. */
  readonly origin?: unknown;
}

/** Where a search goes on: the level at `depth` (of `levelSize` states), from state `from`. */
export interface LevelPosition {
  readonly depth: number;
  readonly levelSize: number;
  readonly from: number;
}

export class Checkpointer {
  readonly stats: CheckpointStats;
  /** Set when resuming: where the loop goes on. */
  readonly position: LevelPosition | undefined;
  private readonly everyMs: number;
  private nextAt: number;
  private polls = 0;

  /** The checkpointer of `search` by its options.checkpoint (which must be set). */
  static for(search: Search<unknown>, space: StateSpace, specName: string, params: Readonly<Record<string, ParamValue>>): Checkpointer {
    const { options } = search;
    return new Checkpointer(search, space, {
      ...options.checkpoint!,
      identity: identityOf(specName, options, params, search.checker.graph !== undefined, space.layout),
      origin: originOf(options.file && path.resolve(options.file), options.params, options.faults),
    });
  }

  /**
   * The layout (StateSpace.layout) of the checkpoint in `dir`, for the search resuming
   * it to keep its states so; undefined when unreadable (the constructor says why).
   */
  static layoutIn(dir: string): unknown {
    try {
      return (readCheckpointHeader(dir).identity as Identity | undefined)?.layout;
    } catch {
      return undefined;
    }
  }

  /** Prepares `run.dir` and, when resuming, restores the search and its space from `run.resumeFrom` (UsageError when that does not fit). */
  constructor(
    private readonly search: Search<unknown>,
    private readonly space: StateSpace,
    private readonly run: CheckpointRun,
  ) {
    this.everyMs = run.everyMs ?? DEFAULT_CHECKPOINT_EVERY_MS;
    const resumed = run.resumeFrom !== undefined ? this.restore(run.resumeFrom) : undefined;
    if (resumed === undefined || path.resolve(run.resumeFrom!) !== path.resolve(run.dir)) refuseOverwrite(run.dir);
    try {
      fs.mkdirSync(run.dir, { recursive: true });
    } catch (e) {
      throw new UsageError(`--checkpoint ${run.dir}: cannot create the folder: ${(e as Error).message}`);
    }
    this.position = resumed?.position;
    this.stats = { dir: run.dir, written: 0, bytes: 0, states: 0, writeMs: 0, ...(resumed ? { resumed: resumed.stats } : {}) };
    search.counts.checkpoint = this.stats;
    this.nextAt = Date.now() + this.everyMs;
  }

  /** Whether a checkpoint is due (the clock is read every 256th call). */
  due(): boolean {
    return (++this.polls & 255) === 0 && this.dueNow();
  }

  /** Whether a checkpoint is due, by the clock. */
  dueNow(): boolean {
    return Date.now() >= this.nextAt;
  }

  /**
   * Writes the search at `position`. A failed write ends the search with an error
   * naming the folder (the checkpoint written before stays whole); returns false then.
   */
  save(position: LevelPosition): boolean {
    const { search } = this;
    return this.write(position, search.counters(), search.distinct, (data) => {
      this.space.save(data, position.from);
      search.checker.graph?.save(data, search.links.size);
    });
  }

  /**
   * Writes a checkpoint of the search at `position`, with these counters, whose
   * states `fill` saves (a parallel search's, gathered from its shards since `started`).
   */
  write(position: LevelPosition, counters: SearchCounters, distinct: number, fill: (data: CheckpointData) => void, started = Date.now()): boolean {
    const { search } = this;
    try {
      const data = new CheckpointData({ identity: this.run.identity, origin: this.run.origin, ...position, search: counters, distinct, writtenAt: new Date().toISOString() });
      fill(data);
      this.stats.bytes = writeCheckpoint(this.run.dir, data);
    } catch (e) {
      if (e instanceof UsageError) search.error = new SpecError(e.message);
      else if ((e as NodeJS.ErrnoException).code !== undefined) {
        search.error = new SpecError(`cannot write the checkpoint to ${this.run.dir}: ${(e as Error).message} (the last checkpoint written there is whole)`);
      } else throw e;
      return false;
    }
    this.stats.written++;
    this.stats.states = distinct;
    this.stats.writeMs += Date.now() - started;
    this.nextAt = Date.now() + this.everyMs;
    return true;
  }

  private restore(dir: string): { position: LevelPosition; stats: NonNullable<CheckpointStats['resumed']> } {
    const started = Date.now();
    const data = readCheckpoint(dir);
    const h = data.header;
    checkIdentity(dir, h.identity as Identity | undefined, this.run.identity);
    const { search } = this;
    search.restoreCounters(h.search as SearchCounters);
    const levelSize = this.space.restore(data);
    search.counts.priorDistinct = search.distinct;
    search.checker.graph?.restore(data);
    const position = { depth: h.depth as number, levelSize, from: h.from as number };
    if (levelSize !== h.levelSize) throw new UsageError(`--resume ${dir}: the checkpoint is damaged (its level holds ${levelSize} states, its header says ${String(h.levelSize)})`);
    const counters = h.search as SearchCounters;
    return { position, stats: { dir, distinctStates: search.distinct, depth: position.depth, elapsedMs: counters.elapsedMs, readMs: Date.now() - started } };
  }
}

/** A checkpoint folder already holding another search's checkpoint is not overwritten. */
function refuseOverwrite(dir: string): void {
  if (!fs.existsSync(path.join(dir, CHECKPOINT_FILE))) return;
  let what = '';
  try {
    const h = readCheckpointHeader(dir);
    const id = h.identity as Identity | undefined;
    what = ` (spec ${String(id?.spec)}, ${Number(h.distinct).toLocaleString('en-US')} states at depth ${String(h.depth)}, written ${String(h.writtenAt)})`;
  } catch {
    // An unreadable one is still not overwritten.
  }
  throw new UsageError(`--checkpoint ${dir} already holds a checkpoint${what}: continue it with --resume ${dir}, or remove ${path.join(dir, CHECKPOINT_FILE)}`);
}
