// Worlds as words, for the coded BFS (src/explore/value-space.ts): [time?] then one
// word per node and one each for the in-flight messages, the ghost history, the
// fault counts and the partition. Each word is the id of an interned part: equal
// parts (by value) share one id and one frozen object (in-flight lists: one run of
// envelope numbers, rebuilt when decoded; in-flight-table.ts), so a world in the frontier
// costs a few words instead of an object graph, and a successor is encoded by
// looking up only the parts its transition changed.
import type { StateCodec } from '../values/state-codec.js';
import { PartTable } from '../values/part-table.js';
import { fmix32, fmixB } from '../values/mix.js';
import { fromWire, internalize, toWire } from '../values/wire.js';
import type { RecordNumbering } from './handler-memo.js';
import type { Model } from './model.js';
import { InFlightTable } from './in-flight-table.js';
import { envelopeInfo, type Envelope } from './network.js';
import { makeNode, nodeAccess, WORLD_FAULTS, WORLD_PARTITION, WORLD_TIME, type NodeReader, type NodeRec, type NodesMaker, type World } from './world.js';

/** An envelope as exportPart gives it (in a checkpoint's lists, or alone to another shard): what rebuilds it in another network. */
type EnvelopeWire = [from: string, fromIdx: number, to: string, toIdx: number, msg: unknown, msgText: string, handler: number, deliverBy: number | null];

/** Also the record numbering of the handler cache (handler-memo.ts), for the worlds it decodes. */
export class WorldCodec implements StateCodec<World>, RecordNumbering {
  readonly words: number;
  private readonly timed: boolean;
  private readonly nodeIds: readonly string[];
  private readonly nodes: PartTable[];
  private readonly inFlight: InFlightTable;
  private readonly observed = new PartTable();
  private readonly faults = new PartTable();
  private readonly partition = new PartTable();
  /** Where the node words start (after the time word, in timed mode). */
  private readonly first: number;
  /** The last decoded world, its node records and its words: a successor's unchanged parts encode by identity. */
  private base: World | undefined;
  private readonly baseRecs: NodeRec[];
  private readonly baseWords: Int32Array;
  /** The node records of the world being encoded (scratch). */
  private readonly recs: NodeRec[];
  private readonly readNodes: NodeReader;
  private readonly makeNodes: NodesMaker;
  /** Whether the last decoded world was claimed for an expansion. */
  private claimed = false;
  constructor(private readonly model: Model) {
    this.inFlight = new InFlightTable(model.network);
    this.timed = (model.worldShape & WORLD_TIME) !== 0;
    this.nodeIds = model.nodeIds;
    this.nodes = this.nodeIds.map(() => new PartTable());
    this.first = this.timed ? 1 : 0;
    this.words = this.first + this.nodeIds.length + 4;
    this.baseWords = new Int32Array(this.words);
    this.baseRecs = new Array<NodeRec>(this.nodeIds.length);
    this.recs = new Array<NodeRec>(this.nodeIds.length);
    ({ read: this.readNodes, make: this.makeNodes } = nodeAccess(this.nodeIds));
    this.tables = [...this.nodes, this.inFlight, this.observed, this.faults, this.partition];
    this.baseShares = new Int32Array(2 * this.words);
    this.inFlightTable = this.nodeIds.length;
    this.envelopeTable = this.tables.length;
  }

  private readonly inFlightTable: number;
  /** The exchange's table of envelopes (exportLinked): after the words' tables, named by none. */
  private readonly envelopeTable: number;

  /** The compiled protocol's own partition object with these sides (partitions are known by identity). */
  private partitionOf(p: World['partition']): World['partition'] {
    if (p === null || p === undefined) return p;
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    const rt = this.model.partitions.find((c) => same(c.sides[0], p[0]) && same(c.sides[1], p[1]));
    if (rt === undefined) throw new Error('internal: a partition that this compiled protocol did not create');
    return rt.sides;
  }

  /** Word k's part table (the time word, -1, is a plain number). */
  tableOf(_words: Int32Array, _at: number, k: number): number {
    return k - this.first;
  }

  exportPart(table: number, id: number): unknown {
    if (table === this.envelopeTable) return this.exportEnvelope(this.model.network.envelope(id));
    if (table !== this.inFlightTable) return toWire((this.tables[table] as PartTable).parts[id]);
    // A checkpoint's form (the exchange's is exportLinked). Envelopes are interned
    // objects: each is saved as what rebuilds it in the resumed search's network, made
    // once per envelope, so that a checkpoint's V8 serialisation writes it once and refers to it after
    // (measured on paxos.fixed rounds=2 drop=1 at 300,005 states: its checkpoint is 10.8 MB,
    // written in 0.31 s and read in 0.71 s; with a copy per list it was 38.6 MB, 1.80 s, 2.15 s).
    return this.inFlight.list(id).map((env) => this.exportEnvelope(env));
  }

