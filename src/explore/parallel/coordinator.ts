// The parallel search (--workers N), for every kind of spec: the classic
// hash-partitioned, level-synchronous BFS. Each of N shard threads (shard.ts) owns
// the states whose fingerprint falls to it, keeps their visited set and queue, and
// receives the successors it owns from the others as words (exchange.ts). This
// thread coordinates: it runs the one BFS loop alone (bfs.ts) until the search has
// lasted long enough to pay for starting threads, hands its visited set and level
// over to the shards, then numbers each level's new states by merging the shards'
// lists in one thread's order, keeps only which shard owns each (the shards keep
// their states' parent links; a trace is rebuilt here from links asked of them),
// and ends the search where one thread would (the earliest event of a level; with
// faults, the level's end and its fewest-faults violation, see bfs.ts), with the
// counts one thread would have at that moment. So 1, 2 or 3 workers give the same
// counts, verdicts and traces. The exchange is what would run between processes.
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { SpecError, type TraceStep } from '../../core/errors.js';
import { hashWords } from '../../packed/hash.js';
import { NotTransferable } from '../../values/wire.js';
import { reconstructTrace, resolveLabel } from '../reconstruct.js';
import { LevelLoop } from '../bfs.js';
import { floorAfter, floorsOf } from '../fault-floors.js';
import type { Search } from '../search.js';
import { spaceFor } from '../spaces.js';
import type { Checkpointer } from '../checkpoint/checkpointer.js';
import type { LinkColumns } from '../link-columns.js';
import { Owners } from './owners.js';
import { SharedCheckpoints } from './checkpoints.js';
import { Outbox, ownerOf } from './exchange.js';
import { CONTROL_BEAT, CONTROL_MAIL, CONTROL_STOP, type FromShard, type LevelDone, type ShardData, type ShardEvent, type ToShard } from './messages.js';
import { AFTER_ALL, type ShardSpace } from './shard.js';

const workerUrl = new URL('./shard-worker.js', import.meta.url);
/**
 * Starting a worker costs about 0.6 s of CPU (it loads the spec, about READY_MS until
 * ready), which slows this thread while it searches on, and a shard starts cold (the
 * engine and the spec compile again, its handler memo and part tables are empty). So
 * the workers start once the search has lasted SPAWN_AFTER_MS: a shorter search is over
 * before they would pay that back. paxos.fixed with its default params (121,975 states,
 * 1.1-1.2 s on one thread) with --workers 2, when they started after 1 s or once a
 * level promised 250 ms alone (a level of 33 states promised 292 ms for the next one,
 * which took 37: the code was still compiling): the shards took over in 3 runs of 4,
 * spent 2.6 s each on what one thread does in under 1 s, and the search took 2.7-2.9 s.
 * Started after 2 s: 1.6-1.9 s in 4 runs of 4, on one thread.
 */
const SPAWN_AFTER_MS = 2000;
const READY_MS = 600;
/** How long shards may take to stop at --max-time before they count as stuck in the spec's code. */
const MAX_TIME_GRACE_MS = 5000;
/** Levels smaller than this are not handed over: sharing them out costs more than it saves. */
const MIN_SHARED_LEVEL = 8192;
/** A level's pace (ms a state) is trusted from this many states on: a smaller one runs while the code is still compiling. */
const PACE_FROM_STATES = 2048;
/** For the tests: the shards take over at once, from this depth on (one thread searches the levels before). */
const shareEveryLevel = () => process.env.FAULTLINE_SHARE_EVERY_LEVEL === '1';
const shareFrom = () => Number(process.env.FAULTLINE_SHARE_FROM_DEPTH) || 0;

/** A shard as the coordinator sees it: a thread here (Peer), or a process elsewhere (src/cluster/). */
export interface ShardPeer {
  /** Its next reply ('failed' once it is gone). */
  next(): Promise<FromShard>;
  send(m: ToShard, transfer?: ArrayBuffer[]): void;
  /** Stops it; not awaited. */
  close(): void;
}

/** A shard that left mid-search (a cluster worker that died): the search cannot go on. */
export class PeerLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerLost';
  }
}

