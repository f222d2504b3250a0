// A growable run of fixed-size Int32 records. The packed BFS keeps its frontier in
// one (a state's words per record); the parallel search moves [parent, action,
// ...words] records between threads in them, transferring the buffers (not copying)
// and sending them back to be reused, so a level allocates nothing new once warm.

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

