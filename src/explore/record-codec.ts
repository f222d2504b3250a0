// Plain-record states as words, for a compact BFS frontier: one word per top-level
// field of the first initial state's shape, each the number of an interned value
// (src/values/part-table.ts). A state of another shape is interned whole. The
// visited set still keys states by their structural fingerprint; only the queued
// states are kept this way, so a state is encoded once, when it is found new.
import type { StateCodec } from '../values/state-codec.js';
import { isPlainRecord } from '../values/kinds.js';
import { PartTable } from '../values/part-table.js';
import { fromWire, toWire } from '../values/wire.js';

/** Word 0 of a state of the sample's shape; the other kind of state is WHOLE, its number in word 1. */
const FIELDS = 0;
const WHOLE = 1;

export class RecordCodec implements StateCodec<unknown> {
  readonly words: number;
  private readonly keys: readonly string[];
  private readonly fields: PartTable[];
  private readonly whole = new PartTable();
  /** The last decoded state's field values and words: fields a successor kept encode by identity. */
  private readonly baseValues: unknown[];
  private readonly baseWords: Int32Array;

  private constructor(keys: readonly string[]) {
    this.keys = keys;
    this.fields = keys.map(() => new PartTable());
    this.words = Math.max(2, keys.length + 1);
    this.baseValues = keys.map(() => undefined);
    this.baseWords = new Int32Array(this.words);
  }

  /** A codec for states shaped like `sample`; undefined unless it is a plain record of two or more fields. */
  static derive(sample: unknown): RecordCodec | undefined {
    if (!isPlainRecord(sample)) return undefined;
    const keys = Object.keys(sample);
    return keys.length >= 2 && !keys.includes('__proto__') ? new RecordCodec(keys) : undefined;
  }

  /** A codec for any state: the sample's fields when it is a plain record (derive), else whole states. */
  static any(sample: unknown): RecordCodec {
    return RecordCodec.derive(sample) ?? new RecordCodec([]);
  }

  /** Field i's table is i; the whole states' table comes after the fields'. */
  tableOf(words: Int32Array, at: number, k: number): number {
    if (k === 0) return -1;
    if (words[at] === WHOLE) return k === 1 ? this.keys.length : -1;
    return k - 1;
  }

  exportPart(table: number, id: number): unknown {
    return toWire((table === this.keys.length ? this.whole : this.fields[table]!).parts[id]);
  }

  importPart(table: number, data: unknown): number {
    return (table === this.keys.length ? this.whole : this.fields[table]!).id(fromWire(data));
  }

  partCounts(): number[] {
    return [...this.fields.map((t) => t.size), this.whole.size];
  }

  get bytes(): number {
    let bytes = this.whole.bytes;
    for (const t of this.fields) bytes += t.bytes;
    return bytes;
  }

  encode(state: unknown, out: Int32Array, at: number): void {
    const keys = this.keys;
    let i = 0;
    if (isPlainRecord(state)) {
      for (const k in state) {
        if (k !== keys[i]) break;
        const v = state[k];
        out[at + 1 + i] = v === this.baseValues[i] ? this.baseWords[1 + i]! : this.fields[i]!.id(v);
        i++;
      }
    }
    if (i === keys.length && isPlainRecord(state) && Object.keys(state).length === i) {
      out[at] = FIELDS;
      return;
    }
    out[at] = WHOLE;
    out[at + 1] = this.whole.id(state);
    for (let j = 2; j < this.words; j++) out[at + j] = 0;
  }

  decode(words: Int32Array, at: number): unknown {
    const bw = this.baseWords;
    for (let k = 0; k < this.words; k++) bw[k] = words[at + k]!;
    if (bw[0] === WHOLE) {
      this.baseValues.fill(undefined);
      return this.whole.parts[bw[1]!];
    }
    const state: Record<string, unknown> = {};
    for (let i = 0; i < this.keys.length; i++) {
      const v = this.fields[i]!.parts[bw[1 + i]!];
      state[this.keys[i]!] = v;
      this.baseValues[i] = v;
    }
    return Object.freeze(state);
  }
}