/** One shard thread and its replies, in order. */
class Peer implements ShardPeer {
  private readonly waiting: ((m: FromShard) => void)[] = [];
  private readonly early: FromShard[] = [];
  private failure?: Error;
  /** Between a level sent and its levelDone: the shard expands (and beats). */
  expanding = false;
  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromShard) => this.deliver(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`a search worker exited (code ${code})`)));
  }
  private deliver(m: FromShard): void {
    if (m.type === 'levelDone' || m.type === 'failed') this.expanding = false;
    const w = this.waiting.shift();
    if (w) w(m);
    else this.early.push(m);
  }
  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.splice(0)) w({ type: 'failed', message: e.message, stack: e.stack });
  }
  next(): Promise<FromShard> {
    const m = this.early.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.resolve({ type: 'failed', message: this.failure.message, stack: this.failure.stack });
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  send(m: ToShard, transfer: ArrayBuffer[] = []): void {
    if (m.type === 'level') this.expanding = true;
    this.worker.postMessage(m, transfer);
  }
  close(): void {
    this.worker.unref();
    void this.worker.terminate();
  }
}

/** Every shard's reply; when one fails, the others are stopped (they wait for its batches otherwise), then it is thrown. */
async function replies<T extends FromShard['type']>(peers: ShardPeer[], type: T, control?: Int32Array): Promise<Extract<FromShard, { type: T }>[]> {
  const all = await Promise.all(
    peers.map((p) =>
      p.next().then((m) => {
        if (m.type === 'failed' && control) Atomics.store(control, CONTROL_STOP, 1);
        return m;
      }),
    ),
  );
  for (const m of all) {
    if (m.type === 'failed') {
      if (m.name === 'NotTransferable') throw new NotTransferable(m.message);
      if (m.name === 'PeerLost') throw new PeerLost(m.message);
      throw new SpecError(m.message, { handler: m.handler });
    }
    if (m.type !== type) throw new Error(`search worker replied ${m.type}, expected ${type}`);
  }
  return all as Extract<FromShard, { type: T }>[];
}

export interface ParallelOptions {
  readonly file: string;
  readonly params: ShardData['params'];
  readonly workers: number;
  /** The space this thread searches in before the shards take over (default: a new one). */
  readonly space?: ShardSpace;
  /** Writes checkpoints (--checkpoint) of that space; when resuming, it has restored it. */
  readonly checkpointer?: Checkpointer;
  /** Other shards than threads of this process (src/cluster/): `workers` of them, started when the search hands over. */
  readonly startPeers?: (control: Int32Array) => ShardPeer[];
  /** Called at every boundary of the shared search, before the level at `depth` is sent (a cluster moves shards to late workers here). */
  readonly atBoundary?: (depth: number) => Promise<void>;
}

/**
 * Returns how many threads searched: 1 when the search was over before the shards
 * took over, 0 when a state turned out not to be movable between threads (an
 * Immutable.js Record): the search must then be run again on one thread.
 */
