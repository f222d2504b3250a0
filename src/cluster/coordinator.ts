// The coordinator's side of a cluster (`check --cluster URL --cluster-workers N`): it
// waits for N workers to join, sends each its shard number and the run's settings
// (a worker refuses another spec by their hash), and then gives the parallel search
// (explore/parallel/coordinator.ts) one peer per worker, in place of its threads: the
// search, its level barrier and its merge are the same, so are the counts and traces.
// It watches that every worker is still there (its subscription to the engine ends
// with its process, even killed by SIGKILL) and turns a worker gone, a refused spec or
// a lost batch into a PeerLost/ClusterError: a stop with a message, never a count.
import fs from 'node:fs';
import { PeerLost, type ShardPeer } from '../explore/parallel/coordinator.js';
import { CONTROL_STOP, type FromShard, type ToShard } from '../explore/parallel/messages.js';
import { Bus, JOIN_CHANNEL, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import type { ClusterMessage, ToCoordinator } from './protocol.js';
import { runHash, type RunSettings } from './run-hash.js';

export interface ClusterOptions {
  /** redis://[:token@]host:port */
  readonly url: string;
  /** How many workers to wait for: the search's shards. */
  readonly workers: number;
}

/** How often the coordinator asks the engine whether every worker is still subscribed. */
const WATCH_MS = 200;

/** A worker process as one shard of the parallel search. */
class RemotePeer implements ShardPeer {
  private readonly waiting: ((m: FromShard) => void)[] = [];
  private readonly early: FromShard[] = [];
  private failure?: string;
  constructor(
    private readonly cluster: Cluster,
    readonly index: number,
    readonly id: string,
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
    this.cluster.sendTo(this, { t: 'shard', m });
  }
  close(): void {
    // The cluster says bye to every worker when the check is over (Cluster.close).
  }
}

export class Cluster {
  private peers: RemotePeer[] = [];
  private readonly byId = new Map<string, RemotePeer>();
  private watch?: NodeJS.Timeout;
  private stopWatch?: NodeJS.Timeout;
  private lost?: string;
  private readonly joined = new Map<string, { host: string; pid: number; file: string }>();
  private readonly answers = new Map<string, ToCoordinator>();

  private constructor(
    private readonly options: ClusterOptions,
    private bus: Bus<ClusterMessage> | undefined,
  ) {}

  /** Workers are named by their shard and their process: "worker 2 of 3 (host-1234-…)". */
  private name(p: RemotePeer): string {
    return `worker ${p.index + 1} of ${this.peers.length} (${p.id})`;
  }

  /**
   * Connects to the engine and waits for `options.workers` workers; each is sent the
   * settings and the hash of the spec file with them, and must accept (its spec file
   * hashes the same). `shouldStop` is polled while waiting (a signal, and the job's heartbeat).
   */
  static async join(options: ClusterOptions, file: string, settings: RunSettings, shouldStop?: () => boolean, note?: (line: string) => void): Promise<Cluster> {
    const hash = runHash(fs.readFileSync(file), settings);
    const id = processId();
    const cluster = new Cluster(options, undefined);
    cluster.bus = await Bus.open<ClusterMessage>(options.url, id, [inboxOf(id), JOIN_CHANNEL], (m) => cluster.receive(m), (why) => cluster.failAll(why));
    try {
      const N = options.workers;
      note?.(`waiting for ${N} worker${N === 1 ? '' : 's'} at ${shownUrl(options.url)} (faultline worker ${file} --cluster URL)`);
      // Hellos are repeated by the workers until they are welcomed.
      await cluster.until(async () => {
        for (const w of [...cluster.joined.keys()]) if (!(await cluster.bus!.listening(w))) cluster.joined.delete(w);
        return cluster.joined.size >= N;
      }, shouldStop, () => `stopped while waiting for ${N} workers (${cluster.joined.size} joined)`);
      const ids = [...cluster.joined.keys()].slice(0, N);
      cluster.peers = ids.map((w, index) => new RemotePeer(cluster, index, w));
      for (const p of cluster.peers) cluster.byId.set(p.id, p);
      for (const p of cluster.peers) cluster.sendTo(p, { t: 'welcome', index: p.index, shards: N, workers: ids, settings, hash });
      await cluster.until(async () => cluster.peers.every((p) => cluster.answers.has(p.id)), shouldStop, () => 'stopped while the workers were loading the spec');
      for (const p of cluster.peers) {
        const a = cluster.answers.get(p.id)!;
        if (a.t === 'refused') throw new ClusterError(`${cluster.name(p)} refused to join: ${a.message}`);
        if (a.t === 'lost') throw new ClusterError(`${cluster.name(p)} failed: ${a.message}`);
      }
      note?.(`${N} worker${N === 1 ? '' : 's'} joined: ${ids.join(', ')}`);
      cluster.watch = setInterval(() => void cluster.checkWorkers(), WATCH_MS);
      return cluster;
    } catch (e) {
      await cluster.close(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Polls `done` until it holds; a lost worker or engine, or `shouldStop`, ends the wait with an error. */
  private async until(done: () => Promise<boolean>, shouldStop: (() => boolean) | undefined, stopped: () => string): Promise<void> {
    for (;;) {
      if (this.lost !== undefined) throw new ClusterError(this.lost);
      if (await done()) return;
      if (shouldStop?.()) throw new ClusterError(stopped());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The shards, for the parallel search; `control`'s stop word is relayed to the workers. */
  startPeers(control: Int32Array): ShardPeer[] {
    let stopSent = false;
    this.stopWatch = setInterval(() => {
      if (stopSent || Atomics.load(control, CONTROL_STOP) === 0) return;
      stopSent = true;
      for (const p of this.peers) this.sendTo(p, { t: 'stop' });
    }, 20);
    return this.peers;
  }

  sendTo(p: RemotePeer, body: ClusterMessage): void {
    this.bus!.send(p.id, body).then(
      (n) => {
        if (n === 0) p.fail(`${this.name(p)} is gone: nobody listens on its channel any more`);
      },
      (e: unknown) => this.failAll(`cannot reach the engine at ${shownUrl(this.options.url)}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private receive(m: Envelope<ClusterMessage>): void {
    const body = m.body;
    if (body.t === 'hello') {
      if (this.peers.length === 0 && !this.joined.has(m.from)) this.joined.set(m.from, { host: body.host, pid: body.pid, file: body.file });
      return;
    }
    const p = this.byId.get(m.from);
    if (p === undefined) return; // not one of this run's workers
    if (body.t === 'accepted' || body.t === 'refused') this.answers.set(p.id, body);
    else if (body.t === 'reply') p.deliver(body.m);
    else if (body.t === 'lost') {
      this.answers.set(p.id, body);
      p.fail(`${this.name(p)} stopped: ${body.message}`);
    }
  }

  private async checkWorkers(): Promise<void> {
    for (const p of this.peers) {
      try {
        if (!(await this.bus!.listening(p.id))) p.fail(`${this.name(p)} left the cluster mid-search: its connection to the engine closed (killed, or its machine went down)`);
      } catch {
        // The engine itself: its connection's end is reported by the bus.
      }
    }
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
    const everyone = new Set([...this.joined.keys(), ...this.peers.map((p) => p.id)]);
    await Promise.all([...everyone].map((w) => bus.send(w, { t: 'bye', reason }).catch(() => 0)));
    await bus.close();
  }
}
