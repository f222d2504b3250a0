// The queue of a value space that keeps its states as words (plain records, protocol
// worlds): the words of the level and of the next, and the interned parts they name.
import { UsageError } from '../../core/params.js';
import type { StateCodec } from '../../values/state-codec.js';
import type { WordLevels } from '../word-levels.js';
import type { CheckpointData } from './file.js';
import { restoreParts, saveParts } from './parts.js';

export function saveWordQueue<S>(into: CheckpointData, codec: StateCodec<S>, levels: WordLevels<S>): void {
  saveWordColumns(into, codec, levels.save());
}

/** The queue given as words: the level's states, and the next level's queued so far. */
export function saveWordColumns<S>(into: CheckpointData, codec: StateCodec<S>, queue: { level: Int32Array; next: Int32Array }): void {
  saveParts(into, codec as StateCodec<unknown>);
  into.header.queue = 'words';
  into.columns.set('level', queue.level);
  into.columns.set('next', queue.next);
}

/** Restores the queue; returns the level's size. */
export function restoreWordQueue<S>(from: CheckpointData, codec: StateCodec<S>, levels: WordLevels<S>): number {
  checkQueueKind(from, 'words');
  restoreParts(from, codec as StateCodec<unknown>);
  return levels.load(from.int32('level'), from.int32('next'));
}

/** A checkpoint's queue must be kept as this space keeps it (words, or objects). */
export function checkQueueKind(from: CheckpointData, kind: 'words' | 'objects'): void {
  if (from.header.queue !== kind) throw new UsageError("the checkpoint's queue does not fit this spec: was it written for another version of the spec?");
}
