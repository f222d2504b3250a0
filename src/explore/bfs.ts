// Breadth-first search, level by level: the first violation found has a shortest
// trace, and successors are visited in the spec's fixed order, so counts and
// traces are the same on every run.
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from './reconstruct.js';
import type { ActionInfo, Emit } from '../core/types.js';
import type { StateCodec } from '../values/state-codec.js';
import { DeterminismCheck } from './determinism.js';
import { asSpecError, type Search } from './search.js';
import { RecordCodec } from './record-codec.js';
import { NO_PARENT } from './visited.js';
import { WordLevels } from './word-levels.js';

/** Adds the initial states to the visited set; returns them with their ids. */
export function addInitialStates<S>(search: Search<S>): { states: S[]; ids: number[] } {
  const { system, visited, fp } = search;
  const states: S[] = [];
  const ids: number[] = [];
  const inits = system.initialStates();
  for (const s of inits) {
    search.fingerprint(s, null);
    search.generated++;
    const id = visited.add(fp[0]!, fp[1]!, NO_PARENT);
    if (!visited.isNew) continue;
    search.initialCount++;
    search.sealNew(s);
    states.push(s);
    ids.push(id);
    search.checkState(s, id);
    if (search.found) break;
  }
  return { states, ids };
}

/** Whether expanding `state` would find a new state (so a depth bound cut something off). */
export function hasUnvisitedSuccessor<S>(search: Search<S>, state: S): boolean {
  let found = false;
  search.system.successors(state, (succ, _action, label) => {
    if (found) return;
    search.fingerprint(succ, label);
    found = !search.visited.has(search.fp[0]!, search.fp[1]!);
  });
  return found;
}

/**
 * Which actions count against a deadlock: a state where only faults or the passing
 * of time are possible is stuck (the design's protocol deadlock).
 */
export function progressingActions(system: { actions: readonly ActionInfo[] }): boolean[] {
  return system.actions.map((a) => !a.fault && !a.idle);
}

/**
 * How a BFS keeps its levels and admits successors: states as objects (ObjectLevels,
 * below) or as words (coded-bfs.ts). The loop in bfs() is the same for both.
 */
export interface Levels<S> {
  /** Admits the initial states as the first level (visited, checked, queued); stops at a violation. */
  start(): void;
  /** Makes the states queued so far the level to expand; returns how many there are. */
  advance(): number;
  /** The level's i-th state, and its id in `id`. */
  take(i: number): S;
  readonly id: number;
  /** States queued for the next level. */
  readonly queued: number;
  /** One generated successor: counted, fingerprinted, visited, checked, queued when new. */
  admit(parent: S, parentId: number, succ: S, action: number, label: string | (() => string), record: number[] | undefined, depth: number): void;
  /** Whether some state of the level has a successor not yet visited (a depth bound cut it off). */
  anyUnvisited(count: number): boolean;
}

/**
 * Levels as state objects, visited by their fingerprints in the search's own set.
 * Plain-record states wait in the queue as words of interned fields (RecordCodec)
 * rather than as object graphs: a state is encoded once, when it is found new, and
 * decoded to be expanded. Other states wait as objects.
 */
class ObjectLevels<S> implements Levels<S> {
  private level: S[] = [];
  private next: S[] = [];
  /** The id of the level's first state (ids are dense in BFS order). */
  private levelBase = 0;
  /** Where the states wait instead, when they are plain records. */
  private words: WordLevels<S> | undefined;
  id = NO_PARENT;

  constructor(private readonly search: Search<S>) {}

  get queued(): number {
    return this.words?.queued ?? this.next.length;
  }

  start(): void {
    const init = addInitialStates(this.search);
    const codec = init.states.length > 0 && this.search.options.compactFrontier !== false ? RecordCodec.derive(init.states[0]) : undefined;
    if (codec !== undefined) {
      this.words = new WordLevels(codec as StateCodec<S>);
      this.search.memoryElsewhere = () => codec.bytes;
    }
    for (const s of init.states) this.queue(s);
  }

  advance(): number {
    if (this.words !== undefined) return this.words.advance();
    this.levelBase += this.level.length;
    this.level = this.next;
    this.next = [];
    return this.level.length;
  }

  take(i: number): S {
    if (this.words !== undefined) {
      this.id = this.words.id(i);
      return this.words.decode(i);
    }
    this.id = this.levelBase + i;
    const s = this.level[i]!;
    (this.level as (S | undefined)[])[i] = undefined; // let expanded states be collected
    return s;
  }

  admit(parent: S, parentId: number, succ: S, action: number, label: string | (() => string), record: number[] | undefined, depth: number): void {
    const search = this.search;
    const id = search.admit(parent, parentId, succ, action, label, record);
    if (id >= 0 && search.admittedNew) {
      this.queue(succ);
      search.depth = depth + 1;
      search.checkState(succ, id);
    }
  }

  anyUnvisited(count: number): boolean {
    const search = this.search;
    for (let i = 0; i < count; i++) {
      const s = this.words !== undefined ? this.words.decode(i) : this.level[i]!;
      if (search.withinConstraint(s) && hasUnvisitedSuccessor(search, s)) return true;
    }
    return false;
  }

  private queue(s: S): void {
    if (this.words !== undefined) this.words.push(s);
    else this.next.push(s);
  }
}

export function bfs<S>(search: Search<S>, levels: Levels<S> = new ObjectLevels(search)): void {
  const { system, options } = search;
  const determinism = new DeterminismCheck(system, options.recheckRate);
  let stateId = NO_PARENT;
  // The successor being examined when an error was thrown, appended to its trace.
  let failedStep: TraceStep | undefined;
  try {
    levels.start();
    if (search.found) return;
    let depth = 0;
    let parent: S;
    let emitted = 0;
    let failure: unknown;
    const maxDepth = options.maxDepth ?? Infinity;
    const progressing = progressingActions(system);

    // Errors thrown here are kept, not thrown: user code may call emit inside its
    // own try/catch, and must not swallow or re-wrap faultline's findings.
    const emit: Emit<S> = (succ, action, label) => {
      if (failure !== undefined || search.found !== undefined) return;
      if (progressing[action]) emitted++;
      try {
        levels.admit(parent, stateId, succ, action, label, determinism.current, depth);
      } catch (e) {
        failure = e;
        failedStep = { action: resolveLabel(label), state: succ };
      }
    };

    for (let count = levels.advance(); count > 0; count = levels.advance()) {
      if (depth >= maxDepth) {
        if (levels.anyUnvisited(count)) search.stopped = 'maxDepth';
        return;
      }
      for (let i = 0; i < count; i++) {
        parent = levels.take(i);
        stateId = levels.id;
        const expand = search.withinConstraint(parent);
        search.beginExpansion(parent, stateId, expand);
        if (!expand) continue;
        emitted = 0;
        determinism.begin(parent, stateId);
        system.successors(parent, emit);
        search.endExpansion(parent, stateId);
        if (failure !== undefined) throw failure;
        if (search.found) return;
        if (emitted === 0 && options.deadlock && depth > 0) {
          search.checkDeadlock(parent, stateId);
          if (search.found) return;
        }
        search.queueSize = count - i - 1 + levels.queued;
        if (search.outOfBudget()) return;
      }
      const bad = determinism.verify();
      if (bad) {
        stateId = bad.id;
        throw bad.error;
      }
      depth++;
    }
    search.queueSize = 0;
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err)) search.attachTrace(err, stateId, failedStep);
  }
}
