// A search worker: loads the packed spec itself, then, level by level:
// - expand: generates the successors of its slice of the frontier and inserts them
//   into the shared fingerprint table (shared-table.ts), keeping a claim for each
//   state it found first or earlier than anyone so far, and listing the slots whose
//   stamp it lowered;
// - filter: once every worker has expanded, drops the claims that a worker with an
//   earlier slice lowered (only those can have been: their moments are all earlier),
//   and checks the invariants of the rest, which become its run of new states;
// - rehash / renumber: copies a slice of the table into a bigger one, or renumbers it.
import { parentPort, workerData } from 'node:worker_threads';
import { isSpecError, type SpecError } from '../../core/errors.js';
import { loadSpec } from '../../cli/load.js';
import type { TransitionSystem } from '../../core/types.js';
import { hashWords } from '../../packed/hash.js';
import type { PackedSystem } from '../../packed/spec.js';
import { PackedState } from '../../packed/state.js';
import type { DeterminismCheck } from '../determinism.js';
import { packedDeterminism } from '../packed-bfs.js';
import { Records } from '../records.js';
import { Search } from '../search.js';
import { CONTROL_FILL, CONTROL_LIMIT, CONTROL_OVERFLOW, CONTROL_STOP, type Event, type FromWorker, type SearchWorkerData, type ToWorker } from './messages.js';
import { SharedTable } from './shared-table.js';
import { SlotSet } from './slot-set.js';

const port = parentPort!;
const data = workerData as SearchWorkerData;
const deadlock = data.deadlock;
const control = new Int32Array(data.control);
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
/** New table entries are added to CONTROL_FILL in batches of this many. */
const FILL_BATCH = 1024;

let ps: PackedSystem;
let W = 1;
let n = 0;
let table: SharedTable | undefined;
/**
 * Two runs in shared memory, used in turn: the level's claims are written to one
 * ([stamp, slot, fpA, fpB, ...words]) while the other, the last level's new states
 * ([parent, action, fpA, fpB, ...words]), is still part of the frontier being read.
 * The filter turns the claims into new states in place.
 */
let runs: [Records, Records];
let current = 0;
/** The slots whose stamp this worker lowered in the current level. */
let lowered: Records;
let levelBase = 0;
let stampBase = 0;
/** For its property checks (worded errors, `sometimes` bookkeeping), not its visited set. */
let search: Search<unknown>;
let determinism: DeterminismCheck<Int32Array>;
/** The coverage row of each action instance. */
let info: Int32Array;

function errorEvent(e: unknown, time: number, stateId: number, local: boolean): Event {
  if (!isSpecError(e)) throw e;
  const err = e as SpecError;
  return { time, kind: 'error', stateId, local, message: err.message, error: { handler: err.handler, role: err.role, action: err.action } };
}

/** A violation the local Search recorded, as an event (and cleared). */
function foundEvent(time: number, local: boolean): Event | undefined {
  const f = search.found;
  if (f === undefined) return undefined;
  search.found = undefined;
  return { time, kind: 'violation', violationKind: f.kind === 'deadlock' ? 'deadlock' : 'invariant', property: f.property, message: f.message, stateId: f.stateId, local };
}

function tableFor(buffer: SharedArrayBuffer): SharedTable {
  if (table === undefined || table.buffer !== buffer) table = new SharedTable(buffer);
  return table;
}