export async function parallelBfs(search: Search<unknown>, opts: ParallelOptions): Promise<number> {
  const { options } = search;
  const N = opts.workers;
  const control = new Int32Array(new SharedArrayBuffer((CONTROL_MAIL + N) * 4));
  let shared = false;
  let timeUpAt: number | undefined;
  const halt = (reason: NonNullable<Search<unknown>['stopped']>) => {
    if (reason === 'maxTime') timeUpAt ??= Date.now();
    search.budget.stopped ??= reason;
    Atomics.store(control, CONTROL_STOP, 1);
  };
  const deadline = options.maxTimeMs === undefined ? Infinity : search.counts.startedAt + options.maxTimeMs;
  // options.shouldStop also beats the command's heartbeat, by which its watchdog tells
  // a spec call that never returns (cli/jobs.ts) and then has it named on one thread
  // (cli/call-limit.ts). While shard threads expand a level, this thread only waits, so
  // it polls (and beats) only when they beat too: a shard stuck in the spec's code then
  // looks stuck, as one thread would. (A cluster's shards beat in their own processes:
  // its coordinator polls as it waits.)
  // Past --max-time, shards that have not answered within MAX_TIME_GRACE_MS (they stop at
  // their next 256th state) are stuck in the spec's code, here or on a cluster's worker:
  // the watchdog then ends the check ("--max-time: the check did not stop").
  let shardBeats = 0;
  const shardsAlive = (): boolean => {
    if (timeUpAt !== undefined && Date.now() - timeUpAt >= MAX_TIME_GRACE_MS) return false;
    if (!peers.some((p) => p instanceof Peer && p.expanding)) return true;
    const beats = Atomics.load(control, CONTROL_BEAT);
    if (beats === shardBeats) return false;
    shardBeats = beats;
    return true;
  };
  // Bounds and signals are polled here while the shards run (they stop at their next 256th state).
  const pollBounds = () => {
    const now = Date.now();
    if (shardsAlive() && options.shouldStop?.()) halt('interrupted');
    else if (now >= deadline) halt('maxTime');
    else if (options.maxMemoryBytes !== undefined && process.memoryUsage.rss() >= options.maxMemoryBytes) halt('maxMemory');
    else search.budget.progress(now, () => (shared ? { ...search.stats(), sharedBy: N } : search.stats()));
  };
  let peers: ShardPeer[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    // One thread searches alone until the shards are up and a level is worth sharing.
    const space = opts.space ?? spaceFor(search, true);
    const { checkpointer } = opts;
    const loop = new LevelLoop(search, space, checkpointer);
    const position = checkpointer?.position;
    if (!(position !== undefined ? loop.resume(position) : loop.start())) return 1;
    let started: Promise<unknown> | undefined;
    let ready = false;
    let spawnedAt = 0;
    let pace = 0; // ms per state alone, by the last level
    const everyLevel = shareEveryLevel();
    const from = shareFrom();
    for (;;) {
      const count = loop.levelSize;
      const now = Date.now();
      if (started === undefined && loop.depth >= from && (everyLevel || now - search.counts.startedAt >= SPAWN_AFTER_MS)) {
        peers = opts.startPeers ? opts.startPeers(control) : startShards(opts, search, control);
        started = replies(peers, 'ready').then(() => (ready = true));
        started.catch(() => {}); // handled where it is awaited
        spawnedAt = now;
        timer = setInterval(pollBounds, 50);
      }
      // A long level waits for the shards rather than be searched alone.
      if (started !== undefined && (everyLevel || (count >= MIN_SHARED_LEVEL && READY_MS - (now - spawnedAt) < (count * pace) / 2))) await started;
      else if (started !== undefined && !ready) await Promise.race([started, new Promise((resolve) => setImmediate(resolve))]);
      // (A level a resumed search had begun is finished here: the shards take whole levels.)
      if (ready && !loop.midLevel && loop.depth >= from && (everyLevel || count >= MIN_SHARED_LEVEL)) break;
      const t0 = performance.now();
      if (!loop.level()) return 1;
      if (count >= PACE_FROM_STATES) pace = (performance.now() - t0) / count;
    }
    const ids = await handOver(search, space, loop.levelSize, peers);
    if (ids === undefined) {
      // Its states cannot cross threads (Immutable.js Records): this thread goes on alone.
      while (loop.level());
      return 1;
    }
    shared = true;
    const sharedPeers = peers;
    // From here on the shards keep the links of the states numbered; this thread, their owners.
    const owners = new Owners(search.links.size, N);
    const checkpoints =
      checkpointer &&
      new SharedCheckpoints(search, space, checkpointer, owners, async (queued) => {
        sharedPeers.forEach((p) => p.send({ type: 'dump', queued }));
        return replies(sharedPeers, 'dumped');
      });
    await searchShared(search, peers, control, ids, loop.depth, { floors: loop.floors, base: space.id(0) }, halt, checkpoints, opts.atBoundary, owners);
    if (checkpoints && search.stopped !== undefined && search.found === undefined && search.error === undefined) await checkpoints.stopped();
    return N;
  } catch (e) {
    if (e instanceof NotTransferable) return 0;
    if (!(e instanceof SpecError)) throw e;
    search.error = e;
    return peers.length > 0 ? N : 1;
  } finally {
    search.counts.queueSize = 0;
    if (timer) clearInterval(timer);
    // Not awaited: a worker still loading the spec can take a while to stop, and nothing waits on it.
    for (const p of peers) p.close();
  }
}

