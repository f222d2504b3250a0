// Breadth-first search over encoded states (systems with a codec: protocol worlds).
// The frontier is a flat Int32Array of words, each word an interned part of the
// state; a state is decoded only to be expanded, and a successor is encoded by
// identity against its parent (only the parts it changed are looked up), hashed from
// its words and kept as words when new. The loop is bfs.ts's, so order, counts,
// checks and traces are the same: only the representation differs.
import type { StateCodec } from '../values/state-codec.js';
import { hashWords } from '../packed/hash.js';
import { stateFingerprintInto } from './reconstruct.js';
import { isNonCanonical } from '../values/fingerprint.js';
import { bfs, type Levels } from './bfs.js';
import { FingerprintSet } from './fingerprint-set.js';
import { OrdinalLinks } from './ordinal-links.js';
import type { Search } from './search.js';
import { NO_PARENT, VisitedSet } from './visited.js';
import { WordLevels } from './word-levels.js';

export function codedBfs<S>(search: Search<S>, codec: StateCodec<S>): void {
  bfs(search, new CodedLevels(search, codec));
}

/** Levels as runs of words; visited states as hashes of their words, with ordinal parent links. */
class CodedLevels<S> implements Levels<S> {
  private readonly W: number;
  private readonly seen = new FingerprintSet();
  private readonly links: OrdinalLinks<S>;
  private readonly draft: Int32Array;
  /** The structural fingerprint of a sampled expansion's successor (the determinism check compares those). */
  private readonly structural = new Uint32Array(2);
  private readonly levels: WordLevels<S>;
  id = NO_PARENT;
  /** Successors emitted so far by the state being expanded (their ordinals). */
  private ordinal = 0;
  /**
   * With liveness properties, the visited set also maps each hash to its state id,
   * so an edge to a known state names its target (the FingerprintSet keeps no ids).
   */
  private readonly ids: VisitedSet | undefined;
  /** The id `visit` found (new or known) when `ids` is kept. */
  private lastId = NO_PARENT;

  constructor(
    private readonly search: Search<S>,
    private readonly codec: StateCodec<S>,
  ) {
    this.W = codec.words;
    this.draft = new Int32Array(this.W);
    this.levels = new WordLevels(codec);
    this.links = new OrdinalLinks(search.system);
    search.links = this.links;
    this.ids = search.graph !== undefined ? new VisitedSet() : undefined;
    search.memoryElsewhere = () => this.seen.bytes + codec.bytes + (this.ids?.bytes ?? 0);
  }

  get queued(): number {
    return this.levels.queued;
  }

  start(): void {
    const { search } = this;
    const inits = search.system.initialStates();
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!;
      this.encode(s, null);
      search.generated++;
      if (!this.visit()) continue;
      search.initialCount++;
      search.checkState(s, this.links.push(NO_PARENT, i));
      if (search.found) return;
    }
  }

  advance(): number {
    return this.levels.advance();
  }

  take(i: number): S {
    this.id = this.levels.id(i);
    this.ordinal = 0;
    return this.levels.decode(i);
  }

  admit(parent: S, parentId: number, succ: S, action: number, label: string | (() => string), record: number[] | undefined, depth: number): void {
    const { search } = this;
    const k = this.ordinal++;
    search.generated++;
    search.coverage[action]!++;
    this.encode(succ, label);
    if (record !== undefined) {
      stateFingerprintInto(search.system, succ, this.structural);
      record.push(action, this.structural[0]!, this.structural[1]!);
    }
    const isNew = this.visit();
    const id = isNew ? this.links.push(parentId, k) : -1;
    search.graph?.edge(parentId, isNew ? id : this.lastId, action, label);
    search.checkTransition(parent, label, succ, parentId);
    if (isNew && search.found === undefined) {
      search.depth = depth + 1;
      search.checkState(succ, id);
    }
  }

  anyUnvisited(count: number): boolean {
    const { search } = this;
    for (let i = 0; i < count; i++) {
      const state = this.levels.decode(i);
      if (!search.withinConstraint(state)) continue;
      let found = false;
      search.system.successors(state, (succ, _action, label) => {
        if (found) return;
        this.encode(succ, label);
        found = this.ids !== undefined ? !this.ids.has(search.fp[0]!, search.fp[1]!) : !this.seen.has(search.fp[0]! | 0, search.fp[1]! | 0);
      });
      if (found) return true;
    }
    return false;
  }

  /** Encodes into `draft` and hashes it into `search.fp`; a non-state value becomes the generic path's worded error. */
  private encode(state: S, label: string | (() => string) | null): void {
    try {
      this.codec.encode(state, this.draft, 0);
    } catch (e) {
      if (!isNonCanonical(e)) throw e;
      this.search.fingerprint(state, label); // throws the SpecError naming the action
      throw e;
    }
    hashWords(this.draft, 0, this.W, this.search.fp);
  }

  /** Adds the draft's hash to the visited set; a new state's words are queued. Whether it was new. */
  private visit(): boolean {
    const fp = this.search.fp;
    if (this.ids !== undefined) {
      this.lastId = this.ids.add(fp[0]!, fp[1]!, NO_PARENT); // VisitedSet takes the lanes unsigned, as Search does
      if (!this.ids.isNew) return false;
    } else if (!this.seen.add(fp[0]! | 0, fp[1]! | 0)) return false;
    this.levels.pushWords(this.draft);
    return true;
  }
}