  /** Each envelope's exported form (exportEnvelope). */
  private readonly exported = new WeakMap<object, EnvelopeWire>();

  private exportEnvelope(env: Envelope): EnvelopeWire {
    let out = this.exported.get(env);
    if (out === undefined) {
      const info = envelopeInfo(env);
      out = [env.from, info.fromIdx, env.to, info.toIdx, toWire(env.msg), info.msgText, info.handler, env.deliverBy ?? null];
      this.exported.set(env, out);
    }
    return out;
  }

  private importEnvelope(wire: EnvelopeWire): Envelope {
    const [from, fromIdx, to, toIdx, msg, msgText, handler, deliverBy] = wire;
    return this.model.network.intern(internalize(from), fromIdx, internalize(to), toIdx, fromWire(msg) as { type: string }, msgText, handler, deliverBy);
  }

  /**
   * In the exchange, an in-flight list crosses as its envelopes' numbers, and each
   * envelope once per receiver (the envelope table, which no word names): measured on
   * paxos.fixed rounds=2 drop=1 with 2 workers, a shard sent 85,000 lists in 9,700
   * batches, 426,000 envelopes in all, each cloned, revived and looked up again.
   */
  exportLinked(table: number, id: number, refer: (subTable: number, subId: number) => void): unknown {
    if (table !== this.inFlightTable) return this.exportPart(table, id);
    const numbers = this.inFlight.numbers(id);
    for (const n of numbers) refer(this.envelopeTable, n);
    return numbers;
  }

  importLinked(table: number, data: unknown, local: (subTable: number, senderId: number) => number): number {
    if (table !== this.inFlightTable) return this.importPart(table, data);
    const numbers = data as number[];
    const network = this.model.network;
    return this.internList(numbers.length, (i) => network.envelope(local(this.envelopeTable, numbers[i]!)));
  }

  /** The number of the in-flight list of these n envelopes. */
  private internList(n: number, envelope: (i: number) => Envelope): number {
    // Built as InFlightTable.list builds a list (one elements kind for the code that reads lists).
    const list = new Array<Envelope>(n);
    for (let i = 0; i < n; i++) list[i] = envelope(i);
    return this.inFlight.id(Object.freeze(list));
  }

  importPart(table: number, data: unknown): number {
    if (table === this.envelopeTable) return envelopeInfo(this.importEnvelope(data as EnvelopeWire)).id;
    if (table === this.inFlightTable + 3) return this.partition.id(this.partitionOf(fromWire(data) as World['partition']));
    if (table < this.inFlightTable) {
      // A node record rebuilt by its role's one object literal (makeNode), not left as
      // fromWire built it: a record of another hidden class made the handlers' code and
      // the transitions' polymorphic in the threads that import parts.
      const r = fromWire(data) as NodeRec;
      const rec = makeNode(this.model.nodes[table]!.role.shape, r.status, r.state, r.durable, r.timers, r.clockOffset ?? 0, r.startedAt ?? 0);
      return (this.tables[table] as PartTable).id(rec);
    }
    if (table !== this.inFlightTable) return (this.tables[table] as PartTable).id(fromWire(data));
    const wire = data as EnvelopeWire[];
    return this.internList(wire.length, (i) => this.importEnvelope(wire[i]!));
  }

  partCounts(): number[] {
    return this.tables.map((t) => t.size);
  }

  /** The part table of each word after the time word, in word order. */
  private readonly tables: (PartTable | InFlightTable)[];
  /** The shares of baseWords' parts in a fingerprint (shareA, shareB per word), and their XORs, when computed since the last decode. */
  private readonly baseShares: Int32Array;
  private baseA = 0;
  private baseB = 0;
  private baseSharesValid = false;

