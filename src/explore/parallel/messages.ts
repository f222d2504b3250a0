// What the coordinator (coordinator.ts) and the search workers (search-worker.ts)
// say to each other: plain data, and SharedArrayBuffers that each side reads only
// in the phase after the other wrote them.
import type { ParamValue } from '../../core/types.js';

export interface SearchWorkerData {
  readonly file: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly index: number;
  readonly workers: number;
  readonly recheckRate?: number;
  readonly deadlock: boolean;
  /** Raised (non-zero) by the coordinator to stop an expansion early. */
  readonly stop: SharedArrayBuffer;
}

/**
 * Something that ends the search, stamped with the moment a single-threaded search
 * would meet it: `parent * instances + action` for a transition or the state it
 * found (`+ instances - 0.5` for a deadlock, after all of the parent's successors).
 * The earliest one wins, so every worker count reports what one worker reports.
 */
export interface Event {
  readonly time: number;
  readonly kind: 'violation' | 'deadlock' | 'error';
  /** The state the trace leads to: a global id, or (from an owner) a local index of its new states. */
  readonly stateId: number;
  readonly local?: boolean;
  readonly property?: string;
  readonly violationKind?: 'invariant' | 'deadlock';
  readonly message: string;
  readonly error?: { readonly handler?: string; readonly role?: string; readonly action?: string };
}

export type ToWorker =
  | {
      readonly type: 'expand';
      readonly frontier: SharedArrayBuffer;
      readonly from: number;
      readonly to: number;
      readonly levelBase: number;
      readonly depth: number;
      /** Only ask whether a successor is new (the depth bound). */
      readonly probe: boolean;
    }
  | { readonly type: 'admit'; readonly buckets: readonly ArrayBufferLike[]; readonly counts: readonly number[]; readonly probe: boolean };

export type FromWorker =
  | { readonly type: 'ready'; readonly instances: number; readonly words: number }
  | { readonly type: 'failed'; readonly message: string; readonly handler?: string; readonly stack?: string }
  | {
      readonly type: 'expanded';
      /** Per owner: Records of [parent, action, ...words], in shared memory. */
      readonly buckets: ArrayBufferLike[];
      readonly counts: number[];
      readonly generated: number;
      readonly coverage: Float64Array;
      readonly constraintInForce: boolean;
      readonly interrupted: boolean;
      readonly event?: Event;
    }
  | {
      readonly type: 'admitted';
      /** The new states, in the order a single thread finds them: Records of [parent, action, ...words], in shared memory. */
      readonly records: ArrayBufferLike;
      readonly count: number;
      readonly anyNew: boolean;
      /** Names of the `sometimes` properties this worker has not yet seen hold. */
      readonly pending: string[];
      readonly tableBytes: number;
      readonly event?: Event;
    };
