// How successors travel between the shards of a parallel search: each one goes to
// the shard that owns its fingerprint, as a record of words [fp A, fp B, parent,
// ordinal, ...state words]. States are encoded by numbers of interned parts, and
// each shard numbers its parts its own way, so a part crosses once per receiver
// (with the first record that uses it, in the codec's structured-cloneable form)
// and the receiver translates the numbers into its own. Packed words need no
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
          this.parts.push(t, id, codec.exportPart!(t, id));
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
}

/** The records one shard receives from another, queued in order, with the sender's part numbers mapped to its own. */
export class Inbox {
  private readonly queue: Batch[] = [];
  /** Record index in the first queued batch. */
  private pos = 0;
  /** The sender has sent its last batch of the level. */
  done = false;
  /** Per part table: the sender's number + 1 → this shard's number (0: not received). */
  private readonly map: Int32Array[] = [];
  /** The head record in this shard's numbering. */
  readonly words: Int32Array;
  private readonly stride: number;

  constructor(
    private readonly W: number,
    private readonly codec: StateCodec<unknown> | undefined,
    /** Records from this shard itself need no translation. */
    private readonly own: boolean,
  ) {
    this.stride = HEAD + W;
    this.words = new Int32Array(W);
  }

  receive(batch: Batch): void {
    const { parts } = batch;
    for (let i = 0; i < parts.length; i += 3) {
      const t = parts[i] as number;
      const id = parts[i + 1] as number;
      const local = this.codec!.importPart!(t, parts[i + 2]);
      this.mapFor(t, id)[id] = local + 1;
    }
    if (batch.count > 0) this.queue.push(batch);
    if (batch.last) this.done = true;
    if (!this.ready) this.head();
  }

  /** Whether a record is queued; then its fields are these (read once, as the merge compares them often). */
  ready = false;
  a = 0;
  b = 0;
  parent = 0;
  ordinal = 0;

  /** Loads the head record's fields. */
  private head(): void {
    this.ready = this.queue.length > 0;
    if (!this.ready) return;
    const d = this.queue[0]!.records;
    const r = this.pos * this.stride;
    this.a = d[r]!;
    this.b = d[r + 1]!;
    this.parent = d[r + 2]!;
    this.ordinal = d[r + 3]!;
  }

  /** Writes the head record's state words, in this shard's numbering, into `words`. */
  translate(): void {
    const { W, codec, words } = this;
    const d = this.queue[0]!.records;
    const at = this.pos * this.stride + HEAD;
    for (let k = 0; k < W; k++) words[k] = d[at + k]!;
    if (this.own || codec?.tableOf === undefined) return;
    for (let k = 0; k < W; k++) {
      const t = codec.tableOf(d, at, k);
      if (t < 0) continue;
      const local = (this.map[t]?.[d[at + k]!] ?? 0) - 1;
      if (local < 0) throw new Error(`internal: part ${d[at + k]} of table ${t} arrived before its definition`);
      words[k] = local;
    }
  }

  /** Drops the head record. */
  shift(): void {
    if (++this.pos === this.queue[0]!.count) {
      this.queue.shift();
      this.pos = 0;
    }
    this.head();
  }

  /** A new level: nothing is queued (a level ends only when every inbox is empty). */
  reset(): void {
    this.done = false;
  }

  private mapFor(t: number, id: number): Int32Array {
    return (this.map[t] = holding(this.map[t], id, Int32Array));
  }
}
