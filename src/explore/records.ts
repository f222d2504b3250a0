// A growable run of fixed-size Int32 records: a BFS level of encoded states (a
// state's words per record), in the packed space and in WordLevels. Two runs are
// used in turn level after level, so a level allocates nothing once they are big
// enough.
//
// The records sit in chunks of CHUNK records, so growing never copies: one
// contiguous array doubled by copying paused a search for 95 ms at 16M words
// (two-phase.packed rms=10, bench/search-pauses.js), and twice as long at each
// doubling after. Record i is in chunk(i) at offset(i). The first chunk starts
// small and doubles up to CHUNK records (small searches allocate little).

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const FIRST = 1024;

export class Records {
  private chunks: Int32Array[] = [];
  count = 0;

  constructor(readonly stride: number) {}

  /** The chunk holding record i. */
  chunk(i: number): Int32Array {
    return this.chunks[i >>> CHUNK_BITS]!;
  }

  /** Where record i starts in its chunk. */
  offset(i: number): number {
    return (i & CHUNK_MASK) * this.stride;
  }

  /** Record i's words (a view into its chunk). */
  view(i: number): Int32Array {
    const at = this.offset(i);
    return this.chunk(i).subarray(at, at + this.stride);
  }

  /** Adds a record; returns its index (its words: chunk(i) from offset(i)). */
  append(): number {
    const i = this.count++;
    if (i < CHUNK) {
      if (this.chunks.length === 0) this.chunks.push(new Int32Array(FIRST * this.stride));
      else if (i * this.stride === this.chunks[0]!.length) this.grow();
    } else if (i >>> CHUNK_BITS === this.chunks.length) this.chunks.push(new Int32Array(CHUNK * this.stride));
    return i;
  }

  /** Doubles the first chunk (up to CHUNK records). */
  private grow(): void {
    const first = this.chunks[0]!;
    const bigger = new Int32Array(first.length * 2);
    bigger.set(first);
    this.chunks[0] = bigger;
  }

  /** Appends a copy of the record at `src[at..]`; returns its index. */
  copy(src: Int32Array, at: number): number {
    const i = this.append();
    const to = this.chunks[i >>> CHUNK_BITS]!;
    const base = (i & CHUNK_MASK) * this.stride;
    for (let k = 0; k < this.stride; k++) to[base + k] = src[at + k]!;
    return i;
  }

  /** Puts the records in this order: record i becomes the one at order[i]. */
  permute(order: Int32Array): void {
    const out = new Records(this.stride);
    for (let i = 0; i < order.length; i++) out.copy(this.chunk(order[i]!), this.offset(order[i]!));
    this.chunks = out.chunks;
    this.count = out.count;
  }

  /** The records as words (a copy), for a checkpoint. */
  words(): Int32Array {
    const { stride, count } = this;
    const out = new Int32Array(count * stride);
    for (let c = 0; c * CHUNK < count; c++) {
      const n = Math.min(CHUNK, count - c * CHUNK);
      out.set(this.chunks[c]!.subarray(0, n * stride), c * CHUNK * stride);
    }
    return out;
  }

  /** Replaces the records with `words` (as `words()` returned them). */
  load(words: Int32Array): void {
    const { stride } = this;
    this.count = 0;
    const n = words.length / stride;
    for (let c = 0; c * CHUNK < n; c++) {
      const m = Math.min(CHUNK, n - c * CHUNK);
      const part = words.subarray(c * CHUNK * stride, (c * CHUNK + m) * stride);
      let room = c === 0 ? FIRST : CHUNK;
      while (room < m) room *= 2;
      if (c === this.chunks.length) this.chunks.push(new Int32Array(room * stride));
      else if (this.chunks[c]!.length < part.length) this.chunks[c] = new Int32Array(room * stride);
      this.chunks[c]!.set(part);
    }
    this.count = n;
  }
}
