// The coordinator's side of a cluster (`check --cluster URL --cluster-workers N`): the
// search has N shards, and N workers are asked for. It waits for them (or, with
// --cluster-start-after, for at least one and that long), sends each the run's
// settings (a worker refuses another spec by their hash), spreads the N shards over
// the workers there, and gives the parallel search (explore/parallel/coordinator.ts)
// one peer per shard, in place of its threads: the search, its level barrier and its
// merge are the same, so are the counts and traces. A worker that joins later is
// welcomed too, and at the next level boundary a shard moves to it from the worker
// with the most (`atBoundary`: dumped there, loaded into a fresh thread on the new
// worker, then every worker is told the new routing). It watches that every worker
// is still there (its subscription to the engine ends with its process, even killed
// by SIGKILL) and turns a worker gone, a refused spec or a lost batch into a
// PeerLost/ClusterError: a stop with a message, never a count.
import fs from 'node:fs';
import { PeerLost, type ShardPeer } from '../explore/parallel/coordinator.js';
import { CONTROL_STOP, type FromShard, type ToShard } from '../explore/parallel/messages.js';
import { Bus, JOIN_CHANNEL, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import { Gathering, isAnswer, watchSubscribed } from './gather.js';
import { waitUntil } from './wait.js';
import type { ClusterMessage, ToWorker } from './protocol.js';
import { runHash, type RunSettings } from './run-hash.js';

export interface ClusterOptions {
  /** redis://[:token@]host:port */
  readonly url: string;
  /** The search's shards: how many workers it asks for. */
  readonly workers: number;
  /**
   * Start the search once at least one worker has joined and this many ms have passed
   * (undefined: wait for all of them); the shards of workers still to come are hosted
   * by those there until they join.
   */
  readonly startAfterMs?: number;
}

/** A worker process that accepted the run: it hosts some shards, or none yet (it joined late). */
interface Member {
  readonly id: string;
  /** 1, 2, …: the order in which the workers were accepted. */
  readonly number: number;
  gone: boolean;
}

/** One shard of the parallel search, on whichever worker hosts it now. */
class RemotePeer implements ShardPeer {
  private readonly waiting: ((m: FromShard) => void)[] = [];
  private readonly early: FromShard[] = [];
  private failure?: string;
  constructor(
    private readonly cluster: Cluster,
    readonly index: number,
    public host: Member,
  ) {}
  deliver(m: FromShard): void {
    const w = this.waiting.shift();
    if (w) w(m);
    else this.early.push(m);
  }
  fail(message: string): void {
    this.failure ??= message;
    for (const w of this.waiting.splice(0)) w(this.failed());
  }
  /** Back on its old worker after a move failed: what the lost one said or failed is forgotten. */
  restore(host: Member): void {
    this.host = host;
    this.failure = undefined;
    this.early.length = 0;
  }
  private failed(): FromShard {
    return { type: 'failed', name: 'PeerLost', message: this.failure! };
  }
  next(): Promise<FromShard> {
    const m = this.early.shift();
    if (m) return Promise.resolve(m);
    if (this.failure !== undefined) return Promise.resolve(this.failed());
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  send(m: ToShard): void {
    this.cluster.sendTo(this.host, { t: 'shard', shard: this.index, m });
  }
  close(): void {
    // The cluster says bye to every worker when the check is over (Cluster.close).
  }
}

/** For the tests: FAULTLINE_CLUSTER_HOLD="3:2,5:3" holds the boundary before depth 3 until 2 workers said hello, before 5 until 3. */
function holds(): Map<number, number> {
  const held = new Map<number, number>();
  for (const pair of (process.env.FAULTLINE_CLUSTER_HOLD ?? '').split(',')) {
    const m = /^(\d+):(\d+)$/.exec(pair.trim());
    if (m) held.set(Number(m[1]), Number(m[2]));
  }
  return held;
}

export class Cluster {
  private peers: RemotePeer[] = [];
  private readonly members: Member[] = [];
  private readonly byId = new Map<string, Member>();
  private watch?: NodeJS.Timeout;
  private stopWatch?: NodeJS.Timeout;
  private lost?: string;
  /** Workers that said hello and may be welcomed (before the start: the candidates), and their answers. */
  private readonly gathering = new Gathering(() => this.bus!, (done, stopped) => this.until(done, stopped));
  /** Every worker that ever said hello: each is sent bye at the end, welcomed or not. */
  private readonly helloed = new Set<string>();
  /** Welcomed, not yet answered. */
  private readonly welcomed = new Set<string>();
  /** Accepted after the search started, hosting nothing yet: each takes a shard at the next boundary. */
  private readonly idle: Member[] = [];
  private readonly routed = new Set<string>();
  private started = false;
  private readonly held = holds();
  private welcomeBody?: ToWorker;
  private shouldStop?: () => boolean;
  private note: (line: string) => void = () => {};

  private constructor(
    private readonly options: ClusterOptions,
    private bus: Bus<ClusterMessage> | undefined,
  ) {}

  /** Workers are named by the order they were accepted in and their process: "worker 2 of 3 (host-1234-…)". */
  private name(w: Member): string {
    return `worker ${w.number} of ${this.options.workers} (${w.id})`;
  }

  private shardsOf(w: Member): RemotePeer[] {
    return this.peers.filter((p) => p.host === w);
  }

  private hosting(): Member[] {
    return this.members.filter((w) => this.shardsOf(w).length > 0);
  }

  /**
   * Connects to the engine and waits for `options.workers` workers (with `startAfterMs`,
   * for at least one and that long); each is sent the settings and the hash of the spec
   * file with them, and must accept (its spec file hashes the same). The shards are
   * then spread over them. `shouldStop` is polled while waiting (a signal, and the job's heartbeat).
   */
  static async join(options: ClusterOptions, file: string, settings: RunSettings, shouldStop?: () => boolean, note?: (line: string) => void): Promise<Cluster> {
    const hash = runHash(fs.readFileSync(file), settings);
    const id = processId();
    const cluster = new Cluster(options, undefined);
    cluster.shouldStop = shouldStop;
    if (note) cluster.note = note;
    cluster.bus = await Bus.open<ClusterMessage>(options.url, id, [inboxOf(id), JOIN_CHANNEL], (m) => cluster.receive(m), (why) => cluster.failAll(why));
    try {
      const N = options.workers;
      const after = options.startAfterMs;
      cluster.note(
        `waiting for ${N} worker${N === 1 ? '' : 's'}${after === undefined || N === 1 ? '' : ` (starting after ${after / 1000} s with those there)`} at ${shownUrl(options.url)} (faultline worker ${file} --cluster URL)`,
      );
      // Hellos are repeated by the workers until they are welcomed.
      const { candidates } = cluster.gathering;
      const ids = await cluster.gathering.workers(N, after);
      // More than N: the others are answered when they say hello again (no room, or a shard's place if one of these refuses).
      for (const w of [...candidates].slice(N)) candidates.delete(w);
      cluster.welcomeBody = { t: 'welcome', shards: N, settings, hash };
      for (const w of ids) cluster.welcome(w);
      await cluster.gathering.accepted(ids, (i, w) => `worker ${i + 1} of ${N} (${w})`);
      // Shard s on the (s mod k)-th worker; the shards of workers still to come move to them when they join.
      const k = cluster.members.length;
      cluster.peers = Array.from({ length: N }, (_, s) => new RemotePeer(cluster, s, cluster.members[s % k]!));
      cluster.watch = watchSubscribed(
        cluster.bus,
        () => [...cluster.members.filter((w) => !w.gone).map((w) => w.id), ...cluster.welcomed],
        (id) => {
          const w = cluster.byId.get(id);
          if (w === undefined) cluster.welcomed.delete(id);
          else cluster.memberGone(w, `${cluster.name(w)} left the cluster mid-search: its connection to the engine closed (killed, or its machine went down)`);
        },
      );
      for (const p of cluster.peers) cluster.sendTo(p.host, { t: 'host', shard: p.index });
      await cluster.sendRoute([]);
      cluster.started = true;
      if (k === N) cluster.note(`${N} worker${N === 1 ? '' : 's'} joined: ${ids.join(', ')}`);
      else cluster.note(`starting with ${k} of ${N} workers: ${cluster.members.map((w) => `${w.id} hosts ${cluster.shardList(w)}`).join('; ')}; a worker that joins later takes a shard over at the next level`);
      return cluster;
    } catch (e) {
      await cluster.close(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  private shardList(w: Member): string {
    const list = this.shardsOf(w).map((p) => p.index + 1);
    return `shard${list.length === 1 ? '' : 's'} ${list.join(', ')}`;
  }

  private welcome(w: string): void {
    this.welcomed.add(w);
    void this.bus!.send(w, this.welcomeBody!).catch(() => 0);
  }

  /** Polls `done` until it holds; a lost worker or engine, or `shouldStop`, ends the wait with an error. */
  private until(done: () => Promise<boolean> | boolean, stopped: () => string): Promise<void> {
    return waitUntil(done, { lost: () => this.lost, shouldStop: this.shouldStop, stopped, everyMs: 50 });
  }

  /** The shards, for the parallel search; `control`'s stop word is relayed to the workers. */
  startPeers(control: Int32Array): ShardPeer[] {
    let stopSent = false;
    this.stopWatch = setInterval(() => {
      if (stopSent || Atomics.load(control, CONTROL_STOP) === 0) return;
      stopSent = true;
      for (const w of this.hosting()) this.sendTo(w, { t: 'stop' });
    }, 20);
    return this.peers;
  }

  /**
   * At a level boundary (nothing in flight, every shard between levels): each worker
   * that joined since takes over one shard of the worker hosting the most, and every
   * worker is told the new routing before the level starts.
   */
  async atBoundary(depth: number): Promise<void> {
    const hold = this.held.get(depth);
    if (hold !== undefined) {
      await this.until(
        async () => this.gathering.candidates.size >= hold && this.welcomed.size === 0,
        () => `stopped while holding depth ${depth} for ${hold} workers (a test hook, FAULTLINE_CLUSTER_HOLD)`,
      );
    }
    const moved: number[] = [];
    for (;;) {
      const to = this.idle.shift();
      if (to === undefined) break;
      if (to.gone) continue;
      const from = this.hosting().reduce((a, b) => (this.shardsOf(b).length > this.shardsOf(a).length ? b : a));
      const shards = this.shardsOf(from);
      if (shards.length < 2) break; // (not reached: no more workers are welcomed than there are shards)
      const peer = shards[shards.length - 1]!;
      const size = await this.move(peer, from, to);
      if (size === undefined) {
        this.note(`depth ${depth}: ${this.name(to)} left while shard ${peer.index + 1} of ${this.options.workers} was moving to it: the shard stays on ${this.name(from)}`);
        continue;
      }
      const { visited, queued } = size;
      moved.push(peer.index);
      const n = (k: number) => k.toLocaleString('en-US');
      this.note(`depth ${depth}: shard ${peer.index + 1} of ${this.options.workers} (${n(visited)} states, ${n(queued)} queued) moved from ${this.name(from)} to ${this.name(to)}`);
    }
    if (moved.length > 0) await this.sendRoute(moved);
  }

  /**
   * Moves shard `peer` from `from` to `to`: dumped there (its visited fingerprints and
   * its queued states, with their parts), loaded into a fresh thread on `to` as a
   * hand-over seeds one, then ended on `from`. Returns how many states it holds and has
   * queued; undefined when `to` left on the way (the shard stays on `from`, which still has it).
   */
  private async move(peer: RemotePeer, from: Member, to: Member): Promise<{ visited: number; queued: number } | undefined> {
    peer.send({ type: 'dump', queued: true });
    const dumped = await replyOf(peer, 'dumped');
    peer.host = to;
    try {
      this.sendTo(to, { t: 'host', shard: peer.index });
      await replyOf(peer, 'ready');
      peer.send({ type: 'seed', fps: dumped.visited, batch: dumped.batch, links: dumped.links });
      await replyOf(peer, 'seeded');
    } catch (e) {
      if (!to.gone || from.gone) throw e;
      peer.restore(from);
      return undefined;
    }
    this.sendTo(from, { t: 'release', shard: peer.index });
    return { visited: dumped.visited.length / 2, queued: dumped.batch.count };
  }

  /** Tells every worker that hosts shards where each shard is (`moved`: shards with fresh threads), and waits for them to take it in. */
  private async sendRoute(moved: number[]): Promise<void> {
    const hosts = this.peers.map((p) => p.host.id);
    const to = this.hosting();
    for (const w of to) this.routed.delete(w.id);
    for (const w of to) this.sendTo(w, { t: 'route', hosts, moved });
    await this.until(
      async () => {
        const gone = to.find((w) => w.gone);
        if (gone) throw new PeerLost(`${this.name(gone)} left the cluster while the shards were moving`);
        return to.every((w) => this.routed.has(w.id));
      },
      () => 'stopped while the shards were moving',
    );
  }

  sendTo(w: Member, body: ClusterMessage): void {
    this.bus!.send(w.id, body).then(
      (n) => {
        if (n === 0) this.memberGone(w, `${this.name(w)} is gone: nobody listens on its channel any more`);
      },
      (e: unknown) => this.failAll(`cannot reach the engine at ${shownUrl(this.options.url)}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private receive(m: Envelope<ClusterMessage>): void {
    const body = m.body;
    if (body.t === 'hello') {
      this.helloed.add(m.from);
      if (this.gathering.candidates.has(m.from)) return;
      if (!this.started) {
        if (this.welcomeBody === undefined) this.gathering.hello(m.from);
        return;
      }
      this.gathering.hello(m.from);
      const N = this.options.workers;
      const taken = this.members.filter((w) => !w.gone).length + this.welcomed.size;
      if (taken < N) this.welcome(m.from);
      else {
        void this.bus!.send(m.from, { t: 'bye', reason: `the search has its ${N} worker${N === 1 ? '' : 's'} (one per shard): no room for another` }).catch(() => 0);
        this.note(`a worker joined (${m.from}), but every shard has a worker: told there is no room`);
      }
      return;
    }
    if (this.welcomed.has(m.from)) {
      if (!isAnswer(body)) return;
      this.welcomed.delete(m.from);
      this.gathering.answer(m.from, body);
      if (body.t !== 'accepted') {
        if (this.started) this.note(`a worker that joined late (${m.from}) did not: ${body.t === 'refused' ? `it refused: ${body.message}` : body.message}`);
        return;
      }
      const member: Member = { id: m.from, number: this.members.length + 1, gone: false };
      this.members.push(member);
      this.byId.set(member.id, member);
      if (this.started) {
        this.idle.push(member);
        this.note(`${this.name(member)} joined: it takes a shard over at the next level`);
      }
      return;
    }
    const w = this.byId.get(m.from);
    if (w === undefined) return; // not one of this run's workers
    if (body.t === 'reply') {
      const p = this.peers[body.shard];
      if (p !== undefined && p.host === w) p.deliver(body.m);
    } else if (body.t === 'routed') this.routed.add(w.id);
    else if (body.t === 'lost') this.memberGone(w, `${this.name(w)} stopped: ${body.message}`);
  }

  /** A worker is gone: its shards are lost (the search stops); a worker without shards is just dropped. */
  private memberGone(w: Member, why: string): void {
    if (w.gone) return;
    w.gone = true;
    const shards = this.shardsOf(w);
    if (shards.length === 0 && this.started) this.note(`${this.name(w)} left before it took a shard over`);
    for (const p of shards) p.fail(why);
  }

  private failAll(why: string): void {
    this.lost ??= why;
    for (const p of this.peers) p.fail(`the cluster failed: ${why}`);
  }

  /** Says bye to every worker (they exit) and leaves the engine. */
  async close(reason = 'the check is over'): Promise<void> {
    clearInterval(this.watch);
    clearInterval(this.stopWatch);
    const bus = this.bus;
    if (bus === undefined) return;
    await bus.closeWith([...this.helloed, ...this.members.map((w) => w.id)], { t: 'bye', reason });
  }
}

/** A shard's next reply, which must be `type` (a move's steps). */
async function replyOf<T extends FromShard['type']>(peer: RemotePeer, type: T): Promise<Extract<FromShard, { type: T }>> {
  const m = await peer.next();
  if (m.type === 'failed') throw m.name === 'PeerLost' ? new PeerLost(m.message) : new ClusterError(`shard ${peer.index + 1} failed while moving: ${m.message}`);
  if (m.type !== type) throw new Error(`internal: shard ${peer.index + 1} replied ${m.type} while moving, expected ${type}`);
  return m as Extract<FromShard, { type: T }>;
}
