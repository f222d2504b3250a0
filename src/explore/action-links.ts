// The packed searches' parent links: per state id (dense, in discovery order) its
// parent and the action instance that reached it (for an initial state: its index
// among the initial states), 6 bytes a state. No fingerprint per id: a trace's
// fingerprints are recomputed by replaying those actions on words, which a packed
// spec does exactly. Whether a state was seen is the business of the fingerprint
// set (FingerprintSet, or the parallel search's SharedTable).
import { hashWords } from '../packed/hash.js';
import type { PackedSystem } from '../packed/spec.js';
import { PackedState } from '../packed/state.js';
import type { ParentLinks } from '../trace/reconstruct.js';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export class ActionLinks implements ParentLinks {
  private readonly parents: Int32Array[] = [];
  private readonly actions: (Uint16Array | Int32Array)[] = [];
  /** Action numbers fit 16 bits unless the spec has more instances (or initial states). */
  private readonly wide: boolean;
  private count = 0;
  /** The fingerprints of the ids on the last path replayed. */
  private readonly replayed = new Map<number, [number, number]>();

  constructor(private readonly ps: PackedSystem) {
    this.wide = Math.max(ps.instances.length, ps.initial.length / ps.layout.words) > 0xffff;
  }

  get size(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.length * CHUNK * (4 + (this.wide ? 4 : 2));
  }

  /** Adds a state reached from `parent` by `action`; returns its id. */
  push(parent: number, action: number): number {
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) this.addChunk();
    this.parents[c]![id & CHUNK_MASK] = parent;
    this.actions[c]![id & CHUNK_MASK] = action;
    return id;
  }

  /** Adds `count` states from records of `stride` words that start with [parent, action]. */
  pushRun(records: Int32Array, count: number, stride: number): void {
    for (let k = 0, at = 0; k < count; ) {
      const id = this.count;
      const c = id >>> CHUNK_BITS;
      if (c === this.parents.length) this.addChunk();
      const parents = this.parents[c]!;
      const actions = this.actions[c]!;
      // As many as fit in this chunk, without the chunk arithmetic per state.
      const n = Math.min(count - k, CHUNK - (id & CHUNK_MASK));
      for (let o = id & CHUNK_MASK, end = o + n; o < end; o++, at += stride) {
        parents[o] = records[at]!;
        actions[o] = records[at + 1]!;
      }
      this.count += n;
      k += n;
    }
  }

  private addChunk(): void {
    this.parents.push(new Int32Array(CHUNK));
    this.actions.push(this.wide ? new Int32Array(CHUNK) : new Uint16Array(CHUNK));
  }

  parent(id: number): number {
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  action(id: number): number {
    return this.actions[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  /** The ids from an initial state to `id`, initial first; replays them for their fingerprints. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== -1; cur = this.parent(cur)) path.push(cur);
    path.reverse();
    this.replay(path);
    return path;
  }

  fingerprintA(id: number): number {
    return this.fingerprintOf(id)[0];
  }

  fingerprintB(id: number): number {
    return this.fingerprintOf(id)[1];
  }

  private fingerprintOf(id: number): [number, number] {
    if (!this.replayed.has(id)) this.pathTo(id);
    // A step that did not replay matches no state: reconstructTrace reports the spec as nondeterministic.
    return this.replayed.get(id) ?? [NaN, NaN];
  }

  private replay(path: readonly number[]): void {
    const { ps } = this;
    const W = ps.layout.words;
    const fp = new Uint32Array(2);
    const first = this.action(path[0]!); // an initial state's index
    let words: Int32Array<ArrayBufferLike> = ps.initial.slice(first * W, (first + 1) * W);
    const draft = new PackedState(new Int32Array(W), true);
    this.replayed.clear();
    for (let k = 0; k < path.length; k++) {
      if (k > 0) {
        const target = this.action(path[k]!);
        let next: Int32Array | undefined;
        ps.expand(words, 0, draft, (j) => {
          if (j !== target) return true;
          next = draft.words.slice();
          return false;
        });
        if (next === undefined) return;
        words = next;
      }
      hashWords(words, 0, W, fp);
      this.replayed.set(path[k]!, [fp[0]!, fp[1]!]);
    }
  }
}
