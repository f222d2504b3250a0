// The part of a checkpoint every space has: the visited set and the parent links.
import type { FingerprintSet } from '../fingerprint-set.js';
import type { LinkColumns, LinkColumnsData } from '../link-columns.js';
import type { CheckpointData } from './file.js';

export function saveVisited(into: CheckpointData, seen: FingerprintSet, links: LinkColumns): void {
  saveVisitedEntries(into, [seen.entries()], links.columns());
}

/** The same from the entries of several sets (a parallel search's shards) and links gathered from its owners. */
export function saveVisitedEntries(into: CheckpointData, entries: readonly Int32Array[], { parents, actions }: LinkColumnsData): void {
  const visited = entries.length === 1 ? entries[0]! : new Int32Array(entries.reduce((n, e) => n + e.length, 0));
  if (entries.length !== 1) entries.reduce((at, e) => (visited.set(e, at), at + e.length), 0);
  into.columns.set('visited', visited);
  into.columns.set('parents', parents);
  into.columns.set('steps', actions);
}

export function restoreVisited(from: CheckpointData, seen: FingerprintSet, links: LinkColumns): void {
  seen.load(from.int32('visited'));
  links.load(from.int32('parents'), from.int32('steps'));
}
