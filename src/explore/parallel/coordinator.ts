// The parallel packed search (--workers N): level-synchronous BFS over N worker
// threads. Per level, each worker expands a contiguous slice of the frontier and
// sends every successor to the worker that owns its fingerprint; each owner admits
// its candidates in the order one thread would generate them, so the first
// discoverer of a state (its parent) and the order of new states (their ids) are
// exactly those of the single-threaded search. The coordinator merges the owners'
// new states by that order into the next frontier (a SharedArrayBuffer) and keeps
// the parent links that traces are rebuilt from. No lock anywhere: the only shared
// memory is read-only during a level.
import { Worker } from 'node:worker_threads';
import { SpecError } from '../../core/errors.js';
import { hashWords } from '../../packed/hash.js';
import type { PackedSystem } from '../../packed/spec.js';
import { ParentTable } from '../parent-table.js';
import type { Search } from '../search.js';
import type { Event, FromWorker, SearchWorkerData, ToWorker } from './messages.js';
import { Records } from '../records.js';
import { ownerOf } from './partition.js';

const workerUrl = new URL('./search-worker.js', import.meta.url);

type Expanded = Extract<FromWorker, { type: 'expanded' }>;
type Admitted = Extract<FromWorker, { type: 'admitted' }>;

/** One worker thread and its replies, in order. */
class Peer {
  private readonly waiting: ((m: FromWorker) => void)[] = [];
  private readonly early: FromWorker[] = [];
  private failure?: Error;
  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => this.deliver(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`a search worker exited (code ${code})`)));
  }
  private deliver(m: FromWorker): void {
    const w = this.waiting.shift();
    if (w) w(m);
    else this.early.push(m);
  }
  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w({ type: 'failed', message: e.message, stack: e.stack });
  }
  next(): Promise<FromWorker> {
    const m = this.early.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.resolve({ type: 'failed', message: this.failure.message, stack: this.failure.stack });
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  send(m: ToWorker): void {
    this.worker.postMessage(m);
  }
}

async function replies<T extends FromWorker['type']>(peers: Peer[], type: T): Promise<Extract<FromWorker, { type: T }>[]> {
  const all = await Promise.all(peers.map((p) => p.next()));
  for (const m of all) {
    if (m.type === 'failed') throw new SpecError(m.message, { handler: m.handler });
    if (m.type !== type) throw new Error(`search worker replied ${m.type}, expected ${type}`);
  }
  return all as Extract<FromWorker, { type: T }>[];
}

export interface ParallelOptions {
  readonly file: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly workers: number;
}

export async function parallelPackedBfs(search: Search<unknown>, ps: PackedSystem, opts: ParallelOptions): Promise<void> {
  const { options } = search;
  const N = opts.workers;
  const W = ps.layout.words;
  const n = ps.instances.length;
  const stride = 2 + W;
  const links = new ParentTable();
  search.links = links;
  search.exactFingerprints = ps.layout.bits <= 64;
  const stopBuffer = new SharedArrayBuffer(4);
  const stop = new Int32Array(stopBuffer);
  const halt = (reason: NonNullable<Search<unknown>['stopped']>) => {
    search.stopped ??= reason;
    Atomics.store(stop, 0, 1);
  };
  const deadline = options.maxTimeMs === undefined ? Infinity : search.startedAt + options.maxTimeMs;
  let nextProgress = Date.now() + (options.progressIntervalMs ?? 2000);
  // Bounds and signals are polled here while the workers run; they stop at their next 256th state.
  const timer = setInterval(() => {
    const now = Date.now();
    if (options.shouldStop?.()) halt('interrupted');
    else if (now >= deadline) halt('maxTime');
    else if (options.maxMemoryBytes !== undefined && process.memoryUsage.rss() >= options.maxMemoryBytes) halt('maxMemory');
    else if (options.onProgress && now >= nextProgress) {
      nextProgress = now + (options.progressIntervalMs ?? 2000);
      options.onProgress(search.stats());
    }
  }, 50);
  const data = (index: number): SearchWorkerData => ({
    file: opts.file,
    params: opts.params as SearchWorkerData['params'],
    index,
    workers: N,
    recheckRate: options.recheckRate,
    deadlock: options.deadlock === true,
    stop: stopBuffer,
  });
  const peers = Array.from({ length: N }, (_, i) => new Peer(new Worker(workerUrl, { workerData: data(i) })));
  try {
    await replies(peers, 'ready');

    // The initial states are candidates too, from a source before every worker.
    const initial = Array.from({ length: N }, () => new Records(stride, true));
    const fp = new Uint32Array(2);
    for (let i = 0; i * W < ps.initial.length; i++) {
      hashWords(ps.initial, i * W, W, fp);
      initial[ownerOf(fp[1]!, N)]!.push(-1, i, ps.initial.subarray(i * W, i * W + W), W);
      search.generated++;
    }
    let admitted = await admitAll(peers, initial.map((r) => [r.buffer]), initial.map((r) => [r.count]), false);
    let expansionEvents: Event[] = [];
    let levelBase = 0;
    let depth = 0;
    for (;;) {
      const level = mergeLevel(admitted, links, W, n);
      search.extraBytes = admitted.reduce((sum, a) => sum + a.tableBytes, 0);
      search.keepPending(intersect(admitted.map((a) => a.pending)));
      if (level.count > 0) search.depth = depth;
      const first = earliest([...expansionEvents, ...level.events]);
      if (first !== undefined) return conclude(search, first);
      if (search.stopped || level.count === 0) return;
      if (options.maxStates !== undefined && links.size >= options.maxStates) return halt('maxStates');
      const probe = depth >= (options.maxDepth ?? Infinity);
      const count = level.count;
      // Each worker expands a contiguous slice, so its successors come out in the single-thread order.
      peers.forEach((p, w) =>
        p.send({ type: 'expand', frontier: level.frontier, from: Math.floor((count * w) / N), to: Math.floor((count * (w + 1)) / N), levelBase, depth, probe }),
      );
      const expanded = await replies(peers, 'expanded');
      expansionEvents = [];
      for (const e of expanded) {
        search.generated += e.generated;
        e.coverage.forEach((c, i) => (search.coverage[i]! += c));
        if (e.constraintInForce) search.constraintInForce = true;
        if (e.event) expansionEvents.push(e.event);
        if (e.interrupted) halt(search.stopped ?? 'interrupted');
      }
      admitted = await admitAll(
        peers,
        peers.map((_, o) => expanded.map((e) => e.buckets[o]!)),
        peers.map((_, o) => expanded.map((e) => e.counts[o]!)),
        probe,
      );
      if (probe) {
        if (admitted.some((a) => a.anyNew)) search.stopped = 'maxDepth';
        return;
      }
      levelBase += count;
      depth++;
    }
  } catch (e) {
    search.error = e instanceof SpecError ? e : new SpecError(e instanceof Error ? e.message : String(e));
  } finally {
    search.queueSize = 0;
    clearInterval(timer);
    await Promise.all(peers.map((p) => p.worker.terminate()));
  }
}

