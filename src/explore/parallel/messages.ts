// What the coordinator (coordinator.ts) and the search workers (search-worker.ts)
// say to each other: plain data, and SharedArrayBuffers. The fingerprint table is
// written by every worker during a level (lock-free, shared-table.ts); the frontier
// runs are written in one phase and only read in the next.
import type { ParamValue } from '../../core/types.js';

export interface SearchWorkerData {
  readonly file: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly recheckRate?: number;
  readonly deadlock: boolean;
  /** Int32 words shared by all threads, indexed by the CONTROL_* constants. */
  readonly control: SharedArrayBuffer;
}

/** Raised (non-zero) by the coordinator to stop an expansion early. */
export const CONTROL_STOP = 0;
/** Entries in the fingerprint table: workers add their new ones in batches. */
export const CONTROL_FILL = 1;
/** Raised by a worker when the fill passed CONTROL_LIMIT mid-level: the level is redone in a bigger table. */
export const CONTROL_OVERFLOW = 2;
/** The fill past which the table is too full to go on (set by the coordinator). */
export const CONTROL_LIMIT = 3;
/** The next chunk of the level to expand: each worker takes the next one when it is done with its last. */
export const CONTROL_NEXT_CHUNK = 4;
export const CONTROL_WORDS = 5;

/**
 * Something that ends the search, stamped with the moment a single-threaded search
 * would meet it: `parent * instances + action` for a transition or the state it
 * found (`+ instances - 0.5` for a deadlock, after all of the parent's successors).
 * The earliest one wins, so every worker count reports what one worker reports.
 */
export interface Event {
  readonly time: number;
  readonly kind: 'violation' | 'deadlock' | 'error';
  /** The state the trace leads to: a global id, or (from a filter) an index into the new states of chunk `chunk`. */
  readonly stateId: number;
  readonly chunk?: number;
  readonly property?: string;
  readonly violationKind?: 'invariant' | 'deadlock';
  readonly message: string;
  readonly error?: { readonly handler?: string; readonly role?: string; readonly action?: string };
}

/** `count` records from record `start` of a shared run (frontier: [parent, action, ...words] each). */
export interface Segment {
  readonly buffer: SharedArrayBuffer;
  readonly start: number;
  readonly count: number;
}

/** What a worker did with the chunks it took, in the order it took them: [chunk, start, count] triples into its run. */
export type ChunkList = Int32Array;

export type ToWorker =
  | {
      readonly type: 'expand';
      /** The level's frontier: these runs, one after the other. */
      readonly segments: readonly Segment[];
      readonly table: SharedArrayBuffer;
      /** The level's states, expanded in chunks of `chunk` states taken in turn (CONTROL_NEXT_CHUNK). */
      readonly count: number;
      readonly chunk: number;
      readonly levelBase: number;
      /** The moment of the level's first transition: its stamp in the table. */
      readonly stampBase: number;
      readonly depth: number;
      /** Only ask whether a successor is new (the depth bound). */
      readonly probe: boolean;
    }
  /** Every worker's lowered slots: [slot, chunk] pairs. */
  | { readonly type: 'filter'; readonly lowered: readonly Segment[] }
  /** Copies slots [start, end) of `from` stamped before `before` into `to`; when from is to, renumbers them OLD. */
  | { readonly type: 'rehash'; readonly from: SharedArrayBuffer; readonly to: SharedArrayBuffer; readonly start: number; readonly end: number; readonly before: number };

export type FromWorker =
  | { readonly type: 'ready'; readonly instances: number; readonly words: number }
  | { readonly type: 'failed'; readonly message: string; readonly handler?: string; readonly stack?: string }
  | {
      readonly type: 'expanded';
      readonly generated: number;
      readonly coverage: Float64Array;
      readonly constraintInForce: boolean;
      readonly interrupted: boolean;
      /** The table filled up mid-level: nothing of this expansion counts. */
      readonly overflow: boolean;
      /** In a probe: whether some successor was not in the table. */
      readonly anyNew: boolean;
      readonly event?: Event;
      /** The table slots whose stamp this worker lowered, with the chunk it lowered them in: [slot, chunk] pairs. */
      readonly lowered: Segment;
    }
  | {
      readonly type: 'filtered';
      /** The worker's new states, records as in Segment: each chunk's in the order a single thread finds them. */
      readonly records: SharedArrayBuffer;
      /** Where each of its chunks' new states are in `records`. */
      readonly chunks: ChunkList;
      /** Names of the `sometimes` properties this worker has not yet seen hold. */
      readonly pending: string[];
      /** New states that fail the constraint (checked, not counted as distinct). */
      readonly outside: number;
      readonly event?: Event;
    }
  | { readonly type: 'rehashed' };
