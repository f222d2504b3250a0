// The BFS's space for specs whose states are JS values (spec(), protocol()): the
// spec's successors() emits state objects, one at a time. Two ways to key them:
// - by structure (StructuralKeys): the state's structural fingerprint; plain-record
//   states wait in the queue as words of interned fields (RecordCodec), encoded once,
//   when found new; other states wait as objects;
// - by words (WordKeys, systems with a codec: protocol worlds): every successor is
//   encoded against its parent (only the parts it changed are looked up), hashed
//   from its words, and queued as words.
// Either way the visited set is a FingerprintSet and parents are ordinal links.
import type { TraceStep } from '../core/errors.js';
import type { Emit } from '../core/types.js';
import type { StateCodec } from '../values/state-codec.js';
import type { TransitionSystem } from './system.js';
import { hashWords } from '../packed/hash.js';
import { resolveLabel, stateFingerprintInto } from './reconstruct.js';
import { isNonCanonical } from '../values/fingerprint.js';
import { progressingActions, type StateSpace } from './bfs.js';
import { DeterminismCheck } from './determinism.js';
import { ConstraintMarks, UNKNOWN, WITHIN } from './constraint-marks.js';
import { hasUnvisitedSuccessor } from './unvisited.js';
import { FingerprintSet } from './fingerprint-set.js';
import { NO_PARENT, type LinkColumnsData } from './link-columns.js';
import { OrdinalLinks } from './ordinal-links.js';
import { RecordCodec } from './record-codec.js';
import type { Search } from './search.js';
import { WordLevels } from './word-levels.js';
import { fromWire } from '../values/wire.js';
import type { CheckpointData } from './checkpoint/file.js';
import { restoreVisited, saveVisited, saveVisitedEntries } from './checkpoint/visited.js';
import { toCheckpoint } from './checkpoint/states.js';
import { checkQueueKind, restoreWordQueue, saveWordColumns, saveWordQueue } from './checkpoint/word-queue.js';

/** How a value space fingerprints its states and keeps its levels. */
interface Keys<S> {
  /** Fingerprints `state` into `search.hasher.fp` (a non-state value becomes a SpecError naming `label`'s action). */
  key(state: S, label: string | (() => string) | null): void;
  /** The state keyed last was new: freeze it, and queue it for the next level. */
  keep(state: S): void;
  advance(): number;
  readonly queued: number;
  /** The level's i-th state (decoded: encoding its successors is then by identity). */
  take(i: number): S;
  /** Memory outside the visited set and links (interned parts). */
  readonly bytes: number;
  /** The fingerprint the nondeterminism check compares (the structural one). */
  structural(state: S, out: Uint32Array): void;
  /** The codec the queue keeps states in (undefined: objects), which the parallel search moves words with. */
  readonly codec: StateCodec<S> | undefined;
  /** The words of the state keyed last (encoded now if keying did not). */
  wordsOf(state: S): Int32Array;
  /** Queues a state given as words (a parallel search's successor from another thread); returns it decoded. */
  keepWords(words: Int32Array, at: number): S;
  /** The words of the level's i-th state (a parallel search hands them over). */
  levelWords(i: number): Int32Array;
  /** Puts the queued states in this order (indices into the queue). */
  reorderQueued(order: Int32Array): void;
  /** The words of the i-th queued state (a parallel search's checkpoint). */
  queuedWords(i: number): Int32Array;
  /** Saves a level given as words, with nothing queued after it (a parallel search's checkpoint). */
  saveLevel(into: CheckpointData, level: Int32Array): void;
  /** Saves the level (from state `from`, the first not taken) and the queue to a checkpoint. */
  save(into: CheckpointData, from: number): void;
  /** Restores them; returns the level's size. */
  restore(from: CheckpointData): number;
}

