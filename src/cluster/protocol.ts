// What the coordinator (coordinator.ts) and the workers (worker.ts) of a cluster say
// to each other over the engine (bus.ts). The shard messages are those the threads of
// one process exchange (explore/parallel/messages.ts), carried unchanged, with the
// shard they are for: a worker hosts one shard thread or several (fewer workers than
// shards joined yet), and a shard moves to a worker that joins late.
import type { Batch } from '../explore/parallel/exchange.js';
import type { FromShard, ToShard } from '../explore/parallel/messages.js';
import type { RunSettings } from './run-hash.js';
import type { SwarmToCoordinator, SwarmToWorker } from './swarm-protocol.js';

export type ToWorker =
  /** The search has `shards` shards; check `hash` against your spec file. */
  | { readonly t: 'welcome'; readonly shards: number; readonly settings: RunSettings; readonly hash: string }
  /** Start a thread for shard `shard` (it answers 'ready'; a moved shard is then seeded from its old thread's dump). */
  | { readonly t: 'host'; readonly shard: number }
  /** Shard `shard` has moved to another worker: end its thread here. */
  | { readonly t: 'release'; readonly shard: number }
  /** `hosts[s]` is the process of shard s from now on; `moved` shards have fresh threads. Answered 'routed'. */
  | { readonly t: 'route'; readonly hosts: readonly string[]; readonly moved: readonly number[] }
  | { readonly t: 'shard'; readonly shard: number; readonly m: ToShard }
  /** Stop the level now (a bound, a signal, or another worker failed). */
  | { readonly t: 'stop' }
  /** The search is over (or never started, or has no room for this worker): exit. */
  | { readonly t: 'bye'; readonly reason: string }
  /** Successors from shard `from` for shard `to`. */
  | { readonly t: 'batch'; readonly from: number; readonly to: number; readonly batch: Batch }
  /** A swarm's messages (swarm-protocol.ts). */
  | SwarmToWorker;

export type ToCoordinator =
  | { readonly t: 'hello'; readonly host: string; readonly pid: number; readonly file: string }
  | { readonly t: 'accepted' }
  | { readonly t: 'refused'; readonly message: string }
  | { readonly t: 'reply'; readonly shard: number; readonly m: FromShard }
  | { readonly t: 'routed' }
  /** The worker's exchange failed (a lost or duplicated batch, a worker gone): it stops. */
  | { readonly t: 'lost'; readonly message: string }
  | SwarmToCoordinator;

export type ClusterMessage = ToWorker | ToCoordinator;
