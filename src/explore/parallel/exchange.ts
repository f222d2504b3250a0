// How successors travel between the shards of a parallel search: each one goes to
// the shard that owns its fingerprint, as a record of words [fp A, fp B, parent,
// ordinal, ...state words]. States are encoded by numbers of interned parts, and
// each shard numbers its parts its own way, so a part crosses once per receiver
// (with the first record that uses it, in the codec's structured-cloneable form,
// after the sub-parts that form names by number: a protocol's envelopes) and the
// receiver translates the numbers into its own. Packed words need no
// translation. The same records would cross between processes.
import type { StateCodec } from '../../values/state-codec.js';

/** Words of a record before the state's words. */
export const HEAD = 4;

/** Which shard owns a fingerprint (lane B: lane A picks the slot in the owner's table). */
export function ownerOf(b: number, shards: number): number {
  return (b >>> 0) % shards;
}

/** `array`, or a copy grown (doubling) to hold index `id`; new elements are 0. */
function holding<A extends Uint8Array | Int32Array>(array: A | undefined, id: number, Kind: { new (n: number): A }): A {
  if (array !== undefined && id < array.length) return array;
  let n = array?.length ?? 1024;
  while (n <= id) n *= 2;
  const bigger = new Kind(n);
  if (array) bigger.set(array);
  return bigger;
}

/** A batch of records from one shard to another, in the order the sender generated them. */
export interface Batch {
  readonly records: Int32Array;
  readonly count: number;
  /** Parts first used by these records: [table, id, data] triples, flattened. */
  readonly parts: unknown[];
  /** The sender's last batch of the level. */
  readonly last: boolean;
}

/** The records one shard is sending another, and the parts that receiver already has. */
export class Outbox {
  private records: Int32Array;
  count = 0;
  private parts: unknown[] = [];
  /** Per part table: which part numbers were sent already (one byte each). */
  private readonly sent: Uint8Array[] = [];
  private readonly stride: number;

  constructor(
    private readonly W: number,
    private readonly codec: StateCodec<unknown> | undefined,
  ) {
    this.stride = HEAD + W;
    this.records = new Int32Array(256 * this.stride);
  }

  push(a: number, b: number, parent: number, ordinal: number, words: Int32Array, at: number): void {
    const { W, codec } = this;
    if (codec?.tableOf !== undefined) {
      for (let k = 0; k < W; k++) {
        const t = codec.tableOf(words, at, k);
        if (t < 0) continue;
        const id = words[at + k]!;
        const sent = this.sentFor(t, id);
        if (sent[id] === 0) {
          sent[id] = 1;
          // Pushed after the sub-parts that exporting it referred to (refer pushes those).
          const data = codec.exportLinked !== undefined ? codec.exportLinked(t, id, this.refer) : codec.exportPart!(t, id);
          this.parts.push(t, id, data);
        }
      }
    }
    let r = this.count * this.stride;
    if (r + this.stride > this.records.length) {
      const bigger = new Int32Array(this.records.length * 2);
      bigger.set(this.records);
      this.records = bigger;
    }
    const d = this.records;
    d[r++] = a;
    d[r++] = b;
    d[r++] = parent;
    d[r++] = ordinal;
    for (let k = 0; k < W; k++) d[r++] = words[at + k]!;
    this.count++;
  }

  /** Empties the box into a batch. */
  take(last: boolean): Batch {
    const batch: Batch = { records: this.records.slice(0, this.count * this.stride), count: this.count, parts: this.parts, last };
    this.count = 0;
    this.parts = [];
    return batch;
  }

  private sentFor(t: number, id: number): Uint8Array {
    return (this.sent[t] = holding(this.sent[t], id, Uint8Array));
  }

  /** A sub-part an exported part names: sent first, once per receiver, like any part. */
  private readonly refer = (t: number, id: number): void => {
    const sent = this.sentFor(t, id);
    if (sent[id] !== 0) return;
    sent[id] = 1;
    this.parts.push(t, id, this.codec!.exportPart!(t, id));
  };
}

/** What a receiver does with each record: its fingerprint, moment and state words (in the receiver's numbering). */
export type Visit = (a: number, b: number, parent: number, ordinal: number, words: Int32Array) => void;

/** The records one shard receives from another, with the sender's part numbers mapped to its own. */
export class Inbox {
  /** The sender has sent its last batch of the level. */
  done = false;
  /** Per part table: the sender's number + 1 → this shard's number (0: not received). */
  private readonly map: Int32Array[] = [];
  /** A record's state words, in this shard's numbering. */
  private readonly words: Int32Array;
  private readonly stride: number;

  constructor(
    private readonly W: number,
    private readonly codec: StateCodec<unknown> | undefined,
  ) {
    this.stride = HEAD + W;
    this.words = new Int32Array(W);
  }

  /** Takes in a batch's parts, then visits its records in order. */
  receive(batch: Batch, visit: Visit): void {
    const { parts } = batch;
    const codec = this.codec!;
    for (let i = 0; i < parts.length; i += 3) {
      const t = parts[i] as number;
      const id = parts[i + 1] as number;
      const local = codec.importLinked !== undefined ? codec.importLinked(t, parts[i + 2], this.local) : codec.importPart!(t, parts[i + 2]);
      this.mapFor(t, id)[id] = local + 1;
    }
    if (batch.last) this.done = true;
    const d = batch.records;
    for (let r = 0; r < batch.count; r++) {
      const at = r * this.stride;
      this.translate(d, at + HEAD);
      visit(d[at]!, d[at + 1]!, d[at + 2]!, d[at + 3]!, this.words);
    }
  }

  /** Writes the state words at d[at..] into `words`, in this shard's numbering. */
  private translate(d: Int32Array, at: number): void {
    const { W, codec, words } = this;
    for (let k = 0; k < W; k++) words[k] = d[at + k]!;
    if (codec?.tableOf === undefined) return;
    for (let k = 0; k < W; k++) {
      const t = codec.tableOf(d, at, k);
      if (t >= 0) words[k] = this.local(t, d[at + k]!);
    }
  }

  /** This shard's number of the sender's part `id` of table `t`, received before. */
  private readonly local = (t: number, id: number): number => {
    const local = (this.map[t]?.[id] ?? 0) - 1;
    if (local < 0) throw new Error(`internal: part ${id} of table ${t} arrived before its definition`);
    return local;
  };

  /** A new level: the sender has not finished it. */
  reset(): void {
    this.done = false;
  }

  private mapFor(t: number, id: number): Int32Array {
    return (this.map[t] = holding(this.map[t], id, Int32Array));
  }
}