/**
 * Where a parallel search sends each successor instead of admitting it
 * (parallel/shard.ts): `to` says which shard takes the successor (parent, ordinal)
 * with this fingerprint, or -1 when it needs no words (known to be seen, or only a
 * better parent for a state found this level); only then is the successor encoded and
 * `send` called. A successor `to` gives its own shard is in that shard's visited set
 * already, and must be admitted next (`admit`, `admitWords`).
 */
export interface Route {
  to(a: number, b: number, parent: number, ordinal: number): number;
  /** Sends a successor to another shard. */
  send(shard: number, a: number, b: number, parent: number, ordinal: number, words: Int32Array, at: number): void;
  /** The shard this space is (`to` returns it for the successors it owns). */
  readonly self: number;
  /**
   * A successor this shard owns and `to` has just found new, admitted at once: a value
   * space's as the state it is, a packed space's as its words at `at` (probing: only noted).
   */
  admit(a: number, b: number, parent: number, ordinal: number, state: unknown): void;
  /** `admit` for a packed space's successor: its words from `at`. */
  admitWords(a: number, b: number, parent: number, ordinal: number, words: Int32Array, at: number): void;
}

export class ValueSpace<S> implements StateSpace {
  readonly links: OrdinalLinks<S>;
  private seen: FingerprintSet;
  private readonly system: TransitionSystem<S>;
  private readonly determinism: DeterminismCheck<S>;
  private readonly progressing: boolean[];
  /** The constraint's verdict on each queued state, when the spec has a constraint. */
  private readonly marks: ConstraintMarks | undefined;
  private readonly fp: Uint32Array;
  private readonly structuralFp = new Uint32Array(2);
  /** The level's states are ids [levelBase, levelBase + levelSize). */
  private levelBase = 0;
  private levelSize = 0;
  private parent!: S;
  private parentId = NO_PARENT;
  private depth = 0;
  private ordinal = 0;
  private emitted = 0;
  private failure: unknown;
  failedStep?: TraceStep;
  /** Set in a parallel search's shard: successors go there. */
  route: Route | undefined;
  /** Routing only, to learn whether the depth bound cut something off: nothing counted or checked. */
  probing = false;
  /** A shard's level is not dense in ids: the coordinator numbers it. */
  levelIds: Int32Array | undefined;
  /** The ordinal of the transition whose action properties were checked last (a shard reports a failing one). */
  foundOrdinal = -1;

  constructor(
    private readonly search: Search<S>,
    private readonly keys: Keys<S>,
    /** 'words': every state queued as words and keyed alike in every thread (the parallel search's). */
    readonly layout: 'values' | 'words' = 'values',
  ) {
    this.system = search.system;
    this.fp = search.hasher.fp;
    // The liveness graph names the target of every edge, known or new: the set keeps ids then.
    this.seen = new FingerprintSet(1 << 12, search.checker.graph !== undefined);
    this.links = new OrdinalLinks(search.system);
    search.storeIn({ links: this.links, bytesElsewhere: () => this.seen.bytes + keys.bytes });
    this.determinism = new DeterminismCheck(this.system, search.options.recheckRate);
    this.progressing = progressingActions(this.system);
    this.marks = this.system.constraint === undefined ? undefined : new ConstraintMarks();
  }

  /**
   * A space that keys states by their words when the system has a codec (protocol
   * worlds, not under symmetry), else by structure. `words`: every state is queued as
   * words, whatever its shape (a parallel search moves them between threads).
   */
  static for<S>(search: Search<S>, words = false): ValueSpace<S> {
    const { system } = search;
    return system.codec !== undefined && system.canonical === undefined ? ValueSpace.coded(search, system.codec(), words) : ValueSpace.structural(search, words);
  }

  /** States keyed by their structural fingerprint. */
  static structural<S>(search: Search<S>, words = false): ValueSpace<S> {
    return new ValueSpace(search, new StructuralKeys(search, words), words ? 'words' : 'values');
  }

  /** Words per state, and the codec that numbers their parts (for the parallel search's exchange). */
  get W(): number {
    return this.keys.codec?.words ?? 0;
  }

