// Worlds as words, for the coded BFS (src/explore/value-space.ts): [time?] then one
// word per node and one each for the in-flight messages, the ghost history, the
// fault counts and the partition. Each word is the id of an interned part: equal
// parts (by value) share one id and one frozen object, so a world in the frontier
// costs a few words instead of an object graph, and a successor is encoded by
// looking up only the parts its transition changed.
import type { StateCodec } from '../values/state-codec.js';
import { PartTable } from '../values/part-table.js';
import { fmix32 } from '../values/mix.js';
import type { RecordNumbering } from './handler-memo.js';
import type { Model } from './model.js';
import { envelopeInfo, type InFlight } from './network.js';
import { WORLD_FAULTS, WORLD_PARTITION, WORLD_TIME, type NodeRec, type World } from './world.js';

/** An in-flight list by its envelopes' numbers (envelopes are interned: one object per message). */
function hashInFlight(net: unknown, out: Uint32Array): void {
  const list = net as InFlight;
  let a = 0x9e3779b9 ^ list.length;
  let b = 0x7f4a7c15;
  for (let i = 0; i < list.length; i++) {
    const id = envelopeInfo(list[i]!).id;
    a = fmix32(a ^ id) + 0x165667b1;
    b = fmix32((b + id) ^ 0x27d4eb2f);
  }
  out[0] = fmix32(a ^ b);
  out[1] = b;
}


/** Also the record numbering of the handler cache (handler-memo.ts), for the worlds it decodes. */
export class WorldCodec implements StateCodec<World>, RecordNumbering {
  readonly words: number;
  private readonly timed: boolean;
  private readonly nodeIds: readonly string[];
  private readonly nodes: PartTable[];
  private readonly inFlight = new PartTable(hashInFlight);
  private readonly observed = new PartTable();
  private readonly faults = new PartTable();
  private readonly partition = new PartTable();
  /** Where the node words start (after the time word, in timed mode). */
  private readonly first: number;
  /** The last decoded world and its words: a successor's unchanged parts encode by identity. */
  private base: World | undefined;
  private readonly baseWords: Int32Array;
  /** Whether the last decoded world was claimed for an expansion. */
  private claimed = false;
  constructor(
    private readonly model: Model,
    /** Memory kept beside the interned parts for this codec's searches (the handler memo), counted in `bytes`. */
    private readonly alsoHeld?: { readonly bytes: number },
  ) {
    this.timed = (model.worldShape & WORLD_TIME) !== 0;
    this.nodeIds = model.nodeIds;
    this.nodes = this.nodeIds.map(() => new PartTable());
    this.first = this.timed ? 1 : 0;
    this.words = this.first + this.nodeIds.length + 4;
    this.baseWords = new Int32Array(this.words);
  }

  get bytes(): number {
    let parts = this.inFlight.size + this.observed.size + this.faults.size + this.partition.size;
    for (const t of this.nodes) parts += t.size;
    return parts * PartTable.BYTES_PER_PART + (this.alsoHeld?.bytes ?? 0);
  }

  /**
   * Whether `w` is the world last decoded and this is its first expansion: then its
   * node records are numbered (`nodeWord`). A second expansion of it (the
   * determinism check's re-run) must run the handlers again, so it is refused.
   */
  claim(w: World): boolean {
    if (w !== this.base || this.claimed) return false;
    this.claimed = true;
    return true;
  }

  /** The number of node i's record in the world last claimed. */
  nodeWord(i: number): number {
    return this.baseWords[this.first + i]!;
  }

  /** Interns a record of node i: its number (throws NonCanonicalError for a non-state value). */
  internNode(i: number, rec: NodeRec): number {
    return this.nodes[i]!.id(rec);
  }

  /** Node i's interned record numbered `word`. */
  nodePart(i: number, word: number): NodeRec {
    return this.nodes[i]!.parts[word] as NodeRec;
  }

  /** Says that the next world encoded holds node i's interned record `rec`, numbered `word`. */
  hintNode(i: number, rec: NodeRec, word: number): void {
    this.nodes[i]!.hint(rec, word);
  }

  encode(w: World, out: Int32Array, at: number): void {
    const base = this.base;
    const bw = this.baseWords;
    if (this.timed) out[at] = w.time!;
    let k = this.first;
    const nodes = w.nodes;
    const baseNodes = base?.nodes;
    const ids = this.nodeIds;
    for (let i = 0; i < ids.length; i++, k++) {
      const rec = nodes[ids[i]!];
      out[at + k] = baseNodes !== undefined && rec === baseNodes[ids[i]!] ? bw[k]! : this.nodes[i]!.id(rec);
    }
    out[at + k] = base !== undefined && w.inFlight === base.inFlight ? bw[k]! : this.inFlight.id(w.inFlight);
    k++;
    out[at + k] = base !== undefined && w.observed === base.observed ? bw[k]! : this.observed.id(w.observed);
    k++;
    out[at + k] = base !== undefined && w.faults === base.faults ? bw[k]! : this.faults.id(w.faults ?? null);
    k++;
    out[at + k] = base !== undefined && w.partition === base.partition ? bw[k]! : this.partition.id(w.partition ?? null);
  }

  decode(words: Int32Array, at: number): World {
    const bw = this.baseWords;
    for (let k = 0; k < this.words; k++) bw[k] = words[at + k]!;
    const nodes: Record<string, NodeRec> = {};
    const ids = this.nodeIds;
    let k = this.first;
    for (let i = 0; i < ids.length; i++, k++) nodes[ids[i]!] = this.nodes[i]!.parts[bw[k]!] as NodeRec;
    const shape = this.model.worldShape;
    const w = this.model.world(
      this.timed ? bw[0]! : 0,
      Object.freeze(nodes),
      this.inFlight.parts[bw[k]!] as World['inFlight'],
      this.observed.parts[bw[k + 1]!] as World['observed'],
      shape & WORLD_FAULTS ? (this.faults.parts[bw[k + 2]!] as World['faults']) : undefined,
      shape & WORLD_PARTITION ? (this.partition.parts[bw[k + 3]!] as World['partition']) : undefined,
    );
    this.base = Object.freeze(w);
    this.claimed = false;
    return w;
  }
}
