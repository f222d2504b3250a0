// The cluster's messages travel through Redis publish/subscribe (docs/cluster.md says
// why Redis: measured against NATS with bench/cluster-engines.js). Every process has an
// inbox channel; a message is a structured-clone value (v8.serialize: what postMessage
// carries between threads, so the shard batches cross unchanged) in an envelope with
// its sender and a sequence number per (sender, receiver) pair. Pub/sub never redelivers,
// and loses messages only with a subscriber's connection, so the receiver checks the
// numbers (a gap or a repeat is a lost or duplicated batch), PUBLISH's count of
// receivers says whether the receiver is still there, and a connection that closes is
// never reopened: any of these stops the search with a message, never a wrong count.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import v8 from 'node:v8';
import type { Redis } from 'ioredis';
import { ClusterError } from './errors.js';

/** Where a process listens: `faultline:<role>:<id>`. */
export const JOIN_CHANNEL = 'faultline:join';
export const inboxOf = (id: string): string => `faultline:inbox:${id}`;

/** FAULTLINE_CLUSTER_TRACE=1: every message in and out on stderr (for debugging a cluster). */
const trace = process.env.FAULTLINE_CLUSTER_TRACE === '1';
const describe = (b: unknown): string => {
  const o = b as { t?: string; m?: { type?: string } };
  return `${o.t ?? '?'}${o.m?.type ? ` ${o.m.type}` : ''}`;
};

export interface Envelope<B> {
  readonly from: string;
  /** 1, 2, … per (sender, receiver); 0 on the join channel (hellos are repeated). */
  readonly seq: number;
  readonly body: B;
}

/** A fresh id for this process: host, pid and random bits (the host and pid name it in messages). */
export function processId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** The environment variable a token can come from instead of the URL, out of sight of `ps`. */
export const TOKEN_VARIABLE = 'FAULTLINE_CLUSTER_TOKEN';

/**
 * The URL to connect to: redis://[:token@]host:port as the user gave it (only redis: and
 * rediss: (TLS) are engines), with FAULTLINE_CLUSTER_TOKEN as its password when it has none.
 */
function connectionUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ClusterError(`--cluster ${url}: not a URL (expected redis://[:token@]host:port)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new ClusterError(`--cluster ${url}: the engine is Redis: expected redis://[:token@]host:port or rediss://…`);
  const token = process.env[TOKEN_VARIABLE];
  if (u.password !== '' || token === undefined || token === '') return url;
  u.password = token;
  return u.toString();
}

/** The URL without its credentials, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export class Bus<B> {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly sent = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private closing = false;
  /** The last error a connection reported: its reason (a wrong token: NOAUTH, WRONGPASS) beats "Connection is closed". */
  private lastError?: Error;
  /** For the tests (FAULTLINE_CLUSTER_DUPLICATE_BATCH): the next message for which `duplicate` says yes is published twice. */
  duplicateOnce?: (body: B) => boolean;

  private constructor(
    RedisClient: typeof Redis,
    readonly id: string,
    readonly url: string,
    private readonly onMessage: (m: Envelope<B>) => void,
    private readonly onLost: (why: string) => void,
  ) {
    // No reconnection: messages published while a subscriber is away are lost for good.
    const options = { retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: true, lazyConnect: true };
    const connectTo = connectionUrl(url);
    this.pub = new RedisClient(connectTo, options);
    this.sub = new RedisClient(connectTo, options);
    for (const [name, c] of [['publishing', this.pub], ['subscribed', this.sub]] as const) {
      c.on('error', (e: Error) => (this.lastError = e)); // reported with 'end', or by open()
      c.on('end', () => {
        if (!this.closing) this.onLost(`the ${name} connection to ${shownUrl(url)} closed${this.lastError ? ` (${this.lastError.message})` : ''}`);
      });
    }
    this.sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => this.deliver(data));
  }

  /** Connects and listens on `channels` (this process's inbox, and the join channel for a coordinator). */
  static async open<B>(url: string, id: string, channels: string[], onMessage: (m: Envelope<B>) => void, onLost: (why: string) => void): Promise<Bus<B>> {
    // Loaded here, not at the top: every spec imports faultline (and with it this
    // module), every thread of a parallel search loads its spec, and ioredis alone
    // took 190 ms of CPU to load per thread (measured), for runs that mostly use no cluster.
    const { Redis: RedisClient } = await import('ioredis');
    const bus = new Bus<B>(RedisClient, id, url, onMessage, onLost);
    try {
      await Promise.all([bus.pub.connect(), bus.sub.connect()]);
      await bus.sub.subscribe(...channels);
    } catch (e) {
      await bus.close();
      const why = bus.lastError ?? e;
      throw new ClusterError(`cannot reach the cluster's engine at ${shownUrl(url)}: ${why instanceof Error ? why.message : String(why)}`);
    }
    return bus;
  }

  private deliver(data: Buffer): void {
    let m: Envelope<B>;
    try {
      m = v8.deserialize(data) as Envelope<B>;
    } catch {
      this.onLost('a message on the cluster channel is not faultline\'s (another program uses these channel names?)');
      return;
    }
    if (m.seq > 0) {
      const last = this.received.get(m.from) ?? 0;
      if (m.seq !== last + 1) {
        this.onLost(
          m.seq <= last
            ? `message ${m.seq} from ${m.from} arrived again (a duplicated batch): the search cannot count it once`
            : `messages ${last + 1}–${m.seq - 1} from ${m.from} never arrived (lost batches): the search cannot be complete`,
        );
        return;
      }
      this.received.set(m.from, m.seq);
    }
    if (trace) process.stderr.write(`${(performance.now() | 0)} [bus ${this.id}] <- ${m.from} #${m.seq} ${describe(m.body)}\n`);
    this.onMessage(m);
  }

  /** Sends to `to`'s inbox; returns how many subscribers got it (0: the receiver is gone). */
  async send(to: string, body: B): Promise<number> {
    const seq = (this.sent.get(to) ?? 0) + 1;
    this.sent.set(to, seq);
    const data = v8.serialize({ from: this.id, seq, body } satisfies Envelope<B>);
    const n = await this.pub.publish(inboxOf(to), data);
    if (trace) process.stderr.write(`${(performance.now() | 0)} [bus ${this.id}] -> ${to} #${seq} ${describe(body)} (${n} got it)\n`);
    if (this.duplicateOnce?.(body)) {
      this.duplicateOnce = undefined;
      await this.pub.publish(inboxOf(to), data);
    }
    return n;
  }

  /** A hello on the join channel (no sequence number: it is repeated until answered). */
  async announce(body: B): Promise<void> {
    await this.pub.publish(JOIN_CHANNEL, v8.serialize({ from: this.id, seq: 0, body } satisfies Envelope<B>));
  }

  /** Whether `id`'s process still listens on its inbox (its connection closes when it dies, even by SIGKILL). */
  async listening(id: string): Promise<boolean> {
    const reply = (await this.pub.pubsub('NUMSUB', inboxOf(id))) as [string, number | string];
    return Number(reply[1]) > 0;
  }

  /** Sends `body` (a bye) to each of `to`, whether or not it still listens, then closes. */
  async closeWith(to: Iterable<string>, body: B): Promise<void> {
    await Promise.all([...new Set(to)].map((w) => this.send(w, body).catch(() => 0)));
    await this.close();
  }

  /** Closes both connections once what was published has gone out. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [this.pub, this.sub].map((c) =>
        c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect(),
      ),
    );
  }
}
