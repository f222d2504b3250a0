// What the coordinator and the workers of a swarm (`simulate --cluster`) say to each
// other, besides the hello, accepted/refused, lost and bye they share with a check
// (protocol.ts). The walks are numbered 0 … W-1 and handed out in chunks of
// consecutive numbers, lowest first (swarm-coordinator.ts says why).
import type { RunSettings } from './run-hash.js';

export type SwarmToWorker =
  /** The welcome of a swarm: you are worker `index` of `workers`; walks of `depth` steps, walk w seeded by walkSeed(seed, w); check `hash` against your spec file. */
  | { readonly t: 'swarm'; readonly index: number; readonly workers: number; readonly settings: RunSettings; readonly hash: string; readonly depth: number; readonly seed: number }
  /** Run walks from ≤ w < to (chunk number `chunk`). */
  | { readonly t: 'walks'; readonly chunk: number; readonly from: number; readonly to: number }
  /** A walk numbered `walk` found something: walks above it need not run (a chunk above it is abandoned). */
  | { readonly t: 'walk-limit'; readonly walk: number };

/** The outcome of one chunk of walks. */
export interface WalkedChunk {
  readonly chunk: number;
  readonly from: number;
  /** One past the last walk run: `to` of the chunk, or one past the walk that found something. */
  readonly to: number;
  /** The walk that ended in a violation or an error of the spec, and what it found (for a message if the coordinator's re-run differs). */
  readonly found?: { readonly walk: number; readonly what: string };
  /** States generated (the initial state of each walk and each step), the longest walk's steps, each action's count. */
  readonly generated: number;
  readonly depth: number;
  readonly coverage: Float64Array;
  /** The fingerprints (two words each) of the states this worker met for the first time in this chunk. */
  readonly fingerprints: Int32Array;
}

export type SwarmToCoordinator =
  | { readonly t: 'walked'; readonly r: WalkedChunk }
  /** Not run: its walks are above the limit (or this worker's walks found something below them). */
  | { readonly t: 'abandoned'; readonly chunk: number };