  get codec(): StateCodec<S> | undefined {
    return this.keys.codec;
  }

  get visited(): FingerprintSet {
    return this.seen;
  }

  useVisited(set: FingerprintSet): void {
    this.seen = set;
  }

  levelWords(i: number): Int32Array {
    return this.keys.levelWords(i);
  }

  queuedWords(i: number): Int32Array {
    return this.keys.queuedWords(i);
  }

  saveShared(into: CheckpointData, visited: readonly Int32Array[], links: LinkColumnsData, levelBase: number, level: Int32Array): void {
    saveVisitedEntries(into, visited, links);
    into.header.levelBase = levelBase;
    this.keys.saveLevel(into, level);
  }

  /** See ShardSpace.queueWords (the hand-over). */
  queueWords(words: Int32Array): void {
    this.keys.keepWords(words, 0);
  }

  admitNew(words: Int32Array, at: number, depth: number, id: number): void {
    const state = this.keys.keepWords(words, at);
    this.search.counts.depth = depth + 1;
    this.check(state, id);
  }

  /** admitNew for a successor this thread generated: the state itself (the last one keyed), not decoded from words. */
  admitState(state: S, depth: number, id: number): void {
    this.keys.keep(state);
    this.search.counts.depth = depth + 1;
    this.check(state, id);
  }

  reorderQueued(order: Int32Array): void {
    this.keys.reorderQueued(order);
    this.marks?.reorderQueued(order);
  }

  /**
   * States keyed by the hash of their words in `codec`; `intrinsic`: by a hash of
   * their parts' values (the same in every thread, for the parallel search).
   */
  static coded<S>(search: Search<S>, codec: StateCodec<S>, intrinsic = false): ValueSpace<S> {
    return new ValueSpace(search, new WordKeys(search, codec, intrinsic), intrinsic ? 'words' : 'values');
  }

  get queued(): number {
    return this.keys.queued;
  }

