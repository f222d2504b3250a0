// Breadth-first search over encoded states (systems with a codec: protocol worlds).
// The frontier is a flat Int32Array of words, each word an interned part of the
// state; a state is decoded only to be expanded, and a successor is encoded by
// identity against its parent (only the parts it changed are looked up), hashed from
// its words and kept as words when new. Same order, counts, checks and traces as
// bfs.ts: only the representation differs.
import { isSpecError, type TraceStep } from '../core/errors.js';
import type { Emit, StateCodec } from '../core/types.js';
import { hashWords } from '../packed/hash.js';
import { resolveLabel, stateFingerprintInto } from '../trace/reconstruct.js';
import { NonCanonicalError } from '../values/fingerprint.js';
import { progressingActions } from './bfs.js';
import { DeterminismCheck } from './determinism.js';
import { FingerprintSet } from './fingerprint-set.js';
import { OrdinalLinks } from './ordinal-links.js';
import { Records } from './records.js';
import { asSpecError, type Search } from './search.js';
import { NO_PARENT } from './visited.js';

export function codedBfs<S>(search: Search<S>, codec: StateCodec<S>): void {
  const { system, options, fp, coverage } = search;
  const W = codec.words;
  const seen = new FingerprintSet();
  const links = new OrdinalLinks(system);
  search.links = links;
  search.memoryElsewhere = () => seen.bytes + codec.bytes;
  const determinism = new DeterminismCheck(system, options.recheckRate);
  const draft = new Int32Array(W);
  const structural = new Uint32Array(2);
  let level = new Records(W);
  let next = new Records(W);
  let parentId = NO_PARENT;
  // The successor being examined when an error was thrown, appended to its trace.
  let failedStep: TraceStep | undefined;

  /** Encodes into `draft` and hashes it into `fp`; a non-state value becomes the generic path's worded error. */
  const encode = (state: S, label: string | (() => string) | null): void => {
    try {
      codec.encode(state, draft, 0);
    } catch (e) {
      if (!(e instanceof NonCanonicalError)) throw e;
      search.fingerprint(state, label); // throws the SpecError naming the action
      throw e;
    }
    hashWords(draft, 0, W, fp);
  };

  try {
    const inits = system.initialStates();
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!;
      encode(s, null);
      search.generated++;
      if (!seen.add(fp[0]! | 0, fp[1]! | 0)) continue;
      const id = links.push(NO_PARENT, i);
      next.copy(draft, 0);
      search.checkState(s, id);
      if (search.found) return;
    }

    let depth = 0;
    let levelBase = 0; // the id of the level's first state: ids are dense in BFS order
    let parent: S;
    let ordinal = 0;
    let emitted = 0;
    let failure: unknown;
    const maxDepth = options.maxDepth ?? Infinity;
    const progressing = progressingActions(system);

    // Errors thrown here are kept, not thrown: user code may call emit inside its
    // own try/catch, and must not swallow or re-wrap faultline's findings.
    const emit: Emit<S> = (succ, action, label) => {
      if (failure !== undefined || search.found !== undefined) return;
      const k = ordinal++;
      if (progressing[action]) emitted++;
      try {
        search.generated++;
        coverage[action]!++;
        encode(succ, label);
        const record = determinism.current;
        if (record !== undefined) {
          // The re-run compares structural fingerprints (DeterminismCheck's own).
          stateFingerprintInto(system, succ, structural);
          record.push(action, structural[0]!, structural[1]!);
        }
        const isNew = seen.add(fp[0]! | 0, fp[1]! | 0);
        const id = isNew ? links.push(parentId, k) : -1;
        if (isNew) next.copy(draft, 0);
        search.checkTransition(parent, label, succ, parentId);
        if (isNew && search.found === undefined) {
          search.depth = depth + 1;
          search.checkState(succ, id);
        }
      } catch (e) {
        failure = e;
        failedStep = { action: resolveLabel(label), state: succ };
      }
    };

    while (next.count > 0) {
      [level, next] = [next, level];
      next.count = 0;
      const count = level.count;
      if (depth >= maxDepth) {
        if (anyUnvisited(search, codec, seen, level, draft)) search.stopped = 'maxDepth';
        return;
      }
      for (let i = 0; i < count; i++) {
        parentId = levelBase + i;
        parent = codec.decode(level.data, i * W);
        if (!search.withinConstraint(parent)) continue;
        emitted = 0;
        ordinal = 0;
        determinism.begin(parent, parentId);
        system.successors(parent, emit);
        if (failure !== undefined) throw failure;
        if (search.found) return;
        if (emitted === 0 && options.deadlock && depth > 0) {
          search.checkDeadlock(parent, parentId);
          if (search.found) return;
        }
        search.queueSize = count - i - 1 + next.count;
        if (search.outOfBudget()) return;
      }
      const bad = determinism.verify();
      if (bad) {
        parentId = bad.id;
        throw bad.error;
      }
      levelBase += count;
      depth++;
    }
    search.queueSize = 0;
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err)) search.attachTrace(err, parentId, failedStep);
  }
}

/** Whether a state of the level has a successor not yet visited (so the depth bound cut something off). */
function anyUnvisited<S>(search: Search<S>, codec: StateCodec<S>, seen: FingerprintSet, level: Records, draft: Int32Array): boolean {
  const W = codec.words;
  for (let i = 0; i < level.count; i++) {
    const state = codec.decode(level.data, i * W);
    if (!search.withinConstraint(state)) continue;
    let found = false;
    search.system.successors(state, (succ) => {
      if (found) return;
      codec.encode(succ, draft, 0);
      hashWords(draft, 0, W, search.fp);
      found = !seen.has(search.fp[0]! | 0, search.fp[1]! | 0);
    });
    if (found) return true;
  }
  return false;
}
