// A checkpoint of states kept as words: the words name interned parts, so the parts
// go with them, each table's in id order; importing them in that order into the
// fresh codec of the resumed search numbers every part as before, and the words
// (and, for protocol worlds, the visited set's hashes of them) mean the same again.
import { UsageError } from '../../core/params.js';
import { NotTransferable } from '../../values/wire.js';
import type { StateCodec } from '../../values/state-codec.js';
import type { CheckpointData } from './file.js';

export function saveParts(into: CheckpointData, codec: StateCodec<unknown>): void {
  if (codec.partCounts === undefined || codec.exportPart === undefined) throw new Error('internal: a codec without part export cannot be checkpointed: ' + codec.constructor.name);
  const exportPart = (table: number, id: number): unknown => {
    try {
      return codec.exportPart!(table, id);
    } catch (e) {
      if (e instanceof NotTransferable) throw new UsageError(`--checkpoint cannot save this spec's states: they hold ${e.message}`);
      throw e;
    }
  };
  into.values.set(
    'parts',
    codec.partCounts().map((n, table) => Array.from({ length: n }, (_, id) => exportPart(table, id))),
  );
}

export function restoreParts(from: CheckpointData, codec: StateCodec<unknown>): void {
  const tables = from.value<unknown[][]>('parts');
  const counts = codec.partCounts?.() ?? [];
  if (codec.importPart === undefined || tables.length !== counts.length) throw misfit('its states have another shape');
  for (let table = 0; table < tables.length; table++) {
    const parts = tables[table]!;
    for (let id = 0; id < parts.length; id++) {
      if (codec.importPart(table, parts[id]) !== id) throw misfit(`part ${id} of table ${table} is numbered differently`);
    }
  }
}

function misfit(why: string): UsageError {
  return new UsageError(`the checkpoint's states do not fit this spec (${why}): was it written for another version of the spec?`);
}
