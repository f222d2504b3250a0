// The parallel packed search (--workers N): level-synchronous BFS over N threads
// (this one and N - 1 worker threads) that share one lock-free fingerprint table
// (shared-table.ts). Per level,
// the workers take chunks of the frontier in turn, each the next one when it is done
// with its last (so a slower core, or one another program shares, holds nobody up),
// and insert every successor into the table, stamped with the moment one thread
// would generate it; where several generate the same new state, the earliest stamp
// wins. Then each worker keeps the states whose stamp is its own, chunk by chunk in
// its generation order. The chunks' kept states, in chunk order, are exactly the
// single-threaded search's next level: same parents, same ids, same traces.
// Until the workers, started only once the search has lasted, are ready, this thread
// runs the one BFS loop (bfs.ts) over the packed space (packed-space.ts) alone, and then hands its visited set and
// frontier over. From then on it is worker 0 of the shared levels; it also appends
// the parent links traces are rebuilt from, and expands alone the levels too small to
// share (with the same LevelSearch).
import { Worker } from 'node:worker_threads';
import { SpecError } from '../../core/errors.js';
import type { PackedSystem } from '../../packed/spec.js';
import { LevelLoop } from '../bfs.js';
import { PackedSpace } from '../packed-space.js';
import { Records } from '../records.js';
import type { Search } from '../search.js';
import { CONTROL_FILL, CONTROL_LIMIT, CONTROL_NEXT_CHUNK, CONTROL_OVERFLOW, CONTROL_STOP, CONTROL_WORDS, type Event, type FromWorker, type SearchWorkerData, type Segment, type ToWorker } from './messages.js';
import { FIRST_STAMP, MAX_STAMP, OLD, SharedTable } from './shared-table.js';
import { FILL_BATCH, LevelSearch } from './level-search.js';

const workerUrl = new URL('./search-worker.js', import.meta.url);
/**
 * The table is sized before each level so that it ends the level at most this full
 * (by the last level's growth)... Fresh memory is slow to touch the first time on
 * these VMs (about 3.5 ms per MB), so a table that stays smaller pays twice.
 */
const TARGET_LOAD = 0.7;
/** ...and a level that fills it past this is stopped and redone in a bigger one. */
const MAX_FILL = 0.9;
/** Levels smaller than this are expanded by the coordinating thread: sharing them out costs more than it saves. */
const MIN_SHARED_LEVEL = 32768;
/**
 * Starting a worker costs about 0.6 s of CPU (it loads the spec, about READY_MS until
 * ready), which slows this thread while it searches on. So the workers start when a
 * level ahead promises to be long (SPAWN_FOR_LEVEL_MS alone, by the last level's pace:
 * wide levels follow), or once the search has lasted SPAWN_AFTER_MS; a short search is
 * left to one thread. At 0.5 s regardless, two workers made TwoPhase rms=7 (0.5 s
 * alone) take 0.8 s.
 */
const SPAWN_FOR_LEVEL_MS = 250;
const SPAWN_AFTER_MS = 1000;
const READY_MS = 600;
/**
 * A shared level is cut into about this many chunks per worker, of at most
 * MAX_CHUNK states (some milliseconds of work each): a worker waits at the level's
 * end for at most the chunk another is finishing.
 */
const CHUNKS_PER_WORKER = 16;
const MIN_CHUNK = 256;
const MAX_CHUNK = 4096;
/** For the tests: every level, however small, goes to the workers (which start at once)... */
const shareEveryLevel = process.env.FAULTLINE_SHARE_EVERY_LEVEL === '1';
/** ...in chunks of this many states, so that small models have many... */
const testChunk = Number(process.env.FAULTLINE_CHUNK_STATES) || undefined;
/** ...from this depth on (one thread searches the levels before, and hands over). */
const shareFrom = Number(process.env.FAULTLINE_SHARE_FROM_DEPTH) || 0;

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

/** Returns how many threads searched: 1 when no level was shared out (the search was over before the workers were up). */
export async function parallelPackedBfs(search: Search<unknown>, ps: PackedSystem, opts: ParallelOptions): Promise<number> {
  const used = { threads: 1 };
  await searchLevels(search, ps, opts, used);
  return used.threads;
}

