// One worker's share of a level of the parallel packed search (coordinator.ts).
// Each search worker thread runs one (search-worker.ts); the coordinator runs one
// itself for the small levels, before the workers are ready or when a level is too
// small to be worth sharing out.
// - expand: takes chunks of the frontier in turn, as it finishes the last one (so a
//   thread on a slower core takes fewer), generates their successors and inserts
//   them into the shared fingerprint table (shared-table.ts), keeping a claim for
//   each state it found first or earlier than anyone so far, and listing the slots
//   whose stamp it lowered;
// - filter: once every worker has expanded, drops the claims whose slot an earlier
//   chunk lowered (only those can have been: their moments are all earlier), and
//   checks the invariants of the rest, which become its chunks' new states;
// - rehash / renumber: copies a slice of the table into a bigger one, or renumbers it.
import { isSpecError, type SpecError } from '../../core/errors.js';
import type { TransitionSystem } from '../system.js';
import { hashWords } from '../../packed/hash.js';
import type { PackedSystem } from '../../packed/spec.js';
import { PackedState } from '../../packed/state.js';
import type { DeterminismCheck } from '../determinism.js';
import { packedDeterminism } from '../packed-space.js';
import { Records } from '../records.js';
import { Search } from '../search.js';
import { SuccessorBatch } from '../successor-batch.js';
import { CONTROL_FILL, CONTROL_LIMIT, CONTROL_NEXT_CHUNK, CONTROL_OVERFLOW, CONTROL_STOP, type Event, type FromWorker, type ToWorker } from './messages.js';
import { SharedTable } from './shared-table.js';
import { Frontier } from './frontier.js';
import { SlotChunks } from './slot-chunks.js';

/** New table entries are added to CONTROL_FILL in batches of this many. */
export const FILL_BATCH = 1024;

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

export interface LevelSearchOptions {
  readonly control: SharedArrayBuffer;
  readonly recheckRate?: number;
  readonly deadlock: boolean;
  /** Called every 256th state: the coordinator polls its bounds when it expands a level itself. */
  readonly poll?: () => void;
}

export class LevelSearch {
  private readonly ps: PackedSystem;
  private readonly W: number;
  private readonly n: number;
  private readonly control: Int32Array;
  private readonly deadlock: boolean;
  private readonly poll: () => void;
  private table: SharedTable | undefined;
  /**
   * Two runs in shared memory, used in turn: the level's claims are written to one
   * ([stamp, slot, ...words]) while the other, the last level's new states
   * ([parent, action, ...words]), is still part of the frontier being read.
   * The filter turns the claims into new states in place.
   */
  private readonly runs: [Records, Records];
  private current = 0;
  /** The slots whose stamp this worker lowered in the current level, and the chunk it did it in: [slot, chunk]. */
  private readonly lowered = new Records(2, true);
  /** The chunks this worker took in the current level, in order: [chunk, first claim, claims] each. */
  private readonly taken: number[] = [];
  private levelBase = 0;
  private stampBase = 0;
  /** For its property checks (worded errors, `sometimes` bookkeeping), not its visited set. */
  private readonly search: Search<unknown>;
  private readonly determinism: DeterminismCheck<Int32Array>;
  /** The coverage row of each action instance. */
  private readonly info: Int32Array;

  constructor(system: TransitionSystem<unknown>, options: LevelSearchOptions) {
    this.ps = system.packed!;
    this.W = this.ps.layout.words;
    this.n = this.ps.instances.length;
    this.control = new Int32Array(options.control);
    this.deadlock = options.deadlock;
    this.poll = options.poll ?? (() => {});
    this.info = Int32Array.from(this.ps.instances, (i) => i.info);
    this.runs = [new Records(2 + this.W, true), new Records(2 + this.W, true)];
    this.search = new Search(system, { recheckRate: options.recheckRate });
    this.determinism = packedDeterminism(this.search, this.ps);
  }

  /** A violation the local Search recorded, as an event (and cleared); in a filter, for the `index`th new state of `chunk`. */
  private foundEvent(time: number, chunk: number | undefined, index?: number): Event | undefined {
    const f = this.search.found;
    if (f === undefined) return undefined;
    this.search.found = undefined;
    const stateId = chunk === undefined ? f.stateId : index!;
    return { time, kind: 'violation', violationKind: f.kind === 'deadlock' ? 'deadlock' : 'invariant', property: f.property, message: f.message, stateId, chunk };
  }