/** Starts the shard threads, each with a channel to every other (exported for the tests, which wrap them). */
export function startShards(opts: ParallelOptions, search: Search<unknown>, control: Int32Array): ShardPeer[] {
  const N = opts.workers;
  const ports: (MessagePort | undefined)[][] = Array.from({ length: N }, () => new Array<MessagePort | undefined>(N).fill(undefined));
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const { port1, port2 } = new MessageChannel();
      ports[i]![j] = port1;
      ports[j]![i] = port2;
    }
  }
  const { options } = search;
  return ports.map((mine, index) => {
    const workerData: ShardData = {
      file: opts.file,
      params: opts.params,
      faults: options.faults,
      symmetry: search.system.canonical !== undefined,
      recheckRate: options.recheckRate,
      deadlock: options.deadlock === true,
      index,
      shards: N,
      ports: mine,
      control: control.buffer as SharedArrayBuffer,
    };
    return new Peer(new Worker(workerUrl, { workerData, transferList: mine.filter((p): p is MessagePort => p !== undefined) }));
  });
}

/**
 * Sends each shard the fingerprints it owns and its states of the level to expand
 * next (`count` of them, from the space's level); returns their ids, by shard.
 */
async function handOver(search: Search<unknown>, space: ShardSpace, count: number, peers: ShardPeer[]): Promise<Int32Array[] | undefined> {
  const N = peers.length;
  // Counted first, then written into arrays of their size (a resumed search hands over millions).
  const sizes = new Int32Array(N);
  space.visited.forEach((_a, b) => sizes[ownerOf(b, N)]! += 2);
  const fps = Array.from(sizes, (n) => new Int32Array(n));
  const filled = new Int32Array(N);
  space.visited.forEach((a, b) => {
    const s = ownerOf(b, N);
    fps[s]![filled[s]!++] = a;
    fps[s]![filled[s]!++] = b;
  });
  const boxes = peers.map(() => new Outbox(space.W, space.codec));
  const ids: number[][] = peers.map(() => []);
  const fp = new Uint32Array(2);
  for (let i = 0; i < count; i++) {
    const words = space.levelWords(i);
    fingerprintOf(search, space, words, fp);
    const owner = ownerOf(fp[1]! | 0, N);
    try {
      boxes[owner]!.push(fp[0]! | 0, fp[1]! | 0, space.id(i), 0, words, 0);
    } catch (e) {
      if (e instanceof NotTransferable) return undefined;
      throw e;
    }
    ids[owner]!.push(space.id(i));
  }
  peers.forEach((p, s) => {
    const batch = boxes[s]!.take(true);
    const list = fps[s]!;
    p.send({ type: 'seed', fps: list, batch, fullChecksLeft: space.fullChecksLeft }, [list.buffer, batch.records.buffer as ArrayBuffer]);
  });
  await replies(peers, 'seeded');
  return ids.map((l) => Int32Array.from(l));
}

/** The fingerprint a shard keys a state by, from its words. */
function fingerprintOf(search: Search<unknown>, space: ShardSpace, words: Int32Array, out: Uint32Array): void {
  const codec = space.codec;
  if (codec === undefined) hashWords(words, 0, words.length, out);
  else if (codec.fingerprintWords) codec.fingerprintWords(words, 0, out);
  else {
    search.hasher.fingerprint(codec.decode(words, 0), null);
    out.set(search.hasher.fp);
  }
}

/** A moment of the one-thread order: the transition (parent, ordinal). */
function before(p1: number, o1: number, p2: number, o2: number): boolean {
  return p1 < p2 || (p1 === p2 && o1 < o2);
}

/** A shard's event with its shard, and its moment in one thread's order. */
interface Met {
  readonly event: ShardEvent;
  readonly shard: number;
  readonly parent: number;
  readonly ordinal: number;
}

/**
 * One thread meets, at one transition, a failing action property before the new
 * state's invariants, and those before an error in admitting it.
 */
const KIND_ORDER: Record<ShardEvent['kind'], number> = { actionProperty: 0, invariant: 1, deadlock: 2, sometimes: 3, liveness: 3, error: 3 };

/**
 * The level's events in one thread's order. The nondeterminism check's error
 * (ordinal AFTER_ALL, kind error) comes after the whole level, where one thread runs it.
 */
function inOrder(done: readonly { readonly events: readonly ShardEvent[] }[]): Met[] {
  const all: Met[] = [];
  done.forEach((d, shard) => {
    for (const event of d.events) {
      const afterLevel = event.kind === 'error' && event.ordinal === AFTER_ALL;
      all.push({ event, shard, parent: afterLevel ? Infinity : event.parent, ordinal: event.ordinal });
    }
  });
  return all.sort((x, y) => x.parent - y.parent || x.ordinal - y.ordinal || KIND_ORDER[x.event.kind] - KIND_ORDER[y.event.kind]);
}

