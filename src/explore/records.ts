// A growable run of fixed-size Int32 records. The packed BFS keeps its frontier in
// one (a state's words per record). The parallel search keeps its claims and new
// states in shared memory ([stamp or parent, slot or action, ...words] per record)
// and reuses the runs level after level, so a level allocates nothing once they are
// big enough, and a reader in another thread needs no copy: levels are phases, and a
// run is written in one phase and read in the next.

export class Records {
  data: Int32Array;
  count = 0;

  constructor(
    readonly stride: number,
    private readonly shared = false,
    capacity = 1024,
  ) {
    this.data = this.alloc(capacity * stride);
  }

  private alloc(n: number): Int32Array {
    return this.shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  }

  private grow(): void {
    const bigger = this.alloc(this.data.length * 2);
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
    const out = this.alloc(this.data.length);
    for (let i = 0; i < order.length; i++) out.set(this.data.subarray(order[i]! * stride, (order[i]! + 1) * stride), i * stride);
    this.data = out;
  }

  /** Empties the run; its buffer is kept for the next level. */
  clear(): void {
    this.count = 0;
  }

  get buffer(): ArrayBufferLike {
    return this.data.buffer;
  }
}
