// Handler results remembered by their inputs, for the coded search. A handler is a
// pure function of its node's record (state, durable state, timers, clock), the
// message or timer or step it runs for, the ghost history, the partition and the
// time: the determinism check holds specs to that. The coded search decodes worlds
// whose node records are interned parts, each with its number, so a node that meets
// the same message in the same record again — most of a protocol's transitions —
// replays the recorded outcome (the new record, already interned, and the sends)
// instead of running the handler and interning its result again.
//
// HandlerCache is the wrapper the transitions run handlers through (installed by the
// compile step, compile.ts); HandlerMemo is its storage.
import { isNonCanonical } from '../values/fingerprint.js';
import type { Envelope } from './network.js';
import type { NodeRec, Partition, World } from './world.js';

type Observed = Readonly<Record<string, readonly unknown[]>>;

/** One successor a handler run gave (one per branch of its choices). */
export interface Outcome {
  /** The node's new record, the interned part numbered `word`. */
  readonly rec: NodeRec;
  readonly word: number;
  readonly sends: readonly Envelope[];
  readonly observed: Observed;
  readonly label: string;
}

/** A handler's outcomes for one node record, under one ghost history, partition and time. */
interface Entry {
  readonly observed: Observed;
  readonly partition: Partition | null | undefined;
  readonly time: number;
  /** Empty: a step that is not enabled. */
  readonly outcomes: readonly Outcome[];
  readonly next: Entry | undefined;
}

/**
 * Entries kept before the memo starts over: it must not outgrow the visited set. So it
 * is not counted in the bytes a state (measured after gc: 360-400 bytes an entry, on
 * paxos.fixed rounds=2 drop=1 27,614 entries, 10.0 MB; at most about 100 MB).
 */
const MAX_ENTRIES = 1 << 18;

/**
 * Per node, record number and handler slot, the entries by their ghost history's number.
 * One chain per slot was 21.4 entries long on average on paxos.fixed rounds=2 drop=1
 * (3,828 histories): its 4.7 M lookups, replayed in one process, took 0.64-0.89 s
 * (5 interleaved rounds, a 0.05-0.10 s driver loop included); keyed by the history's
 * number as well, 0.28-0.47 s.
 */
type BySlot = Map<number, Map<number, Entry>>;

export class HandlerMemo {
  /** Per node: its record's number → handler slot → ghost history's number → entries. */
  private byNode: BySlot[][];
  private count = 0;

  constructor(
    private readonly nodeCount: number,
    private readonly maxEntries = MAX_ENTRIES,
  ) {
    this.byNode = this.empty();
  }

  /** Entries kept now. */
  get entries(): number {
    return this.count;
  }

  /** The slot of a delivery of the envelope numbered `envelopeId`, or of timer / step / restart `kind` number h. */
  static slot(kind: number, h: number): number {
    return h * 4 + kind;
  }

  /** `observedWord`: the number of the interned ghost history `observed` (the same number is the same object). */
  find(node: number, word: number, slot: number, observedWord: number, observed: Observed, partition: Partition | null | undefined, time: number): readonly Outcome[] | undefined {
    const byObserved = this.byNode[node]![word]?.get(slot);
    if (byObserved === undefined) return undefined;
    for (let e = byObserved.get(observedWord); e !== undefined; e = e.next) {
      if (e.observed === observed && e.partition === partition && e.time === time) return e.outcomes;
    }
    return undefined;
  }

  remember(node: number, word: number, slot: number, observedWord: number, observed: Observed, partition: Partition | null | undefined, time: number, outcomes: readonly Outcome[]): void {
    if (this.count >= this.maxEntries) {
      this.byNode = this.empty();
      this.count = 0;
    }
    const perWord = this.byNode[node]!;
    let bySlot = perWord[word];
    if (bySlot === undefined) perWord[word] = bySlot = new Map();
    let byObserved = bySlot.get(slot);
    if (byObserved === undefined) bySlot.set(slot, (byObserved = new Map()));
    byObserved.set(observedWord, { observed, partition, time, outcomes, next: byObserved.get(observedWord) });
    this.count++;
  }

  private empty(): BySlot[][] {
    return Array.from({ length: this.nodeCount }, () => []);
  }
}

/**
 * The numbers the memo keys node records by: the world codec's interned records
 * (codec.ts). Only the worlds it decodes have numbered records.
 */
export interface RecordNumbering {
  /** Whether `w` is the world just decoded and this is its first expansion (a re-run must run the handlers). */
  claim(w: World): boolean;
  /** The number of node i's record in the world last claimed. */
  nodeWord(i: number): number;
  /** The number of the ghost history (observed part) of the world last claimed. */
  observedWord(): number;
  /** Interns a record of node i: its number (throws NonCanonicalError for a non-state value). */
  internNode(i: number, rec: NodeRec): number;
  /** Node i's interned record numbered `word`. */
  nodePart(i: number, word: number): NodeRec;
  /** Says that the next world encoded holds node i's interned record `rec`, numbered `word`. */
  hintNode(i: number, rec: NodeRec, word: number): void;
}

/**
 * What the transitions (transitions.ts) run handlers through when the world being
 * expanded was decoded by the codec: look the run up by its inputs, else run it and
 * record its outcomes, interned. The compile step installs it with the codec whose
 * numbers it uses; asking for the codec switches nothing on.
 */
export class HandlerCache {
  constructor(
    private readonly numbering: RecordNumbering,
    /** Where the runs are looked up and remembered. */
    readonly memo: HandlerMemo,
  ) {}

  /** Whether the handler runs expanding `w` go through the cache (see RecordNumbering.claim). */
  claim(w: World): boolean {
    return this.numbering.claim(w);
  }

  /** The number of node i's record in the world claimed: the first key of its runs. */
  word(i: number): number {
    return this.numbering.nodeWord(i);
  }

  /** The number of the claimed world's ghost history: the memo's key with the node's record. */
  observedWord(): number {
    return this.numbering.observedWord();
  }

  /** The number of a handler's new node record; -1 for a non-state value (that run is not remembered; the search words the error). */
  intern(node: number, rec: NodeRec): number {
    try {
      return this.numbering.internNode(node, rec);
    } catch (e) {
      if (isNonCanonical(e)) return -1;
      throw e;
    }
  }

  /** Node i's interned record numbered `word` (the one object of its value). */
  part(node: number, word: number): NodeRec {
    return this.numbering.nodePart(node, word);
  }

  /** The successor about to be emitted holds node i's record `rec`, numbered `word`: the codec encodes it without a lookup. */
  hint(node: number, rec: NodeRec, word: number): void {
    this.numbering.hintNode(node, rec, word);
  }
}