function expand(m: Extract<ToWorker, { type: 'expand' }>): void {
  // Message fields are read once: objects that came through postMessage are slow to read in a loop.
  const { from, to, depth, probe } = m;
  levelBase = m.levelBase;
  stampBase = m.stampBase;
  const t = tableFor(m.table);
  const stride = 4 + W;
  const claims = runs[current];
  claims.clear();
  lowered.clear();
  const coverage = new Float64Array(search.coverage.length);
  const parent = new PackedState(new Int32Array(0), false);
  const draft = new PackedState(new Int32Array(W), true);
  const dw = draft.words;
  // The successors of one state: hashed, their table lines warmed together, then inserted in order.
  const batchA = new Int32Array(n);
  const batchB = new Int32Array(n);
  const batchJ = new Int32Array(n);
  const batchWords = new Int32Array(n * W);
  const fp = new Uint32Array(2);
  let batched = 0;
  let generated = 0;
  let interrupted = false;
  let overflow = false;
  let anyNew = false;
  let event: Event | undefined;
  let parentId = -1;
  let j = 0;
  let unflushed = 0;
  let record: number[] | undefined;
  const collect = (jj: number): boolean => {
    hashWords(dw, 0, W, fp);
    if (probe) {
      anyNew = !t.has(fp[0]! | 0, fp[1]! | 0);
      return !anyNew;
    }
    batchA[batched] = fp[0]!;
    batchB[batched] = fp[1]!;
    batchJ[batched] = jj;
    for (let k = 0; k < W; k++) batchWords[batched * W + k] = dw[k]!;
    batched++;
    return true;
  };
  // Inserts the batch: every successor generated before a failure is counted, as one thread would.
  const insertBatch = (moment: number): void => {
    t.warm(batchA, batched);
    for (let b = 0; b < batched; b++) {
      const jj = batchJ[b]!;
      const a = batchA[b]!;
      const bb = batchB[b]!;
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
      }
      const at = claims.append();
      const d = claims.data;
      d[at] = stamp;
      d[at + 1] = slot;
      d[at + 2] = a;
      d[at + 3] = bb;
      for (let k = 0; k < W; k++) d[at + 4 + k] = batchWords[b * W + k]!;
    }
    batched = 0;
  };
  search.constraintInForce = false;
  try {
    let i = 0; // the state's index in the level
    outer: for (const seg of m.segments) {
      const run = new Int32Array(seg.buffer);
      parent.words = run;
      const start = Math.max(from - i, 0);
      const end = Math.min(to - i, seg.count);
      for (let r = start; r < end; r++) {
        const index = i + r;
        if ((index & 255) === 0 && Atomics.load(control, CONTROL_STOP) !== 0) {
          interrupted = true;
          break outer;
        }
        if (unflushed >= FILL_BATCH) {
          const fill = Atomics.add(control, CONTROL_FILL, unflushed) + unflushed;
          unflushed = 0;
          if (fill > Atomics.load(control, CONTROL_LIMIT)) Atomics.store(control, CONTROL_OVERFLOW, 1);
        }
        if (Atomics.load(control, CONTROL_OVERFLOW) !== 0) {
          overflow = true;
          break outer;
        }
        parentId = levelBase + index;
        const pbase = r * stride + 4;
        parent.base = pbase;
        j = 0;
        if (ps.constraint !== undefined && !search.withinConstraint(parent, ps.constraint)) continue;
        if (!probe && determinism.tick()) determinism.start(run.slice(pbase, pbase + W), parentId);
        record = probe ? undefined : determinism.current;
        let emitted: number;
        try {
          emitted = ps.expand(run, pbase, draft, collect);
        } catch (e) {
          j = batched === 0 ? 0 : batchJ[batched - 1]! + 1;
          insertBatch(stampBase + index * n);
          throw e;
        }
        if (probe) {
          if (anyNew) break outer;
          continue;
        }
        insertBatch(stampBase + index * n);
        if (emitted === 0 && deadlock && depth > 0) {
          search.checkDeadlock(parent, parentId, ps.done);
          event = foundEvent((parentId + 1) * n - 0.5, false);
          if (event) break outer;
        }
      }
      i += seg.count;
    }
    const bad = probe || overflow ? undefined : determinism.verify();
    if (bad && (event === undefined || bad.id * n < event.time)) event = errorEvent(bad.error, bad.id * n, bad.id, false);
  } catch (e) {
    // A user error in this worker's slice, stamped where a single thread would meet it.
    event = errorEvent(e, parentId * n + j, parentId, false);
  }
  Atomics.add(control, CONTROL_FILL, unflushed);
  post(
    {
      type: 'expanded',
      generated,
      coverage,
      constraintInForce: search.constraintInForce,
      interrupted,
      overflow,
      anyNew,
      event,
      lowered: { buffer: lowered.buffer as SharedArrayBuffer, count: lowered.count },
    },
    [coverage.buffer as ArrayBuffer],
  );
}

function filter(m: Extract<ToWorker, { type: 'filter' }>): void {
  // A claim of this worker can only have been lowered by a worker with an earlier slice.
  const earlier = m.lowered.slice(0, data.index);
  const dropped = new SlotSet(earlier.reduce((sum, l) => sum + l.count, 0));
  for (const l of earlier) {
    const slots = new Int32Array(l.buffer);
    for (let i = 0; i < l.count; i++) dropped.add(slots[i]!);
  }
  const run = runs[current];
  current ^= 1;
  const d = run.data;
  const stride = 4 + W;
  const view = new PackedState(d, false);
  let event: Event | undefined;
  let kept = 0;
  for (let c = 0, at = 0; c < run.count; c++, at += stride) {
    if (earlier.length > 0 && dropped.has(d[at + 1]!)) continue; // another worker met it earlier
    const moment = d[at]! - stampBase;
    const parent = levelBase + Math.floor(moment / n);
    const action = moment % n;
    const to = kept * stride;
    if (to !== at) for (let k = 2; k < stride; k++) d[to + k] = d[at + k]!;
    d[to] = parent;
    d[to + 1] = action;
    kept++;
    if (event !== undefined) continue; // the rest are kept, not checked: the search ends at the event
    view.base = to + 4;
    // Claims are in the order this worker generated them: the first violation is its earliest.
    const time = parent * n + action;
    try {
      search.checkStateWith(ps, view, kept - 1);
      event = foundEvent(time, true);
    } catch (e) {
      event = errorEvent(e, time, kept - 1, true);
    }
  }
  run.count = kept;
  post({ type: 'filtered', records: run.buffer as SharedArrayBuffer, count: kept, pending: search.unsatisfiedSometimes(), event });
}

function rehash(m: Extract<ToWorker, { type: 'rehash' }>): void {
  if (m.from === m.to) tableFor(m.to).renumber(m.start, m.end);
  else tableFor(m.to).rehashFrom(new SharedTable(m.from), m.start, m.end, m.before);
  post({ type: 'rehashed' });
}

async function start(): Promise<void> {
  const spec = await loadSpec(data.file, { typecheck: false });
  const system: TransitionSystem<unknown> = spec.compile(data.params as never);
  if (system.packed === undefined) throw new Error(`${data.file} is not a packed spec`);
  ps = system.packed;
  W = ps.layout.words;
  n = ps.instances.length;
  info = Int32Array.from(ps.instances, (i) => i.info);
  runs = [new Records(4 + W, true), new Records(4 + W, true)];
  lowered = new Records(1, true);
  search = new Search(system, { recheckRate: data.recheckRate });
  determinism = packedDeterminism(search, ps);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'expand') expand(m);
      else if (m.type === 'filter') filter(m);
      else rehash(m);
    } catch (e) {
      const err = e as Error;
      post({ type: 'failed', message: err?.message ?? String(e), stack: err?.stack });
    }
  });
  post({ type: 'ready', instances: n, words: W });
}

start().catch((e: unknown) => {
  const err = e as Partial<SpecError> & Error;
  post({ type: 'failed', message: err?.message ?? String(e), handler: err?.handler, stack: err?.stack });
});