/** The floors of a level (fault-floors.ts), by the ids of its states from `base` on. */
interface Floors {
  readonly floors: Uint8Array;
  readonly base: number;
}

/**
 * The moment the level's events end the search, as one thread meets them (bfs.ts):
 * the first event. Ranking faults, an error at once, and a violation at once when no
 * successor still to come could have fewer faults, else after the state whose
 * expansion settles it. Infinity: the level's end.
 */
function endOf(events: readonly Met[], rank: boolean, { floors, base }: Floors): [number, number] {
  if (!rank) return events.length === 0 ? [Infinity, AFTER_ALL] : [events[0]!.parent, events[0]!.ordinal];
  let best = Infinity;
  let e = 0;
  // One thread checks after each state it expands; `i` runs over the level (ids from `base`).
  for (let i = 0; i < floors.length; i++) {
    for (; e < events.length && events[e]!.parent === base + i; e++) {
      const m = events[e]!;
      if (m.event.kind === 'error') return [m.parent, m.ordinal];
      best = Math.min(best, m.event.faults!);
      if (best <= floors[i]!) return [m.parent, m.ordinal];
    }
    if (best <= floorAfter(floors, i)) return [base + i, AFTER_ALL];
  }
  const error = events.find((m) => m.event.kind === 'error'); // the nondeterminism check, after the level
  return error === undefined ? [Infinity, AFTER_ALL] : [error.parent, error.ordinal];
}

/**
 * The event that ends the search among those up to the end: the first; ranking
 * faults, the violation with the fewest faults (the first among equals) met before
 * any error, or else the error.
 */
function chosen(events: readonly Met[], endParent: number, endOrdinal: number, rank: boolean): Met | undefined {
  let best: Met | undefined;
  for (const m of events) {
    if (before(endParent, endOrdinal, m.parent, m.ordinal)) break;
    if (!rank || m.event.kind === 'error') return best ?? m;
    if (best === undefined || m.event.faults! < best.event.faults!) best = m;
  }
  return best;
}

/** The shared levels, until the search is over. */
async function searchShared(
  search: Search<unknown>,
  peers: ShardPeer[],
  control: Int32Array,
  firstIds: Int32Array[],
  firstDepth: number,
  firstFloors: Floors,
  halt: (r: 'maxStates') => void,
  checkpoints: SharedCheckpoints | undefined,
  atBoundary: ParallelOptions['atBoundary'],
  owners: Owners,
): Promise<void> {
  const { options } = search;
  const links = search.links as LinkColumns;
  let ids = firstIds;
  let floors = firstFloors;
  let levelSize = ids.reduce((n, l) => n + l.length, 0);
  search.counts.queueSize = levelSize;
  for (let depth = firstDepth; ; depth++) {
    if (levelSize === 0) return;
    if (checkpoints && !(await checkpoints.atBoundary(depth, ids, floors.base, floors.floors))) return;
    if (search.stopped !== undefined) return;
    await atBoundary?.(depth);
    checkpoints?.sending();
    const probe = depth >= (options.maxDepth ?? Infinity);
    peers.forEach((p, s) => p.send({ type: 'level', ids: ids[s]!, depth, probe }));
    const done = await replies(peers, 'levelDone', control);
    // The shards hold the visited sets and the links now; this thread, the states' owners.
    const shardBytes = done.reduce((n, d) => n + d.bytes, 0);
    search.storeIn({ ...search.storage, bytesElsewhere: () => shardBytes + owners.bytes });
    if (done.some((d) => d.interrupted)) search.budget.stopped ??= 'interrupted';
    if (probe) {
      if (done.some((d) => d.anyNew)) search.budget.stopped = 'maxDepth';
      return;
    }
    // Where the level's events end it, in one thread's order.
    const rank = search.checker.ranksFaults;
    const events = inOrder(done);
    let [endParent, endOrdinal] = endOf(events, rank, floors);
    // Ranking faults, the state bound does not cut short a level with a violation met (bfs.ts).
    const pending = rank ? events.find((m) => m.event.kind !== 'error') : undefined;
    // Number the new states in one thread's order, up to that moment.
    const nextBase = links.size;
    const numbered = numberLevel(search, done, owners, rank, pending, endParent, endOrdinal, halt);
    const { next, faults } = numbered;
    [endParent, endOrdinal] = [numbered.endParent, numbered.endOrdinal];
    if (next.some((l) => l.length > 0)) search.counts.depth = depth + 1;
    // Counts, coverage and `sometimes` as one thread has them at that moment (coverage: the whole level).
    done.forEach((d, s) => {
      search.counts.generated += endParent === Infinity ? d.generated : generatedUntil(d.successors, ids[s]!, endParent, endOrdinal);
      d.coverage.forEach((c, i) => (search.counts.coverage[i]! += c));
      if (d.constraintInForce) search.counts.constraintInForce = true;
    });
    search.checker.keepPending(new Set(done.reduce((names, d) => names.filter((n) => d.pending.includes(n)), search.checker.unsatisfiedSometimes())));
    const end = chosen(events, endParent, endOrdinal, rank);
    // An invariant's state is the event's new state (its index among its shard's), numbered above.
    if (end !== undefined) return conclude(search, peers, owners, end.event, end.event.state === undefined ? undefined : next[end.shard]![end.event.state]);
    ids = next;
    floors = { floors: rank ? floorsOf(Uint8Array.from(faults)) : floors.floors, base: nextBase };
    levelSize = next.reduce((n, l) => n + l.length, 0);
    search.counts.queueSize = levelSize;
  }
}

