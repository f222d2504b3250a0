// The part of a checkpoint every space has: the visited set and the parent links.
import type { FingerprintSet } from '../fingerprint-set.js';
import type { LinkColumns } from '../link-columns.js';
import type { CheckpointData } from './file.js';

export function saveVisited(into: CheckpointData, seen: FingerprintSet, links: LinkColumns): void {
  into.columns.set('visited', seen.entries());
  const { parents, actions } = links.columns();
  into.columns.set('parents', parents);
  into.columns.set('steps', actions);
}

export function restoreVisited(from: CheckpointData, seen: FingerprintSet, links: LinkColumns): void {
  seen.load(from.int32('visited'));
  links.load(from.int32('parents'), from.int32('steps'));
}