  private tableFor(buffer: SharedArrayBuffer): SharedTable {
    if (this.table === undefined || this.table.buffer !== buffer) this.table = new SharedTable(buffer);
    return this.table;
  }

  expand(m: Extract<ToWorker, { type: 'expand' }>): Reply<'expanded'> {
    // Message fields are read once: objects that came through postMessage are slow to read in a loop.
    const { count, chunk: chunkSize, depth, probe } = m;
    const levelBase = (this.levelBase = m.levelBase);
    const stampBase = (this.stampBase = m.stampBase);
    const t = this.tableFor(m.table);
    const { W, n, ps, search, determinism, info, lowered, control, deadlock, taken } = this;
    const stride = 2 + W;
    const claims = this.runs[this.current];
    claims.clear();
    lowered.clear();
    taken.length = 0;
    const frontier = new Frontier(m.segments, stride);
    const coverage = new Float64Array(search.coverage.length);
    const parent = new PackedState(new Int32Array(0), false);
    const draft = new PackedState(new Int32Array(W), true);
    const dw = draft.words;
    // The successors of one state: hashed, their table lines warmed together, then inserted in order.
    const batch = new SuccessorBatch(n, W);
    const fp = new Uint32Array(2);
    let generated = 0;
    let interrupted = false;
    let overflow = false;
    let anyNew = false;
    let event: Event | undefined;
    let parentId = -1;
    let j = 0;
    let unflushed = 0;
    let chunk = 0;
    let record: number[] | undefined;
    const collect = (jj: number): boolean => {
      if (probe) {
        hashWords(dw, 0, W, fp);
        anyNew = !t.has(fp[0]! | 0, fp[1]! | 0);
        return !anyNew;
      }
      batch.add(dw, jj);
      return true;
    };
    // Inserts the batch: every successor generated before a failure is counted, as one thread would.
    const insertBatch = (moment: number): void => {
      const { a: lanesA, b: lanesB, action, words, count } = batch;
      t.warm(lanesA, count);
      for (let b = 0; b < count; b++) {
        const jj = action[b]!;
        const a = lanesA[b]!;
        const bb = lanesB[b]!;
        generated++;
        coverage[info[jj]!]!++;
        record?.push(info[jj]!, a >>> 0, bb >>> 0);
        const stamp = moment + jj;
        const slot = t.insert(a, bb, stamp);
        if (slot < 0) continue;
        if (t.fresh) unflushed++;
        else {
          const l = lowered.append(); // before reading .data: appending may move it
          lowered.data[l] = slot;
          lowered.data[l + 1] = chunk;
        }
        const at = claims.append();
        const d = claims.data;
        d[at] = stamp;
        d[at + 1] = slot;
        for (let k = 0; k < W; k++) d[at + 2 + k] = words[b * W + k]!;
      }
      batch.count = 0;
    };
    search.constraintInForce = false;
    try {
      // Chunks are taken in increasing order, so this worker's claims are in the order one thread makes them.
      chunks: for (;;) {
        chunk = Atomics.add(control, CONTROL_NEXT_CHUNK, 1);
        const from = chunk * chunkSize;
        if (from >= count) break;
        const to = Math.min(from + chunkSize, count);
        const start = claims.count;
        try {
          for (let index = from; index < to; index++) {
            if ((index & 255) === 0 && (this.poll(), Atomics.load(control, CONTROL_STOP) !== 0)) {
              interrupted = true;
              break chunks;
            }
            if (unflushed >= FILL_BATCH) {
              const fill = Atomics.add(control, CONTROL_FILL, unflushed) + unflushed;
              unflushed = 0;
              if (fill > Atomics.load(control, CONTROL_LIMIT)) Atomics.store(control, CONTROL_OVERFLOW, 1);
            }
            if (Atomics.load(control, CONTROL_OVERFLOW) !== 0) {
              overflow = true;
              break chunks;
            }
            const pbase = frontier.at(index) + 2;
            const run = frontier.run;
            parent.words = run;
            parentId = levelBase + index;
            parent.base = pbase;
            j = 0;
            if (ps.constraint !== undefined && !search.withinConstraint(parent, ps.constraint)) continue;
            if (!probe && determinism.tick()) determinism.start(run.slice(pbase, pbase + W), parentId);
            record = probe ? undefined : determinism.current;
            let emitted: number;
            try {
              emitted = ps.expand(run, pbase, draft, collect);
            } catch (e) {
              j = batch.count === 0 ? 0 : batch.action[batch.count - 1]! + 1;
              insertBatch(stampBase + index * n);
              throw e;
            }
            if (probe) {
              if (anyNew) break chunks;
              continue;
            }
            insertBatch(stampBase + index * n);
            if (emitted === 0 && deadlock && depth > 0) {
              search.checkDeadlock(parent, parentId, ps.done);
              event = this.foundEvent((parentId + 1) * n - 0.5, undefined);
              if (event) break chunks;
            }
          }
        } finally {
          // A chunk cut short keeps what it claimed: the filter checks it (a violation may come before the event).
          taken.push(chunk, start, claims.count - start);
        }
      }
      const bad = probe || overflow ? undefined : determinism.verify();
      if (bad && (event === undefined || bad.id * n < event.time)) event = errorEvent(bad.error, bad.id * n, bad.id, undefined);
    } catch (e) {
      // A user error in this worker's chunk, stamped where a single thread would meet it.
      event = errorEvent(e, parentId * n + j, parentId, undefined);
    }
    Atomics.add(control, CONTROL_FILL, unflushed);
    return {
      type: 'expanded',
      generated,
      coverage,
      constraintInForce: search.constraintInForce,
      interrupted,
      overflow,
      anyNew,
      event,
      lowered: { buffer: lowered.buffer as SharedArrayBuffer, start: 0, count: lowered.count },
    };
  }