/** A level's new states, numbered: their ids per shard, their faults (ranking faults) and where the numbering ended. */
interface Numbered {
  readonly next: Int32Array[];
  readonly faults: number[];
  readonly endParent: number;
  readonly endOrdinal: number;
}

/**
 * Numbers the level's new states in one thread's order (merging the shards' stamps),
 * up to the moment (endParent, endOrdinal) its events end it, or the state bound's.
 * A function of its own, not a loop inside searchShared: measured with --trace-opt on
 * two-phase.packed rms=8 with 2 workers, TurboFan compiled the async searchShared 13
 * times (on-stack for this loop each level, then dropped at the code after it for
 * want of type feedback there), the largest compile job of the run. The shards wait
 * while it runs: with the stamps read through `done[t].stamps` and the ids pushed to
 * arrays and lent one by one, it took 1.33 s of two-phase.packed rms=9 with 2 workers
 * (10.3 M states; --cpu-prof, 28.6 s in all); so, 0.47 s (28.0 s in all).
 */
function numberLevel(
  search: Search<unknown>,
  done: readonly LevelDone[],
  owners: Owners,
  rank: boolean,
  pending: Met | undefined,
  endParent: number,
  endOrdinal: number,
  halt: (r: 'maxStates') => void,
): Numbered {
  const { options } = search;
  const links = search.links as LinkColumns;
  const N = done.length;
  const stamps = done.map((d) => d.stamps);
  const next = stamps.map((st) => new Int32Array(st.length / 3));
  const at = new Int32Array(N); // each shard's next stamp (its index in `next[s]`)
  const faults: number[] = []; // ranking faults: of the next level's states, by id
  // Ids are lent in order from here, and lent all at once (lendMany); until then the
  // distinct count, links.size - counts.outside, is id - outside.
  let id = links.size;
  let outside = search.counts.outside;
  const bound = options.maxStates ?? Infinity;
  for (;;) {
    let s = -1;
    let sp = 0;
    let so = 0;
    for (let t = 0; t < N; t++) {
      const k = at[t]!;
      const st = stamps[t]!;
      if (k * 3 === st.length) continue;
      const p = st[k * 3]!;
      const o = st[k * 3 + 1]!;
      if (s < 0 || p < sp || (p === sp && o < so)) [s, sp, so] = [t, p, o];
    }
    if (s < 0 || before(endParent, endOrdinal, sp, so)) break;
    const k = at[s]!;
    next[s]![k] = id++;
    owners.push(s);
    if (rank) faults.push(done[s]!.faults![k]!);
    if (stamps[s]![k * 3 + 2] === 1) outside++;
    at[s] = k + 1;
    // One thread checks its bounds after each state it expands (the parent's other
    // successors count too), unless an event of that state ended the search first.
    if (
      id - outside >= bound &&
      search.stopped === undefined &&
      before(sp, AFTER_ALL, endParent, endOrdinal) &&
      (pending === undefined || before(sp, AFTER_ALL, pending.parent, pending.ordinal))
    ) {
      links.lendMany(id - links.size);
      search.counts.outside = outside;
      halt('maxStates');
      [endParent, endOrdinal] = [sp, AFTER_ALL];
    }
  }
  links.lendMany(id - links.size);
  search.counts.outside = outside;
  // Cut where the numbering ended (a copy: a view would carry its whole buffer to the shard).
  return { next: next.map((ids, s) => (at[s] === ids.length ? ids : ids.slice(0, at[s]))), faults, endParent, endOrdinal };
}