  start(): void {
    const { search, keys } = this;
    const inits = this.system.initialStates();
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!;
      keys.key(s, null);
      search.counts.generated++;
      if (!this.visit(NO_PARENT, i)) continue;
      search.counts.initialCount++;
      this.fresh(s, this.seenId);
      if (search.found) return;
    }
  }

  advance(): number {
    this.levelBase += this.levelSize;
    this.levelSize = this.keys.advance();
    this.marks?.advance();
    return this.levelSize;
  }

  id(i: number): number {
    return this.levelIds !== undefined ? this.levelIds[i]! : this.levelBase + i;
  }

  expand(i: number, depth: number): number {
    const { search } = this;
    const state = this.keys.take(i);
    const id = this.id(i);
    this.parent = state;
    this.parentId = id;
    const expand = this.within(state, i);
    search.checker.beginExpansion(state, id, expand);
    if (!expand) return -1;
    this.depth = depth;
    this.ordinal = 0;
    this.emitted = 0;
    this.determinism.begin(state, id);
    this.system.successors(state, this.emit);
    search.checker.endExpansion(state, id);
    if (this.failure !== undefined) throw this.failure;
    return this.emitted;
  }

  checkDeadlock(): void {
    this.search.checker.checkDeadlock(this.parent, this.parentId);
  }

  anyUnvisited(count: number): boolean {
    const { keys, seen, fp } = this;
    const key = (succ: S, label: string | (() => string)) => keys.key(succ, label);
    for (let i = 0; i < count; i++) {
      const state = keys.take(i);
      if (this.within(state, i) && hasUnvisitedSuccessor(this.system, state, key, fp, seen)) return true;
    }
    return false;
  }

  verifyDeterminism() {
    return this.determinism.verify();
  }

  get fullChecksLeft(): number {
    return this.determinism.fullChecksLeft;
  }

  set fullChecksLeft(n: number) {
    this.determinism.fullChecksLeft = n;
  }

  save(into: CheckpointData, from: number): void {
    saveVisited(into, this.seen, this.links);
    into.header.levelBase = this.levelBase;
    this.keys.save(into, from);
  }

  restore(from: CheckpointData): number {
    restoreVisited(from, this.seen, this.links);
    this.levelBase = from.header.levelBase as number;
    this.levelSize = this.keys.restore(from);
    this.marks?.clear();
    return this.levelSize;
  }

  // Errors thrown here are kept, not thrown: user code may call emit inside its own
  // try/catch, and must not swallow or re-wrap faultline's findings.
  private readonly emit: Emit<S> = (succ, action, label) => {
    if (this.failure !== undefined || this.search.found !== undefined) return;
    const ordinal = this.ordinal++;
    if (this.progressing[action]) this.emitted++;
    try {
      this.admit(succ, action, label, ordinal);
    } catch (e) {
      this.failure = e;
      this.failedStep = { action: resolveLabel(label), state: succ };
    }
  };

  /** One successor: counted, keyed, visited, checked, queued when new. */
  private admit(succ: S, action: number, label: string | (() => string), ordinal: number): void {
    const { search } = this;
    if (this.route !== undefined) return this.routeOne(succ, action, label, ordinal);
    search.counts.generated++;
    search.counts.coverage[action]!++;
    this.keys.key(succ, label);
    const record = this.determinism.current;
    if (record !== undefined) {
      this.keys.structural(succ, this.structuralFp);
      record.push(action, this.structuralFp[0]!, this.structuralFp[1]!);
    }
    const isNew = this.visit(this.parentId, ordinal);
    search.checker.graph?.edge(this.parentId, this.seenId, action, label);
    if (isNew) this.keys.keep(succ); // frozen before any user code sees it again
    search.checker.checkTransition(this.parent, label, succ, this.parentId);
    if (isNew && search.found === undefined) {
      search.counts.depth = this.depth + 1;
      this.check(succ, this.seenId);
    }
  }

  /** A shard's successor: counted, keyed and sent to the shard that owns it; its action properties checked here. */
  private routeOne(succ: S, action: number, label: string | (() => string), ordinal: number): void {
    const { search, keys, fp } = this;
    keys.key(succ, label);
    const a = fp[0]! | 0;
    const b = fp[1]! | 0;
    const route = this.route!;
    if (this.probing) {
      const shard = route.to(a, b, this.parentId, ordinal);
      if (shard === route.self) route.admit(a, b, this.parentId, ordinal, succ);
      else if (shard >= 0) route.send(shard, a, b, this.parentId, ordinal, keys.wordsOf(succ), 0);
      return;
    }
    search.counts.generated++;
    search.counts.coverage[action]!++;
    const record = this.determinism.current;
    if (record !== undefined) {
      keys.structural(succ, this.structuralFp);
      record.push(action, this.structuralFp[0]!, this.structuralFp[1]!);
    }
    const shard = route.to(a, b, this.parentId, ordinal);
    // Its own successors are admitted here, as one thread admits them: queuing them as
    // words to admit after the expansion decoded each one back into a state (measured,
    // protocol-bench: the drain and decode took 7.6% of a shard's time).
    if (shard === route.self) route.admit(a, b, this.parentId, ordinal, succ);
    else if (shard >= 0) route.send(shard, a, b, this.parentId, ordinal, keys.wordsOf(succ), 0); // encoded only when it goes
    this.foundOrdinal = ordinal; // the moment of a failing action property, which the shard reports
    search.checker.checkTransition(this.parent, label, succ, this.parentId);
  }

  /** An initial state found new: kept and checked. */
  private fresh(state: S, id: number): void {
    this.keys.keep(state);
    this.check(state, id);
  }

  /** Invariants and `sometimes` of a new state; one failing the constraint is checked but not counted (TLC). */
  check(state: S, id: number): void {
    this.search.checker.checkState(state, id);
    const within = this.search.checker.countConstraint(state);
    this.marks?.mark(this.keys.queued - 1, within);
  }

  /** Whether the level's i-th state may be expanded: the verdict taken when it was checked, else the constraint's. */
  private within(state: S, i: number): boolean {
    const mark = this.marks?.of(i) ?? UNKNOWN;
    return mark === UNKNOWN ? this.search.checker.withinConstraint(state) : mark === WITHIN;
  }

  /** The id `visit` found or gave. */
  private seenId = NO_PARENT;

  /** Adds `search.hasher.fp` to the visited set (reached from `parent` by successor `ordinal`); whether it was new. */
  private visit(parent: number, ordinal: number): boolean {
    const fp = this.fp;
    if (!this.seen.add(fp[0]! | 0, fp[1]! | 0, this.links.size)) {
      this.seenId = this.seen.lastId; // meaningful when ids are kept (with a liveness graph)
      return false;
    }
    this.seenId = this.links.push(parent, ordinal);
    return true;
  }
}

