// A shard's parent links (Shard.kept): for each of its states of the shared levels,
// in the order it holds them (level by level, ascending ids), its parent's global id
// and its ordinal — the stamps it sent the coordinator, which numbered them. The same
// columns as every search's links (link-columns.ts, 6 bytes a state); the parents are
// global ids, so the coordinator, not the shard, walks a trace through them (owners.ts).
import { LinkColumns } from '../link-columns.js';

export class KeptLinks extends LinkColumns {
  constructor() {
    super(false);
  }

  protected replay(): void {
    throw new Error("internal: a shard's links name other shards' states: the coordinator rebuilds traces");
  }
}
