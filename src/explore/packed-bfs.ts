// Breadth-first search over packed states (specs written with packed()): the
// frontier is a flat Int32Array of words, a successor is written into one reused
// draft, hashed from its words and only copied out when it is new. Same order,
// counts and traces as bfs.ts, which the same spec also runs through its plain view.
import { isSpecError } from '../core/errors.js';
import { hashWords } from '../packed/hash.js';
import type { PackedSystem } from '../packed/spec.js';
import { PackedState } from '../packed/state.js';
import { DeterminismCheck } from './determinism.js';
import { asSpecError, type Search } from './search.js';
import { ActionLinks } from './action-links.js';
import { FingerprintSet } from './fingerprint-set.js';
import { Records } from './records.js';
import { SuccessorBatch } from './successor-batch.js';
import { NO_PARENT } from './visited.js';

export function packedBfs(search: Search<unknown>, ps: PackedSystem): void {
  const { options, fp } = search;
  const seen = new FingerprintSet();
  const links = new ActionLinks(ps);
  search.links = links;
  search.memoryElsewhere = () => seen.bytes;
  const W = ps.layout.words;
  search.exactFingerprints = ps.layout.bits <= 64;
  const determinism = packedDeterminism(search, ps);
  const n = ps.instances.length;
  const info = Int32Array.from(ps.instances, (i) => i.info);
  const coverage = search.coverage;
  const maxDepth = options.maxDepth ?? Infinity;
  let level = new Records(W);
  let next = new Records(W);
  const parent = new PackedState(level.data, false); // the state being expanded
  const fresh = new PackedState(next.data, false); // a new state, for its invariants
  const draft = new PackedState(new Int32Array(W), true);
  const dw = draft.words;
  let parentId = NO_PARENT;
  try {
    const init = ps.initial;
    for (let i = 0; i * W < init.length; i++) {
      hashWords(init, i * W, W, fp);
      search.generated++;
      if (!seen.add(fp[0]! | 0, fp[1]! | 0)) continue;
      const id = links.push(NO_PARENT, i);
      const at = next.copy(init, i * W);
      fresh.words = next.data;
      fresh.base = at * W;
      search.checkStateWith(ps, fresh, id);
      if (search.found) return;
    }
    let levelBase = 0; // the id of the level's first state: ids are dense in BFS order
    let depth = 0;
    let record: number[] | undefined;
    // The successors of one state are collected, then their table lines are
    // warmed together, then admitted in order.
    const batch = new SuccessorBatch(n, W);
    const collect = (j: number): boolean => {
      batch.add(dw, j);
      return true;
    };
    // Each successor: counted, kept and checked when new. False when a violation stops the search.
    const admitBatch = (): boolean => {
      const { a, b: lanesB, action, words, count } = batch;
      seen.warm(a, count);
      for (let b = 0; b < count; b++) {
        const j = action[b]!;
        search.generated++;
        coverage[info[j]!]!++;
        record?.push(info[j]!, a[b]! >>> 0, lanesB[b]! >>> 0);
        if (!seen.add(a[b]!, lanesB[b]!)) continue;
        const id = links.push(parentId, j);
        const at = next.copy(words, b * W);
        fresh.words = next.data;
        fresh.base = at * W;
        search.depth = depth + 1;
        search.checkStateWith(ps, fresh, id);
        if (search.found) return false;
      }
      return true;
    };
    while (next.count > 0) {
      [level, next] = [next, level];
      next.count = 0;
      parent.words = level.data;
      const levelCount = level.count;
      if (depth >= maxDepth) {
        if (anyUnvisited(search, ps, seen, level, draft)) search.stopped = 'maxDepth';
        return;
      }
      for (let i = 0; i < levelCount; i++) {
        parentId = levelBase + i;
        const pbase = i * W;
        parent.base = pbase;
        if (ps.constraint !== undefined && !search.withinConstraint(parent, ps.constraint)) continue;
        // A sampled expansion keeps a copy of its words, re-run at the level's end.
        if (determinism.tick()) determinism.start(level.data.slice(pbase, pbase + W), parentId);
        record = determinism.current;
        batch.count = 0;
        let emitted: number;
        try {
          emitted = ps.expand(level.data, pbase, draft, collect);
        } catch (e) {
          // What came before the failing action is admitted first, as if unbatched.
          if (!admitBatch()) return;
          throw e;
        }
        if (!admitBatch()) return;
        if (emitted === 0 && options.deadlock && depth > 0) {
          search.checkDeadlock(parent, parentId, ps.done);
          if (search.found) return;
        }
        search.queueSize = levelCount - i - 1 + next.count;
        if (search.outOfBudget()) return;
      }
      const bad = determinism.verify();
      if (bad) {
        parentId = bad.id;
        throw bad.error;
      }
      levelBase += levelCount;
      depth++;
    }
    search.queueSize = 0;
  } catch (e) {
    const err = asSpecError(e);
    search.error = err;
    if (isSpecError(err)) search.attachTrace(err, parentId);
  }
}

/** Whether a state of the level has a successor not yet visited (so the depth bound cut something off). */
function anyUnvisited(search: Search<unknown>, ps: PackedSystem, seen: FingerprintSet, level: Records, draft: PackedState): boolean {
  const W = ps.layout.words;
  const view = new PackedState(level.data, false);
  let found = false;
  for (let i = 0; i < level.count && !found; i++) {
    view.base = i * W;
    if (ps.constraint !== undefined && !search.withinConstraint(view, ps.constraint)) continue;
    ps.expand(level.data, i * W, draft, () => {
      hashWords(draft.words, 0, W, search.fp);
      found = !seen.has(search.fp[0]! | 0, search.fp[1]! | 0);
      return !found;
    });
  }
  return found;
}

/** The nondeterminism check on words: a sampled state keeps a copy of its words and is re-run on them. */
export function packedDeterminism(search: Search<unknown>, ps: PackedSystem): DeterminismCheck<Int32Array> {
  const W = ps.layout.words;
  const draft = new PackedState(new Int32Array(W), true);
  const fp = new Uint32Array(2);
  return new DeterminismCheck<Int32Array>(search.system as never, search.options.recheckRate, (words, visit) =>
    ps.expand(words, 0, draft, (j) => {
      hashWords(draft.words, 0, W, fp);
      visit(ps.instances[j]!.info, fp[0]!, fp[1]!, ps.instances[j]!.label);
      return true;
    }),
  );
}