  filter(m: Extract<ToWorker, { type: 'filter' }>): Reply<'filtered'> {
    const { W, n, ps, search, levelBase, stampBase, taken } = this;
    // A claim made in chunk c was taken over if a chunk before c lowered its slot (a later one cannot have).
    const lowered = new SlotChunks(m.lowered.reduce((sum, l) => sum + l.count, 0));
    for (const l of m.lowered) {
      const pairs = new Int32Array(l.buffer);
      for (let i = 0; i < l.count; i++) lowered.add(pairs[2 * i]!, pairs[2 * i + 1]!);
    }
    const run = this.runs[this.current];
    this.current ^= 1;
    const d = run.data;
    const stride = 2 + W;
    const view = new PackedState(d, false);
    const chunks = Int32Array.from(taken);
    let event: Event | undefined;
    let kept = 0;
    let outside = 0;
    for (let t = 0; t < taken.length; t += 3) {
      const chunk = taken[t]!;
      const first = taken[t + 1]!;
      const last = first + taken[t + 2]!;
      const start = kept;
      for (let c = first, at = first * stride; c < last; c++, at += stride) {
        if (lowered.before(d[at + 1]!, chunk)) continue; // an earlier chunk met it earlier
        const moment = d[at]! - stampBase;
        const parent = levelBase + Math.floor(moment / n);
        const action = moment % n;
        const to = kept * stride;
        if (to !== at) for (let k = 2; k < stride; k++) d[to + k] = d[at + k]!;
        d[to] = parent;
        d[to + 1] = action;
        kept++;
        if (event !== undefined) continue; // the rest are kept, not checked: the search ends at the event
        view.base = to + 2;
        // Claims are in the order this worker generated them: the first violation is its earliest.
        const time = parent * n + action;
        try {
          search.checkStateWith(ps, view, kept - 1);
          event = this.foundEvent(time, chunk, kept - 1 - start);
          if (ps.constraint !== undefined && !search.withinConstraint(view, ps.constraint)) outside++;
        } catch (e) {
          event = errorEvent(e, time, kept - 1 - start, chunk);
        }
      }
      chunks[t + 1] = start;
      chunks[t + 2] = kept - start;
    }
    run.count = kept;
    return { type: 'filtered', records: run.buffer as SharedArrayBuffer, chunks, pending: search.unsatisfiedSometimes(), outside, event };
  }

  rehash(m: Extract<ToWorker, { type: 'rehash' }>): Reply<'rehashed'> {
    if (m.from === m.to) this.tableFor(m.to).renumber(m.start, m.end);
    else this.tableFor(m.to).rehashFrom(new SharedTable(m.from), m.start, m.end, m.before);
    return { type: 'rehashed' };
  }
}

/** An error as an event; `chunk` as in Event (undefined for a global state id). */
function errorEvent(e: unknown, time: number, stateId: number, chunk: number | undefined): Event {
  if (!isSpecError(e)) throw e;
  const err = e as SpecError;
  return { time, kind: 'error', stateId, chunk, message: err.message, error: { handler: err.handler, role: err.role, action: err.action } };
}