/** States keyed by their structural fingerprint; plain records queued as words of interned fields. */
class StructuralKeys<S> implements Keys<S> {
  private level: S[] = [];
  private next: S[] = [];
  /** Where the states wait instead, when they are plain records (or `words` was asked for); derived with the codec. */
  private wordLevels: WordLevels<S> | undefined;
  private derived: StateCodec<S> | undefined | null = null;
  private draft = new Int32Array(0);

  /** `words`: queue every state as words (a state of another shape is interned whole). */
  constructor(
    private readonly search: Search<S>,
    private readonly asWords: boolean,
  ) {}

  /**
   * The codec of the queue (undefined: objects), derived from the first initial state
   * when first needed (inside the search, where a failing init is a spec error), so
   * every thread of a parallel search derives the same one.
   */
  get codec(): StateCodec<S> | undefined {
    if (this.derived === null) {
      const { system, options } = this.search;
      const sample = options.compactFrontier !== false || this.asWords ? system.initialStates()[0] : undefined;
      // A system's own codec (protocol worlds, here under symmetry) knows its interned parts (messages, partitions).
      const codec = sample === undefined ? undefined : this.asWords ? (system.codec?.() ?? RecordCodec.any(sample)) : RecordCodec.derive(sample);
      this.derived = codec as StateCodec<S> | undefined;
      this.wordLevels = this.derived === undefined ? undefined : new WordLevels(this.derived);
      this.draft = new Int32Array(this.derived?.words ?? 0);
    }
    return this.derived;
  }

  private get words(): WordLevels<S> | undefined {
    return this.codec === undefined ? undefined : this.wordLevels;
  }

  get bytes(): number {
    return this.derived?.bytes ?? 0; // not derived here: reports read it after a failed init too
  }

  get queued(): number {
    return this.words?.queued ?? this.next.length;
  }

  key(state: S, label: string | (() => string) | null): void {
    this.search.hasher.fingerprint(state, label);
  }

  keep(state: S): void {
    this.search.hasher.sealNew(state);
    if (this.words) this.words.push(state);
    else this.next.push(state);
  }

  wordsOf(state: S): Int32Array {
    this.codec!.encode(state, this.draft, 0);
    return this.draft;
  }

  keepWords(words: Int32Array, at: number): S {
    this.words!.pushWords(words, at);
    return this.codec!.decode(words, at);
  }

  levelWords(i: number): Int32Array {
    return this.words!.levelWords(i);
  }

  reorderQueued(order: Int32Array): void {
    this.words!.reorderQueued(order);
  }

  queuedWords(i: number): Int32Array {
    return this.words!.queuedWords(i);
  }

  saveLevel(into: CheckpointData, level: Int32Array): void {
    saveWordColumns(into, this.codec!, { level, next: new Int32Array(0) });
  }

