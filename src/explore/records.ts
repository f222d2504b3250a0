// A growable run of fixed-size Int32 records: a BFS level of encoded states (a
// state's words per record), in the packed space and in WordLevels. Two runs are
// used in turn level after level, so a level allocates nothing once they are big
// enough.

export class Records {
  data: Int32Array;
  count = 0;

  constructor(
    readonly stride: number,
    capacity = 1024,
  ) {
    this.data = new Int32Array(capacity * stride);
  }

  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }

  /** Adds a record; returns the offset in `data` to write its fields at. */
  append(): number {
    const at = this.count * this.stride;
    if (at + this.stride > this.data.length) this.grow();
    this.count++;
    return at;
  }

  /** Appends a copy of the record at `src[at..]`; returns its index. */
  copy(src: Int32Array, at: number): number {
    const to = this.count * this.stride;
    if (to + this.stride > this.data.length) this.grow();
    for (let k = 0; k < this.stride; k++) this.data[to + k] = src[at + k]!;
    return this.count++;
  }

  /** Puts the records in this order: record i becomes the one at order[i]. */
  permute(order: Int32Array): void {
    const { stride } = this;
    const out = new Int32Array(this.data.length);
    for (let i = 0; i < order.length; i++) out.set(this.data.subarray(order[i]! * stride, (order[i]! + 1) * stride), i * stride);
    this.data = out;
  }

  /** The records as words (a copy), for a checkpoint. */
  words(): Int32Array {
    return this.data.slice(0, this.count * this.stride);
  }

  /** Replaces the records with `words` (as `words()` returned them). */
  load(words: Int32Array): void {
    if (words.length > this.data.length) this.data = new Int32Array(words.length);
    this.data.set(words);
    this.count = words.length / this.stride;
  }
}
