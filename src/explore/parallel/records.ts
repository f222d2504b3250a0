// A growable run of fixed-size Int32 records: [parent, action, ...words]. The
// successors travel from expanders to owners, and new states from owners to the
// coordinator, in these; buffers are transferred, not copied, and travel back to
// be reused, so a level allocates (and page-faults) nothing new once warm.

export class Records {
  data: Int32Array;
  count = 0;

  constructor(
    readonly stride: number,
    reuse?: ArrayBuffer,
  ) {
    this.data = reuse !== undefined && reuse.byteLength >= stride * 4 ? new Int32Array(reuse) : new Int32Array(1024 * stride);
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
