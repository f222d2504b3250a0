// What the coordinator (coordinator.ts) and the workers (worker.ts) of a cluster say
// to each other over the engine (bus.ts). The shard messages are those the threads of
// one process exchange (explore/parallel/messages.ts), carried unchanged.
import type { Batch } from '../explore/parallel/exchange.js';
import type { FromShard, ToShard } from '../explore/parallel/messages.js';
import type { RunSettings } from './run-hash.js';
import type { SwarmToCoordinator, SwarmToWorker } from './swarm-protocol.js';

export type ToWorker =
  /** You are shard `index` of `shards`; `workers` are every shard's process ids; check `hash` against your spec file. */
  | { readonly t: 'welcome'; readonly index: number; readonly shards: number; readonly workers: readonly string[]; readonly settings: RunSettings; readonly hash: string }
  | { readonly t: 'shard'; readonly m: ToShard }
  /** Stop the level now (a bound, a signal, or another worker failed). */
  | { readonly t: 'stop' }
  /** The search is over (or never started): exit. */
  | { readonly t: 'bye'; readonly reason: string }
  /** Successors from shard `from`. */
  | { readonly t: 'batch'; readonly from: number; readonly batch: Batch }
  /** A swarm's messages (swarm-protocol.ts). */
  | SwarmToWorker;

export type ToCoordinator =
  | { readonly t: 'hello'; readonly host: string; readonly pid: number; readonly file: string }
  | { readonly t: 'accepted' }
  | { readonly t: 'refused'; readonly message: string }
  | { readonly t: 'reply'; readonly m: FromShard }
  /** The worker's exchange failed (a lost or duplicated batch, a worker gone): it stops. */
  | { readonly t: 'lost'; readonly message: string }
  | SwarmToCoordinator;

export type ClusterMessage = ToWorker | ToCoordinator;