  save(into: CheckpointData, from: number): void {
    const words = this.words;
    if (words !== undefined) return saveWordQueue(into, this.codec!, words);
    // Expanded states were let go (take): the level is kept from `from` on.
    into.header.queue = 'objects';
    into.header.levelFrom = from;
    into.values.set('level', this.level.slice(from).map(toCheckpoint));
    into.values.set('next', this.next.map(toCheckpoint));
  }

  restore(from: CheckpointData): number {
    const words = this.words;
    if (words !== undefined) return restoreWordQueue(from, this.codec!, words);
    checkQueueKind(from, 'objects');
    const revive = (w: unknown): S => {
      const state = fromWire(w) as S;
      this.key(state, null);
      this.search.hasher.sealNew(state); // frozen, as a state found new is
      return state;
    };
    this.level = [...(new Array(from.header.levelFrom as number) as S[]), ...from.value<unknown[]>('level').map(revive)];
    this.next = from.value<unknown[]>('next').map(revive);
    return this.level.length;
  }

  advance(): number {
    if (this.words) return this.words.advance();
    this.level = this.next;
    this.next = [];
    return this.level.length;
  }

  take(i: number): S {
    if (this.words) return this.words.decode(i);
    const s = this.level[i]!;
    (this.level as (S | undefined)[])[i] = undefined; // let expanded states be collected
    return s;
  }

  structural(_state: S, out: Uint32Array): void {
    out.set(this.search.hasher.fp);
  }
}

/** States keyed by the hash of their words (a system's codec): a successor is encoded against its parent. */
class WordKeys<S> implements Keys<S> {
  private readonly W: number;
  readonly codec: StateCodec<S>;
  private readonly draft: Int32Array;
  private readonly levels: WordLevels<S>;

  constructor(
    private readonly search: Search<S>,
    codec: StateCodec<S>,
    /** Hash the parts' values, not their numbers (measured: 10-25% slower on protocol-bench, so only when threads must agree). */
    private readonly intrinsic: boolean,
  ) {
    this.codec = codec;
    this.W = codec.words;
    this.draft = new Int32Array(this.W);
    this.levels = new WordLevels(codec);
  }

  get bytes(): number {
    return this.codec.bytes;
  }

  get queued(): number {
    return this.levels.queued;
  }

  key(state: S, label: string | (() => string) | null): void {
    try {
      this.codec.encode(state, this.draft, 0);
    } catch (e) {
      if (!isNonCanonical(e)) throw e;
      this.search.hasher.fingerprint(state, label); // throws the SpecError naming the action
      throw e;
    }
    if (this.intrinsic && this.codec.fingerprintWords) this.codec.fingerprintWords(this.draft, 0, this.search.hasher.fp);
    else hashWords(this.draft, 0, this.W, this.search.hasher.fp);
  }

  keep(_state: S): void {
    this.levels.pushWords(this.draft, 0);
  }

  wordsOf(_state: S): Int32Array {
    return this.draft;
  }

  keepWords(words: Int32Array, at: number): S {
    this.levels.pushWords(words, at);
    return this.codec.decode(words, at);
  }

  levelWords(i: number): Int32Array {
    return this.levels.levelWords(i);
  }

  reorderQueued(order: Int32Array): void {
    this.levels.reorderQueued(order);
  }

  queuedWords(i: number): Int32Array {
    return this.levels.queuedWords(i);
  }

  saveLevel(into: CheckpointData, level: Int32Array): void {
    saveWordColumns(into, this.codec, { level, next: new Int32Array(0) });
  }

  save(into: CheckpointData, _from: number): void {
    saveWordQueue(into, this.codec, this.levels);
  }

  restore(from: CheckpointData): number {
    return restoreWordQueue(from, this.codec, this.levels);
  }

  advance(): number {
    return this.levels.advance();
  }

  take(i: number): S {
    return this.levels.decode(i);
  }

  structural(state: S, out: Uint32Array): void {
    stateFingerprintInto(this.search.system, state, out);
  }
}
