// Random simulation: walks from a random initial state, taking a random enabled
// action at each step. Reproducible with a seed. Proves nothing when it finds
// nothing, so its verdict is "violation" or "none-found", never "ok".
import { isSpecError, type TraceStep } from '../core/errors.js';
import { resolveLabel } from './reconstruct.js';
import { progressingActions } from './bfs.js';
import { FingerprintSet } from './fingerprint-set.js';
import { asSpecError, type Search } from './search.js';

export interface WalkOptions {
  readonly walks: number;
  readonly depth: number;
  readonly seed: number;
  /**
   * The swarm's numbering (`simulate --cluster`, src/cluster/swarm-*.ts): these are
   * walks first, first+1, …, each with a generator of its own seeded by
   * walkSeed(seed, its number), so a walk is the same whichever process runs it.
   * Without it, one generator seeded by `seed` runs through all the walks.
   */
  readonly first?: number;
}

/** mulberry32: a small, fast, seedable generator; the same seed gives the same walks. */
export function randomGenerator(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the swarm's walk number `walk` under the run's `seed` (murmur3's finaliser over both: nearby numbers, unrelated seeds). */
export function walkSeed(seed: number, walk: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(walk >>> 0, 0x85ebca77) ^ Math.floor(walk / 2 ** 32)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Walks on one Search. Walks keep no parent links (the walk itself is the trace): the
 * set only counts distinct states, and `onNew` hears each state's fingerprint the
 * first time this walker meets it (the swarm's coordinator unions them).
 */
export class Walker<S> {
  private readonly seen = new FingerprintSet();
  private readonly progressing: boolean[];

  constructor(
    private readonly search: Search<S>,
    private readonly onNew?: (a: number, b: number) => void,
  ) {
    const seen = this.seen;
    const links = {
      get size() {
        return seen.size;
      },
      get bytes() {
        return seen.bytes;
      },
      fingerprintA: () => NaN,
      fingerprintB: () => NaN,
      pathTo: () => [],
    };
    search.storeIn({ links, bytesElsewhere: () => 0 });
    this.progressing = progressingActions(search.system);
  }

  private visit(state: S, label: string | (() => string) | null): void {
    const { search } = this;
    search.hasher.fingerprint(state, label);
    const a = search.hasher.fp[0]! | 0;
    const b = search.hasher.fp[1]! | 0;
    if (this.seen.add(a, b)) {
      search.hasher.sealNew(state);
      this.onNew?.(a, b);
    }
  }

  /**
   * One walk of at most `depth` steps, its choices drawn from `random`. Returns its
   * trace when it ended the search: a violation (search.found; violation() appends a
   * violating transition's step) or an error of the spec (search.error, with the trace).
   */
  walk(random: () => number, depth: number): TraceStep[] | undefined {
    const { search } = this;
    const { system, options } = search;
    let trace: TraceStep[] = [];
    try {
      const inits = system.initialStates();
      let state = inits[Math.floor(random() * inits.length)] as S;
      trace = [{ action: null, state }];
      this.visit(state, null);
      search.counts.generated++;
      search.checker.checkState(state, -1);
      if (search.found) return trace;
      for (let d = 0; d < depth; d++) {
        if (!search.checker.withinConstraint(state)) break;
        const options_: { next: S; action: number; label: string | (() => string) }[] = [];
        system.successors(state, (next, action, label) => options_.push({ next, action, label }));
        if (options.deadlock && d > 0 && !options_.some((o) => this.progressing[o.action])) {
          search.checker.checkDeadlock(state, -1);
          if (search.found) return trace;
        }
        if (options_.length === 0) break;
        const pick = options_[Math.floor(random() * options_.length)]!;
        search.counts.depth = Math.max(search.counts.depth, d + 1);
        search.counts.generated++;
        search.counts.coverage[pick.action]!++;
        this.visit(pick.next, pick.label);
        search.checker.checkTransition(state, pick.label, pick.next, -1);
        if (search.found) return trace; // violation() appends the step
        const label = resolveLabel(pick.label);
        trace.push({ action: label, state: pick.next });
        state = pick.next;
        search.checker.checkState(state, -1);
        if (search.found) return trace;
      }
    } catch (e) {
      const err = asSpecError(e);
      search.error = err;
      if (isSpecError(err) && !err.trace) err.trace = trace;
      return trace;
    }
    return undefined;
  }
}

export function simulateWalks<S>(search: Search<S>, walk: WalkOptions): TraceStep[] | undefined {
  const walker = new Walker(search);
  const shared = walk.first === undefined ? randomGenerator(walk.seed) : undefined;
  for (let w = 0; w < walk.walks; w++) {
    const random = shared ?? randomGenerator(walkSeed(walk.seed, walk.first! + w));
    const trace = walker.walk(random, walk.depth);
    if (search.error) return undefined;
    if (trace) return trace;
    if (search.budget.exceeded()) return undefined;
  }
  return undefined;
}
