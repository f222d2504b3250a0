// The one parent-link scheme of every search (its visited set, a FingerprintSet,
// holds fingerprints only): per state id (dense, in discovery order) its parent and
// a small number saying how it was reached from it (the successor's ordinal, or for
// packed specs the action instance), 6 bytes a state (8 once a number passes 16
// bits). A trace's fingerprints are recomputed by replaying those steps (each
// subclass knows how), as Stateright rebuilds its paths.
import type { ParentLinks } from './reconstruct.js';

/** Parent links as columns: states' parents and steps (a checkpoint's, a shard's store, or some of its links). */
export interface LinkColumnsData {
  readonly parents: Int32Array;
  readonly actions: Int32Array;
}

/** The parent of an initial state. */
export const NO_PARENT = -1;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

export abstract class LinkColumns implements ParentLinks {
  private readonly parents: Int32Array[] = [];
  private readonly actions: (Uint16Array | Int32Array)[] = [];
  private count = 0;
  /**
   * States numbered after the stored ones whose links their owners keep (a parallel
   * search's shards, Shard.kept): ids from `stored` on. A trace through them borrows
   * their links from the owners first (`borrow`).
   */
  private lent = 0;
  private readonly borrowed = new Map<number, [number, number]>();
  /** The fingerprints of the ids on the last path replayed. */
  protected readonly replayed = new Map<number, [number, number]>();

  /** `wide`: the numbers may pass 16 bits (else push widens the column when one does). */
  constructor(private wide: boolean) {}

  get size(): number {
    return this.count + this.lent;
  }

  /** Ids below this have their links here; the others are lent. */
  get stored(): number {
    return this.count;
  }

  get bytes(): number {
    return this.parents.length * CHUNK * (4 + (this.wide ? 4 : 2));
  }

  /** Adds a state reached from `parent` by step `action`; returns its id. */
  push(parent: number, action: number): number {
    if (this.lent > 0) throw new Error('internal: a link stored after links lent');
    if (action > 0xffff && !this.wide) this.widen();
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.parents.length) this.addChunk();
    this.parents[c]![id & CHUNK_MASK] = parent;
    this.actions[c]![id & CHUNK_MASK] = action;
    return id;
  }

  /** Numbers `n` states whose links their owners keep (ids from `size` on). */
  lendMany(n: number): void {
    this.lent += n;
  }

  /** The link of a lent state, fetched from its owner for a trace. */
  borrow(id: number, parent: number, action: number): void {
    this.borrowed.set(id, [parent, action]);
  }

  /** Re-links state `id` (DFS found it again by a shorter path). */
  set(id: number, parent: number, action: number): void {
    if (action > 0xffff && !this.wide) this.widen();
    this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK] = parent;
    this.actions[id >>> CHUNK_BITS]![id & CHUNK_MASK] = action;
  }

  private addChunk(): void {
    this.parents.push(new Int32Array(CHUNK));
    this.actions.push(this.wide ? new Int32Array(CHUNK) : new Uint16Array(CHUNK));
  }

  private widen(): void {
    this.wide = true;
    for (let c = 0; c < this.actions.length; c++) this.actions[c] = Int32Array.from(this.actions[c]!);
  }

  /** Every stored state's parent and step, in id order, for a checkpoint (checkpoint/). */
  columns(): LinkColumnsData {
    const parents = new Int32Array(this.count);
    const actions = new Int32Array(this.count);
    for (let id = 0; id < this.count; id++) {
      parents[id] = this.parent(id);
      actions[id] = this.action(id);
    }
    return { parents, actions };
  }

  /** Appends the links `columns()` returned (to an empty store). */
  load(parents: Int32Array, actions: Int32Array): void {
    if (this.count !== 0) throw new Error('internal: links loaded into a store that is not empty');
    for (let id = 0; id < parents.length; id++) this.push(parents[id]!, actions[id]!);
  }

  parent(id: number): number {
    if (id >= this.count) return this.lentLink(id)[0];
    return this.parents[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  action(id: number): number {
    if (id >= this.count) return this.lentLink(id)[1];
    return this.actions[id >>> CHUNK_BITS]![id & CHUNK_MASK]!;
  }

  private lentLink(id: number): [number, number] {
    const link = this.borrowed.get(id);
    if (link === undefined) throw new Error(`internal: the link of state ${id} is kept by its owner and was not fetched`);
    return link;
  }

  /** The ids from an initial state to `id`, initial first; replays them for their fingerprints. */
  pathTo(id: number): number[] {
    const path: number[] = [];
    for (let cur = id; cur !== -1; cur = this.parent(cur)) path.push(cur);
    path.reverse();
    this.replayed.clear();
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

  /** Re-executes `path` (its first id's number is an initial state's index), filling `replayed`. */
  protected abstract replay(path: readonly number[]): void;
}
