// A growable run of fixed-size Int32 records: [parent, action, ...words]. The
// successors travel from expanders to owners, and new states from owners to the
// coordinator, in these; buffers are transferred, not copied, and travel back to
// be reused, so a level allocates (and page-faults) nothing new once warm.

export class Records {
  data: Int32Array;
  count = 0;

  /** `reuse`: a buffer back from the last level, used if it holds `expected` records. */
  constructor(
    readonly stride: number,
    reuse?: ArrayBuffer,
    expected = 1024,
  ) {
    const bytes = Math.max(1024, expected) * stride * 4;
    this.data = reuse !== undefined && reuse.byteLength >= bytes ? new Int32Array(reuse) : new Int32Array(bytes / 4);
  }

  private grow(): void {
    const bigger = new Int32Array(this.data.length * 2);
    bigger.set(this.data);
    this.data = bigger;
  }

  push(parent: number, action: number, words: Int32Array, W: number): void {
    let at = this.count * this.stride;
    if (at + this.stride > this.data.length) this.grow();
    const d = this.data;
    d[at++] = parent;
    d[at++] = action;
    for (let k = 0; k < W; k++) d[at++] = words[k]!;
    this.count++;
  }

  /** Appends a copy of the record at `src[at..]`; returns its index. */
  copy(src: Int32Array, at: number): number {
    const to = this.count * this.stride;
    if (to + this.stride > this.data.length) this.grow();
    for (let k = 0; k < this.stride; k++) this.data[to + k] = src[at + k]!;
    return this.count++;
  }

  get buffer(): ArrayBuffer {
    return this.data.buffer as ArrayBuffer;
  }
}

/**
 * The worker that owns a fingerprint, from the top bits of lane B (lane A picks the
 * table slot). Integer multiply and shift: `b % workers` on a uint32 above 2^31 is a
 * floating-point modulus, far slower on the hot path.
 */
export function ownerOf(b: number, workers: number): number {
  return Math.imul(b >>> 16, workers) >>> 16;
}