  /**
   * The interned parts' memory (measured: typed arrays, and the objects of the parts
   * kept, estimated as each was kept). Not the handler memo (handler-memo.ts): a cache
   * bounded by its entries, not by the states, and started over when full.
   */
  get bytes(): number {
    let bytes = 0;
    for (const t of this.tables) bytes += t.bytes;
    return bytes;
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

  observedWord(): number {
    return this.baseWords[this.first + this.nodeIds.length + 1]!;
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
    const recs = this.recs;
    const baseRecs = this.baseRecs; // holes before the first decode: every record is looked up
    this.readNodes(w.nodes, recs);
    for (let i = 0; i < recs.length; i++, k++) out[at + k] = recs[i] === baseRecs[i] ? bw[k]! : this.nodes[i]!.id(recs[i]);
    out[at + k] = base !== undefined && w.inFlight === base.inFlight ? bw[k]! : this.inFlight.id(w.inFlight);
    k++;
    out[at + k] = base !== undefined && w.observed === base.observed ? bw[k]! : this.observed.id(w.observed);
    k++;
    out[at + k] = base !== undefined && w.faults === base.faults ? bw[k]! : this.faults.id(w.faults ?? null);
    k++;
    out[at + k] = base !== undefined && w.partition === base.partition ? bw[k]! : this.partition.id(w.partition ?? null);
  }

  /**
   * The fingerprint of a world's words, from its parts' hashes rather than their
   * numbers: a function of the world's value, so every thread of a parallel search
   * (each with its own numbering) computes the same one. Each word's part has a share
   * (its 64-bit hash mixed with the word's place), and the fingerprint is the XOR of
   * the shares (Zobrist's hashing): a successor's differs from its parent's by the
   * shares of the parts its transition changed, so only those are looked up and
   * mixed. Before, every word's lanes were gathered and hashed together (hashWords,
   * 18 words for paxos). A 2-worker paxos.fixed rounds=2 drop=1 search, --cpu-prof:
   * 1.37 s in fingerprintWords, laneBase and hashWords before, 0.71 s after; eight
   * interleaved pairs (bench/measure.js), CPU 11.4-16.6 s -> 10.7-15.6 s, lower in 7.
   * One thread still hashes the numbers (one table lookup fewer a changed part):
   * keyed this way it took 6.90-7.80 s against 6.46-7.06 s.
   */
  fingerprintWords(words: Int32Array, at: number, out: Uint32Array): void {
    // Before the first decode there is no base world: baseWords are not its words.
    const based = this.base !== undefined;
    if (based && !this.baseSharesValid) this.shareBase();
    const bw = this.baseWords;
    const shares = this.baseShares;
    const tables = this.tables;
    let a = based ? this.baseA : 0;
    let b = based ? this.baseB : 0;
    let w = 0;
    if (this.timed) {
      const time = words[at]!;
      if (!based || time !== bw[0]) {
        if (based) {
          a ^= shares[0]!;
          b ^= shares[1]!;
        }
        a ^= shareA(0, time);
        b ^= shareB(0, time);
      }
      w = 1;
    }
    for (let t = 0; t < tables.length; t++, w++) {
      const id = words[at + w]!;
      if (based) {
        if (id === bw[w]) continue;
        a ^= shares[2 * w]!;
        b ^= shares[2 * w + 1]!;
      }
      a ^= shareA(w, tables[t]!.laneA(id));
      b ^= shareB(w, tables[t]!.laneB(id));
    }
    out[0] = a;
    out[1] = b;
  }

  /**
   * The shares of the last decoded world's parts, for fingerprintWords: a successor
   * shares most of its parts with it, and their index entries were cold cache lines
   * (paxos.fixed rounds=2 drop=1 searched by one shard, --cpu-prof: fingerprintWords
   * 1.50 s of the run's 21.9 s of samples; with its parts' lanes kept, 0.56 s and 0.17 s here).
   */
  private shareBase(): void {
    const bw = this.baseWords;
    const shares = this.baseShares;
    const tables = this.tables;
    let a = 0;
    let b = 0;
    if (this.timed) {
      a ^= shares[0] = shareA(0, bw[0]!);
      b ^= shares[1] = shareB(0, bw[0]!);
    }
    for (let t = 0, w = this.first; t < tables.length; t++, w++) {
      a ^= shares[2 * w] = shareA(w, tables[t]!.laneA(bw[w]!));
      b ^= shares[2 * w + 1] = shareB(w, tables[t]!.laneB(bw[w]!));
    }
    this.baseA = a;
    this.baseB = b;
    this.baseSharesValid = true;
  }

  decode(words: Int32Array, at: number): World {
    const bw = this.baseWords;
    for (let k = 0; k < this.words; k++) bw[k] = words[at + k]!;
    const recs = this.baseRecs;
    let k = this.first;
    for (let i = 0; i < recs.length; i++, k++) recs[i] = this.nodes[i]!.parts[bw[k]!] as NodeRec;
    const nodes = this.makeNodes(recs);
    const shape = this.model.worldShape;
    const w = this.model.world(
      this.timed ? bw[0]! : 0,
      Object.freeze(nodes),
      this.inFlight.list(bw[k]!),
      this.observed.parts[bw[k + 1]!] as World['observed'],
      shape & WORLD_FAULTS ? (this.faults.parts[bw[k + 2]!] as World['faults']) : undefined,
      shape & WORLD_PARTITION ? (this.partition.parts[bw[k + 3]!] as World['partition']) : undefined,
    );
    this.base = Object.freeze(w);
    this.claimed = false;
    this.baseSharesValid = false;
    return w;
  }
}

/** Word w's share of lane A of a fingerprint, for a part whose hash has lane A `lane` (a bijection for each w). */
function shareA(w: number, lane: number): number {
  return fmix32(lane ^ Math.imul(w + 1, 0x9e3779b9));
}

/** Lane B's, with the other finaliser and constants: the lanes stay independent. */
function shareB(w: number, lane: number): number {
  return fmixB(lane ^ Math.imul(w + 1, 0x85ebca6b));
}
