// States saved as values (a queue of objects): in the thread-crossing form of
// values/wire.ts, which a state holding an Immutable.js Record cannot take.
import { UsageError } from '../../core/params.js';
import { NotTransferable, toWire, type Wire } from '../../values/wire.js';

export function toCheckpoint(state: unknown): Wire {
  try {
    return toWire(state);
  } catch (e) {
    if (e instanceof NotTransferable) throw new UsageError(`--checkpoint cannot save this spec's states: they hold ${e.message}`);
    throw e;
  }
}
