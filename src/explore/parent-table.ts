// Fingerprint and parent per state id, in fixed-size chunks (growth never copies):
// what rebuilding a trace needs. The parallel search keeps one in the coordinating
// thread while the workers own the hash tables.

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class ParentTable {
  private readonly fpA: Uint32Array[] = [];
  private readonly fpB: Uint32Array[] = [];
  private readonly parents: Int32Array[] = [];
  size = 0;

  /** Appends a state; returns its id. */
  push(a: number, b: number, parent: number): number {
    const id = this.size++;
    const c = id >>> CHUNK_BITS;
    if (c === this.fpA.length) {
      this.fpA.push(new Uint32Array(CHUNK));
      this.fpB.push(new Uint32Array(CHUNK));
      this.parents.push(new Int32Array(CHUNK));
    }
    const o = id & CHUNK_MASK;
    this.fpA[c]![o] = a;
    this.fpB[c]![o] = b;
    this.parents[c]![o] = parent;
    return id;
  }

  fingerprintA(id: number): number {
    return this.fpA[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  fingerprintB(id: number): number {
    return this.fpB[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  /** The ids from an initial state to `id`, initial first. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== -1; cur = this.parent(cur)) path.push(cur);
    return path.reverse();
  }

  get bytes(): number {
    return this.fpA.length * CHUNK * 12;
  }
}