/** Transitions a shard generated up to the moment (parent, ordinal): its states' successors, in id order. */
function generatedUntil(successors: Int32Array, ids: Int32Array, parent: number, ordinal: number): number {
  let n = 0;
  for (let i = 0; i < successors.length; i++) {
    const id = ids[i]!;
    if (id < parent) n += successors[i]!;
    else if (id === parent) n += Math.min(successors[i]!, ordinal === AFTER_ALL ? successors[i]! : ordinal + 1);
  }
  return n;
}

/**
 * Borrows from their owners the links from state `id` back to the one-thread search's
 * states (whose links are here): one round a step, each asking the owner of the parent
 * the last answer named. Then the trace to `id` is rebuilt here as one thread's.
 */
async function borrowPath(links: LinkColumns, peers: ShardPeer[], owners: Owners, id: number): Promise<void> {
  for (let cur = id; cur >= links.stored; ) {
    const [s, k] = owners.locate(cur);
    peers[s]!.send({ type: 'links', at: Int32Array.of(k) });
    const m = await peers[s]!.next();
    if (m.type === 'failed') throw m.name === 'PeerLost' ? new PeerLost(m.message) : new Error(`internal: shard ${s + 1} failed to give a link: ${m.message}`);
    if (m.type !== 'linked') throw new Error(`internal: shard ${s + 1} replied ${m.type}, expected linked`);
    const parent = m.parents[0]!;
    if (!(parent < cur)) throw new Error(`internal: shard ${s + 1} gave state ${cur} the parent ${parent}`);
    links.borrow(cur, parent, m.actions[0]!);
    cur = parent;
  }
}

/** Records the event that ends the search, as one thread would. */
async function conclude(search: Search<unknown>, peers: ShardPeer[], owners: Owners, ev: ShardEvent, state: number | undefined): Promise<void> {
  const { system } = search;
  // The trace goes to the event's state (an invariant's new state), else to its parent (the transition's).
  const to = state ?? ev.parent;
  if (to >= 0) await borrowPath(search.links as LinkColumns, peers, owners, to);
  /** The transition (parent, ordinal), re-executed here: its label and successor. */
  const step = (): TraceStep | undefined => {
    if (ev.ordinal < 0 || ev.ordinal === AFTER_ALL) return undefined;
    const trace = reconstructTrace(system, search.links, ev.parent);
    let k = 0;
    let found: TraceStep | undefined;
    system.successors(trace[trace.length - 1]!.state, (next, _action, label) => {
      if (k++ === ev.ordinal) found = { action: resolveLabel(label), state: next };
    });
    return found;
  };
  if (ev.kind === 'error') {
    const err = new SpecError(ev.message, { handler: ev.error?.handler, role: ev.error?.role });
    if (ev.error?.action) err.action = ev.error.action;
    search.error = err;
    let last: TraceStep | undefined;
    try {
      last = step();
    } catch {
      // The step throws here too: the trace ends at its parent.
    }
    search.attachTrace(err, ev.parent, last);
    return;
  }
  if (ev.kind === 'actionProperty') {
    const t = step()!;
    search.checker.found = { property: ev.property!, kind: 'actionProperty', message: ev.message, stateId: ev.parent, transition: { label: t.action!, next: t.state }, faults: ev.faults };
    return;
  }
  search.checker.found = { property: ev.property!, kind: ev.kind as 'invariant' | 'deadlock', message: ev.message, stateId: ev.kind === 'deadlock' ? ev.parent : state!, faults: ev.faults };
}