async function searchLevels(search: Search<unknown>, ps: PackedSystem, opts: ParallelOptions, used: { threads: number }): Promise<void> {
  const { options } = search;
  const N = opts.workers;
  const W = ps.layout.words;
  const n = ps.instances.length;
  const stride = 2 + W;
  // One thread runs the plain packed BFS until the workers are up and a level is worth
  // sharing; the parallel levels then carry on from its visited set, links and frontier.
  let space: PackedSpace | undefined = new PackedSpace(search, ps);
  let alone: LevelLoop | undefined = new LevelLoop(search, space);
  const links = space.links;
  const controlBuffer = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const control = new Int32Array(controlBuffer);
  const halt = (reason: NonNullable<Search<unknown>['stopped']>) => {
    search.stopped ??= reason;
    Atomics.store(control, CONTROL_STOP, 1);
  };
  const deadline = options.maxTimeMs === undefined ? Infinity : search.startedAt + options.maxTimeMs;
  let nextProgress = Date.now() + (options.progressIntervalMs ?? 2000);
  // Bounds and signals are polled here while the workers run (they stop at their next
  // 256th state), and by the local LevelSearch while this thread expands a level itself.
  const pollBounds = () => {
    const now = Date.now();
    if (options.shouldStop?.()) halt('interrupted');
    else if (now >= deadline) halt('maxTime');
    else if (options.maxMemoryBytes !== undefined && process.memoryUsage.rss() >= options.maxMemoryBytes) halt('maxMemory');
    else if (options.onProgress && now >= nextProgress) {
      nextProgress = now + (options.progressIntervalMs ?? 2000);
      // Say when the level is shared: a test interrupts a search only once it is (issue 19).
      options.onProgress(alone === undefined ? { ...search.stats(), sharedBy: W } : search.stats());
    }
  };
  const timer = setInterval(pollBounds, 50);
  const data: SearchWorkerData = {
    file: opts.file,
    params: opts.params as SearchWorkerData['params'],
    recheckRate: options.recheckRate,
    deadlock: options.deadlock === true,
    control: controlBuffer,
  };
  /** The shared table, made when the search is handed over. */
  let table = SharedTable.create(1);
  const useTable = (t: SharedTable) => {
    table = t;
    Atomics.store(control, CONTROL_LIMIT, Math.floor(t.capacity * MAX_FILL));
  };
  // The workers are started once the search has run for SPAWN_AFTER_MS (a smaller
  // model never pays for them), and load the spec while this thread goes on searching.
  let peers: Peer[] = [];
  let started: Promise<unknown> | undefined;
  let ready = false;
  const local = new LevelSearch(search.system, { control: controlBuffer, recheckRate: options.recheckRate, deadlock: options.deadlock === true, poll: pollBounds });
  /** Whether a level is shared out: once the workers are ready, and only if it is big enough to pay for it. */
  let spawnedAt = 0;
  /** `aloneMs`: how long this thread alone would take over the level, where it can tell. */
  const sharing = async (count: number, aloneMs = 0): Promise<boolean> => {
    const now = Date.now();
    if (started === undefined && (shareEveryLevel || aloneMs >= SPAWN_FOR_LEVEL_MS || now - search.startedAt >= SPAWN_AFTER_MS)) {
      // This thread is worker 0: N - 1 threads are started, so N threads run on N cores.
      peers = Array.from({ length: N - 1 }, (_, i) => new Peer(new Worker(workerUrl, { workerData: data })));
      started = replies(peers, 'ready').then(() => (ready = true));
      started.catch(() => {}); // handled where it is awaited
      spawnedAt = now;
    }
    if (shareEveryLevel) return (await started, true);
    // Until they are ready, this thread goes on alone (they load on the other cores),
    // unless the level is wide and they will be ready well before this thread is done with
    // half of it. A worker that failed to start fails the search here.
    if (started !== undefined && !ready) {
      const wait = count >= MIN_SHARED_LEVEL && READY_MS - (now - spawnedAt) < aloneMs / 2;
      await (wait ? started : Promise.race([started, new Promise((resolve) => setImmediate(resolve))]));
    }
    return ready && count >= MIN_SHARED_LEVEL;
  };
  /**
   * Moves the table's states stamped before `before` into one of `capacity` slots, each
   * worker copying a slice; with the same capacity, renumbers every stamp to OLD.
   */
  const rehash = async (capacity: number, before: number) => {
    const old = table;
    const to = capacity === old.capacity ? old : SharedTable.create(capacity);
    const slots = old.capacity;
    const part = (w: number, of: number): Extract<ToWorker, { type: 'rehash' }> => ({
      type: 'rehash',
      from: old.buffer,
      to: to.buffer,
      start: Math.floor((slots * w) / of),
      end: Math.floor((slots * (w + 1)) / of),
      before,
    });
    if (await sharing(slots)) {
      peers.forEach((p, w) => p.send(part(w + 1, N)));
      local.rehash(part(0, N));
      await replies(peers, 'rehashed');
    } else local.rehash(part(0, 1));
    useTable(to);
  };
  let linkPending = () => {};
  try {
    if (!alone.start()) return;
    /** This thread's pace alone, ms per state, by the last level it expanded. */
    let pace = 0;
    while (!(alone.depth >= shareFrom && (await sharing(alone.levelSize, alone.levelSize * pace)))) {
      const [states, t0] = [alone.levelSize, performance.now()];
      if (!alone.level()) return;
      pace = (performance.now() - t0) / states;
    }
    // Handed over: the states found so far, as OLD entries of a shared table; the frontier, in shared memory.
    // Past the overflow limit, each worker may still add up to a fill batch plus one state's successors.
    const minimum = Math.max(1 << 16, 16 * N * (FILL_BATCH + n));
    useTable(SharedTable.create(powerOfTwoAtLeast(Math.max(minimum, (links.size + 4 * alone.levelSize) / TARGET_LOAD))));
    space!.seen.forEach((a, b) => table.insert(a, b, OLD));
    search.memoryElsewhere = () => table.bytes;
    let segments: Segment[] = [sharedRun(space!.level, W)];
    let levelBase = space!.levelBase;
    let depth = alone.depth;
    [alone, space] = [undefined, undefined]; // its visited set is garbage now
    /** States found so far, some not yet in `links`: the last level's runs are linked while the workers expand the next. */
    let known = links.size;
    let unlinked: Segment[] = [];
    linkPending = () => {
      for (const seg of unlinked) links.pushRun(new Int32Array(seg.buffer, seg.start * stride * 4), seg.count, stride);
      unlinked = [];
    };
    /** New states per frontier state, as the last level had them (x1.5): sizes the table ahead of a level. */
    let growth = 4;
    /** The moment of the level's first transition (table stamps grow level after level). */
    let stampBase = FIRST_STAMP;
    for (;;) {
      const count = segments.reduce((sum, seg) => sum + seg.count, 0);
      if (search.stopped || count === 0) return;
      if (options.maxStates !== undefined && known >= options.maxStates) return halt('maxStates');
      if (count * n + FIRST_STAMP > MAX_STAMP) {
        throw new SpecError(`a level of ${count} states with ${n} action instances is too wide for --workers (at most 2^31 transitions per level); run with --workers 1`);
      }
      if (stampBase + count * n > MAX_STAMP) {
        await rehash(table.capacity, stampBase);
        stampBase = FIRST_STAMP;
      }
      const probe = depth >= (options.maxDepth ?? Infinity);
      let expanded: Extract<FromWorker, { type: 'expanded' }>[];
      let shared = false;
      for (let attempt = 0; ; attempt++) {
        let capacity = table.capacity;
        if (attempt > 0) capacity *= 2;
        while (known + count * growth > capacity * TARGET_LOAD) capacity *= 2;
        if (capacity !== table.capacity) await rehash(capacity, stampBase);
        Atomics.store(control, CONTROL_FILL, known);
        Atomics.store(control, CONTROL_OVERFLOW, 0);
        Atomics.store(control, CONTROL_NEXT_CHUNK, 0);
        shared = await sharing(count);
        const chunk = shared ? chunkSize(count, N) : count;
        const expand: ToWorker = { type: 'expand', segments, table: table.buffer, count, chunk, levelBase, stampBase, depth, probe };
        if (shared) {
          used.threads = N;
          peers.forEach((p) => p.send(expand));
          linkPending();
          const mine = local.expand(expand);
          expanded = [mine, ...(await replies(peers, 'expanded'))];
        } else {
          linkPending();
          expanded = [local.expand(expand)];
        }
        if (search.stopped || !expanded.some((e) => e.overflow)) break;
      }
      const events: Event[] = [];
      for (const e of expanded) {
        search.generated += e.generated;
        e.coverage.forEach((c, i) => (search.coverage[i]! += c));
        if (e.constraintInForce) search.constraintInForce = true;
        if (e.event) events.push(e.event);
        if (e.interrupted) halt(search.stopped ?? 'interrupted');
      }
      if (probe) {
        if (expanded.some((e) => e.anyNew)) search.stopped = 'maxDepth';
        return;
      }
      const lowered = expanded.map((e) => e.lowered);
      let filtered: Extract<FromWorker, { type: 'filtered' }>[];
      if (shared) {
        peers.forEach((p) => p.send({ type: 'filter', lowered }));
        const mine = local.filter({ type: 'filter', lowered });
        filtered = [mine, ...(await replies(peers, 'filtered'))];
      } else filtered = [local.filter({ type: 'filter', lowered })];
      // The chunks' new states, in chunk order, are the next level in single-thread order.
      const byChunk: Segment[] = [];
      for (const f of filtered) {
        const c = f.chunks;
        for (let t = 0; t < c.length; t += 3) byChunk[c[t]!] = { buffer: f.records, start: c[t + 1]!, count: c[t + 2]! };
      }
      /** The id of each chunk's first new state. */
      const firstId: number[] = [];
      let id = known;
      segments = [];
      byChunk.forEach((seg, c) => {
        firstId[c] = id;
        id += seg.count;
        if (seg.count > 0) segments.push(seg);
      });
      unlinked = segments;
      for (const f of filtered) if (f.event) events.push(f.event.chunk === undefined ? f.event : { ...f.event, stateId: firstId[f.event.chunk]! + f.event.stateId, chunk: undefined });
      known = id;
      search.keepPending(intersect([search.unsatisfiedSometimes(), ...filtered.map((f) => f.pending)]));
      for (const f of filtered) search.outside += f.outside;
      const found = id - levelBase - count;
      if (found > 0) search.depth = depth + 1;
      growth = Math.max(1, (1.5 * found) / count);
      const first = earliest(events);
      if (first !== undefined) {
        linkPending();
        return conclude(search, first);
      }
      levelBase += count;
      stampBase += count * n;
      depth++;
    }
  } catch (e) {
    search.error = e instanceof SpecError ? e : new SpecError(e instanceof Error ? e.message : String(e));
  } finally {
    linkPending();
    search.queueSize = 0;
    clearInterval(timer);
    // Not awaited: a worker still loading the spec can take a while to stop, and nothing waits on it.
    for (const p of peers) {
      p.worker.unref();
      void p.worker.terminate();
    }
  }
}

/** The packed BFS's frontier as a run of the parallel search (its states are linked already). */
function sharedRun(frontier: Records, W: number): Segment {
  const run = new Records(2 + W, true, Math.max(1, frontier.count));
  for (let i = 0; i < frontier.count; i++) {
    const at = run.append();
    for (let k = 0; k < W; k++) run.data[at + 2 + k] = frontier.data[i * W + k]!;
  }
  return { buffer: run.buffer as SharedArrayBuffer, start: 0, count: run.count };
}

/** How many states of a shared level a worker takes at a time. */
function chunkSize(count: number, workers: number): number {
  return testChunk ?? Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(count / (workers * CHUNKS_PER_WORKER))));
}

function powerOfTwoAtLeast(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
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