/** Sends each owner its candidates (one buffer per source, in source order) and waits for all. */
async function admitAll(peers: Peer[], buckets: ArrayBufferLike[][], counts: number[][], probe: boolean): Promise<Admitted[]> {
  peers.forEach((p, o) => p.send({ type: 'admit', buckets: buckets[o]!, counts: counts[o]!, probe }));
  return replies(peers, 'admitted');
}

/**
 * Merges the owners' new states (each list already in single-thread order) into
 * one: ids in that order, parent links, and the next frontier.
 */
function mergeLevel(admitted: Admitted[], links: ParentTable, W: number, n: number): { frontier: SharedArrayBuffer; count: number; events: Event[] } {
  const stride = 2 + W;
  const fp = new Uint32Array(2);
  const lists = admitted.map((a) => new Int32Array(a.records));
  const count = admitted.reduce((sum, a) => sum + a.count, 0);
  const frontier = new SharedArrayBuffer(Math.max(1, count * W) * 4);
  const words = new Int32Array(frontier);
  const heads = admitted.map(() => 0);
  const time = (o: number) => {
    const at = heads[o]! * stride;
    return lists[o]![at]! * n + lists[o]![at + 1]!;
  };
  const events: Event[] = [];
  for (let r = 0; r < count; r++) {
    let best = -1;
    for (let o = 0; o < lists.length; o++) {
      if (heads[o]! < admitted[o]!.count && (best < 0 || time(o) < time(best))) best = o;
    }
    const list = lists[best]!;
    const at = heads[best]! * stride;
    hashWords(list, at + 2, W, fp);
    const id = links.push(fp[0]!, fp[1]!, list[at]!);
    for (let k = 0; k < W; k++) words[r * W + k] = list[at + 2 + k]!;
    const ev = admitted[best]!.event;
    if (ev?.local && ev.stateId === heads[best]) events.push({ ...ev, stateId: id, local: false });
    heads[best]!++;
  }
  return { frontier, count, events };
}

function earliest(events: readonly Event[]): Event | undefined {
  let first: Event | undefined;
  for (const e of events) if (first === undefined || e.time < first.time) first = e;
  return first;
}

function intersect(lists: readonly string[][]): Set<string> {
  return new Set(lists[0]?.filter((name) => lists.every((l) => l.includes(name))) ?? []);
}

/** Records the event that ends the search, as the single-threaded search would. */
function conclude(search: Search<unknown>, ev: Event): void {
  if (ev.kind === 'violation') {
    search.found = { property: ev.property!, kind: ev.violationKind!, message: ev.message, stateId: ev.stateId };
    return;
  }
  const err = new SpecError(ev.message, { handler: ev.error?.handler, role: ev.error?.role });
  if (ev.error?.action) err.action = ev.error.action;
  search.error = err;
  search.attachTrace(err, ev.stateId);
}
