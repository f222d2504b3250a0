// A search worker: loads the packed spec itself, then, level by level, expands its
// slice of the frontier (a SharedArrayBuffer of words) and owns the fingerprints
// whose lane B falls in its partition (partition.ts). Its own hash table, no
// lock: each successor is sent to its owner, which alone decides whether it is new.
import { parentPort, workerData } from 'node:worker_threads';
import { isSpecError, type SpecError } from '../../core/errors.js';
import { loadSpec } from '../../cli/load.js';
import type { TransitionSystem } from '../../core/types.js';
import { hashWords } from '../../packed/hash.js';
import type { PackedSystem } from '../../packed/spec.js';
import { PackedState } from '../../packed/state.js';
import type { DeterminismCheck } from '../determinism.js';
import { packedDeterminism } from '../packed-bfs.js';
import { Search } from '../search.js';
import { VisitedSet } from '../visited.js';
import type { Event, FromWorker, SearchWorkerData, ToWorker } from './messages.js';
import { Records } from '../records.js';
import { ownerOf } from './partition.js';

const port = parentPort!;
const data = workerData as SearchWorkerData;
const deadlock = data.deadlock;
const stop = new Int32Array(data.stop);
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let ps: PackedSystem;
let W = 1;
let n = 0;
/** Per owner, the successors this worker sends it; and the new states it found as an owner. Reused every level. */
let out: Records[];
let found: Records;
/** Candidates hashed and warmed at a time. */
const BATCH = 32;
/** The fingerprints this worker owns. */
const table = new VisitedSet(1 << 16);
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

function expand(m: Extract<ToWorker, { type: 'expand' }>): void {
  // Message fields are read once: objects that came through postMessage are slow to read in a loop.
  const { from, to, levelBase, depth, probe } = m;
  const frontier = new Int32Array(m.frontier);
  const N = data.workers;
  // Each level is sized by the last one (x2, as levels grow), so buffers rarely grow mid-level.
  for (const r of out) r.clear();
  const coverage = new Float64Array(search.coverage.length);
  const parent = new PackedState(frontier, false);
  const draft = new PackedState(new Int32Array(W), true);
  const dw = draft.words;
  const fp = new Uint32Array(2);
  let generated = 0;
  let interrupted = false;
  let event: Event | undefined;
  let parentId = -1;
  let j = 0;
  let record: number[] | undefined;
  const send = (j: number): boolean => {
    if (!probe) {
      generated++;
      coverage[info[j]!]!++;
    }
    hashWords(dw, 0, W, fp);
    record?.push(info[j]!, fp[0]!, fp[1]!);
    out[ownerOf(fp[1]!, N)]!.push(parentId, j, dw, W);
    return true;
  };
  search.constraintInForce = false;
  try {
    for (let i = from; i < to; i++) {
      if ((i & 255) === 0 && Atomics.load(stop, 0) !== 0) {
        interrupted = true;
        break;
      }
      parentId = levelBase + i;
      const pbase = i * W;
      parent.base = pbase;
      j = 0;
      if (ps.constraint !== undefined && !search.withinConstraint(parent, ps.constraint)) continue;
      if (!probe && determinism.tick()) determinism.start(frontier.slice(pbase, pbase + W), parentId);
      record = probe ? undefined : determinism.current;
      const emitted = ps.expand(frontier, pbase, draft, send);
      if (emitted === 0 && deadlock && depth > 0 && !probe) {
        search.checkDeadlock(parent, parentId, ps.done);
        event = foundEvent((parentId + 1) * n - 0.5, false);
        if (event) break;
      }
    }
    const bad = probe ? undefined : determinism.verify();
    if (bad && (event === undefined || bad.id * n < event.time)) event = errorEvent(bad.error, bad.id * n, bad.id, false);
  } catch (e) {
    // A user error in this worker's slice, stamped where a single thread would meet it.
    event = errorEvent(e, parentId * n + j, parentId, false);
  }
  post(
    { type: 'expanded', buckets: out.map((r) => r.buffer), counts: out.map((r) => r.count), generated, coverage, constraintInForce: search.constraintInForce, interrupted, event },
    [coverage.buffer as ArrayBuffer],
  );
}

function admit(m: Extract<ToWorker, { type: 'admit' }>): void {
  const probe = m.probe;
  const stride = 2 + W;
  const fp = new Uint32Array(2);
  found.clear();
  const view = new PackedState(found.data, false);
  let anyNew = false;
  let event: Event | undefined;
  // In batches: hash, warm the table lines together (VisitedSet.warm), then admit in order.
  const batchA = new Uint32Array(BATCH);
  const batchB = new Uint32Array(BATCH);
  outer: for (let src = 0; src < m.buckets.length; src++) {
    const recs = new Int32Array(m.buckets[src]!);
    const count = m.counts[src]!;
    for (let r0 = 0; r0 < count; r0 += BATCH) {
      const r1 = Math.min(count, r0 + BATCH);
      for (let r = r0; r < r1; r++) {
        hashWords(recs, r * stride + 2, W, fp);
        batchA[r - r0] = fp[0]!;
        batchB[r - r0] = fp[1]!;
      }
      table.warm(batchA, r1 - r0);
      for (let r = r0; r < r1; r++) {
        const a = batchA[r - r0]!;
        const b = batchB[r - r0]!;
        if (probe) {
          if (!table.has(a, b)) {
            anyNew = true;
            break outer;
          }
          continue;
        }
        table.add(a, b, -1);
        if (!table.isNew) continue;
        const at = r * stride;
        const local = found.copy(recs, at);
        view.words = found.data;
        view.base = local * stride + 2;
        // Candidates arrive in the order a single thread generates them: the first violation is the earliest.
        const time = recs[at]! * n + recs[at + 1]!;
        try {
          search.checkStateWith(ps, view, local);
        } catch (e) {
          event = errorEvent(e, time, local, true);
          break outer;
        }
        event = foundEvent(time, true);
        if (event) break outer;
      }
    }
  }
  post({ type: 'admitted', records: found.buffer, count: found.count, anyNew, pending: search.unsatisfiedSometimes(), tableBytes: table.bytes, event });
}

async function start(): Promise<void> {
  const spec = await loadSpec(data.file, { typecheck: false });
  const system: TransitionSystem<unknown> = spec.compile(data.params as never);
  if (system.packed === undefined) throw new Error(`${data.file} is not a packed spec`);
  ps = system.packed;
  W = ps.layout.words;
  n = ps.instances.length;
  info = Int32Array.from(ps.instances, (i) => i.info);
  out = Array.from({ length: data.workers }, () => new Records(2 + W, true));
  found = new Records(2 + W, true);
  search = new Search(system, { recheckRate: data.recheckRate });
  determinism = packedDeterminism(search, ps);
  port.on('message', (m: ToWorker) => (m.type === 'expand' ? expand(m) : admit(m)));
  post({ type: 'ready', instances: n, words: W });
}

start().catch((e: unknown) => {
  const err = e as Partial<SpecError> & Error;
  post({ type: 'failed', message: err?.message ?? String(e), handler: err?.handler, stack: err?.stack });
});
