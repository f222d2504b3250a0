// A BFS queue of encoded states: the level being expanded and the next, each a run
// of fixed-size words (src/explore/records.ts). The value space (value-space.ts)
// keeps plain records and protocol worlds in one.
import type { StateCodec } from '../values/state-codec.js';
import { Records } from './records.js';

export class WordLevels<S> {
  private level: Records;
  private next: Records;
  private count = 0;

  constructor(readonly codec: StateCodec<S>) {
    this.level = new Records(codec.words);
    this.next = new Records(codec.words);
  }

  /** States queued for the next level. */
  get queued(): number {
    return this.next.count;
  }

  /** Makes the queued states the level; returns its size. */
  advance(): number {
    [this.level, this.next] = [this.next, this.level];
    this.next.count = 0;
    this.count = this.level.count;
    return this.count;
  }

  /** The level's i-th state, decoded. */
  decode(i: number): S {
    return this.codec.decode(this.level.chunk(i), this.level.offset(i));
  }

  /** The words of the level's i-th state (a view: valid until the level changes). */
  levelWords(i: number): Int32Array {
    return this.level.view(i);
  }

  /** The words of the i-th queued state (a view: valid until the queue grows). */
  queuedWords(i: number): Int32Array {
    return this.next.view(i);
  }

  /** Puts the queued states in this order (indices into the queue). */
  reorderQueued(order: Int32Array): void {
    this.next.permute(order);
  }

  /** Queues a state for the next level. */
  push(state: S): void {
    const i = this.next.append();
    this.codec.encode(state, this.next.chunk(i), this.next.offset(i));
  }

  /** Queues a state already encoded in `words` (from `at`). */
  pushWords(words: Int32Array, at: number): void {
    this.next.copy(words, at);
  }

  /** The level and the queue as words, for a checkpoint (checkpoint/). */
  save(): { level: Int32Array; next: Int32Array } {
    return { level: this.level.words(), next: this.next.words() };
  }

  /** Restores what `save` returned; returns the level's size. */
  load(level: Int32Array, next: Int32Array): number {
    this.level.load(level);
    this.next.load(next);
    this.count = this.level.count;
    return this.count;
  }
}
