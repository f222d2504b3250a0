// One shard of the parallel search: a worker thread that owns the states whose
// fingerprint falls to it (exchange.ts's ownerOf), with their visited set and their
// queue, kept by the same StateSpace the one-thread search uses. A level, per shard:
// - expand its states of the level in id order; every successor goes to its owner,
//   batched, with a mark saying how far this shard has got;
// - admit the successors it owns, from every shard (itself too), in the order one
//   thread would have generated them: merged by (parent id, ordinal), a record taken
//   only once no shard can still send an earlier one (its mark says so). So the first
//   discoverer of a state is exactly one thread's, and so are the new states' order,
//   their parents and the first violation.
// The coordinator numbers the new states (merging every shard's, by the same
// order), keeps the parent links, and picks the earliest event of the level.
import { isSpecError, type SpecError } from '../../core/errors.js';
import type { StateCodec } from '../../values/state-codec.js';
import type { StateSpace } from '../bfs.js';
import type { FingerprintSet } from '../fingerprint-set.js';
import type { Search } from '../search.js';
import type { Route } from '../value-space.js';
import { Inbox, Outbox, ownerOf, type Batch } from './exchange.js';
import type { LevelDone, ShardEvent } from './messages.js';

/** What a shard needs of a space beyond the one-thread search's (ValueSpace and PackedSpace have it). */
export interface ShardSpace extends StateSpace {
  readonly W: number;
  readonly codec: StateCodec<unknown> | undefined;
  readonly visited: FingerprintSet;
  route: Route | undefined;
  probing: boolean;
  levelIds: Int32Array | undefined;
  readonly foundOrdinal: number;
  admitWords(a: number, b: number, words: Int32Array, depth: number, id: number): boolean;
  /** Queues a state already in the visited set for the next level (the hand-over). */
  queueWords(words: Int32Array): void;
  levelWords(i: number): Int32Array;
}

/** The ordinal of a deadlock: after every successor of its state. */
export const AFTER_ALL = 0x7fffffff;
/** Parents expanded between two flushes of the outboxes. */
const FLUSH_EVERY = 64;
/** Slots of the cache of fingerprints sent to other shards (direct-mapped, 8 bytes a slot). */
const SENT_CACHE_BITS = 18;

export interface Links {
  /** Sends a batch to shard `to` (not this one). */
  send(to: number, batch: Batch): void;
  /** Delivers every batch that has arrived (calls `receive`); waits up to `ms` for one when `ms` > 0. */
  pump(ms: number): void;
  /** Whether the coordinator asked every shard to stop. */
  stopped(): boolean;
}

export class Shard {
  readonly inboxes: Inbox[];
  private readonly outboxes: Outbox[];
  /** The new states of the level, in order: [parent, ordinal, outside (0/1)] each. */
  private stamps: number[] = [];
  private events: ShardEvent[] = [];
  private depth = 0;
  private anyNew = false;

  constructor(
    private readonly search: Search<unknown>,
    readonly space: ShardSpace,
    readonly index: number,
    readonly shards: number,
    private readonly links: Links,
  ) {
    const { W, codec } = space;
    this.inboxes = Array.from({ length: shards + 1 }, (_, s) => new Inbox(W, codec, s === index));
    this.outboxes = Array.from({ length: shards }, () => new Outbox(W, codec));
    // Successors that are certainly known to their owner stay here: one this shard owns
    // and has seen (admitted from an earlier moment: its own successors come in order),
    // and one it has sent its owner (itself too) before: that copy came earlier.
    // Dropping them changes nothing but the traffic: the counts are the sender's.
    // Measured on two-phase rms=7, 2 shards: 2.6 M successors, 0.96 M sent without the
    // cache for its own ones, 0.7 M of them to itself.
    const seen = space.visited;
    const sent = new Int32Array(2 << SENT_CACHE_BITS);
    const mask = (1 << SENT_CACHE_BITS) - 1;
    const outboxes = this.outboxes;
    space.route = {
      to(a, b) {
        const owner = ownerOf(b, shards);
        if (owner === index && seen.has(a, b)) return -1;
        if ((a | b) === 0) return owner; // (0, 0) marks an empty slot of the cache: that one is always sent
        const slot = (a & mask) << 1;
        if (sent[slot] === a && sent[slot + 1] === b) return -1;
        sent[slot] = a;
        sent[slot + 1] = b;
        return owner;
      },
      send(owner, a, b, parent, ordinal, words, at) {
        outboxes[owner]!.push(a, b, parent, ordinal, words, at);
      },
    };
  }

  /** A batch from shard `from` (`shards`: the coordinator's hand-over). */
  receive(from: number, batch: Batch): void {
    this.inboxes[from]!.receive(batch);
  }

  /**
   * The hand-over from the thread that searched alone: the fingerprints this shard
   * owns, and its states of the next level (their ids in the records' parent field).
   */
  seed(fps: Int32Array, batch: Batch): void {
    const seen = this.space.visited;
    for (let i = 0; i < fps.length; i += 2) seen.add(fps[i]!, fps[i + 1]!);
    const inbox = this.inboxes[this.shards]!;
    inbox.receive(batch);
    for (; inbox.ready; inbox.shift()) {
      inbox.translate();
      this.space.queueWords(inbox.words); // in the visited set already
    }
  }

  /** Expands this shard's states of the level (their ids, ascending), exchanging successors until every shard is done. */
  level(ids: Int32Array, depth: number, probe: boolean): LevelDone {
    const { search, space, links } = this;
    this.depth = depth;
    this.stamps = [];
    this.events = [];
    this.anyNew = false;
    for (const inbox of this.inboxes) inbox.reset();
    const count = space.advance();
    space.levelIds = ids;
    if (space.levelIds.length !== count) throw new Error(`internal: shard ${this.index} holds ${count} states of the level, numbered ${space.levelIds.length}`);
    space.probing = probe;
    const generated0 = search.generated;
    const coverage0 = Float64Array.from(search.coverage);
    search.constraintInForce = false;
    let interrupted = false;
    let expanded = 0;
    const successors = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      if ((i & 255) === 0 && links.stopped()) {
        interrupted = true;
        break;
      }
      const id = space.levelIds[i]!;
      expanded = i + 1;
      let emitted: number;
      const before = search.generated;
      try {
        emitted = space.expand(i, depth);
      } catch (e) {
        // One thread stops after the successors generated before the throw.
        successors[i] = search.generated - before;
        this.error(e, id, successors[i]!);
        break;
      }
      successors[i] = search.generated - before;
      if (search.found !== undefined) {
        this.found(id, space.foundOrdinal);
        break;
      }
      if (!probe && emitted === 0 && search.options.deadlock && depth > 0) {
        space.checkDeadlock();
        if (search.found !== undefined) {
          this.found(id, AFTER_ALL);
          break;
        }
      }
      if (i % FLUSH_EVERY === FLUSH_EVERY - 1) {
        this.flush(id, false);
        this.admitReady(0);
      }
    }
    // One thread re-runs its samples at the level's end, if nothing ended the search before.
    if (!probe && !interrupted && this.events.length === 0 && count > 0) {
      try {
        const bad = space.verifyDeterminism();
        if (bad) this.error(bad.error, bad.id, AFTER_ALL);
      } catch (e) {
        this.error(e, space.levelIds[count - 1]!, AFTER_ALL);
      }
    }
    this.flush(AFTER_ALL, true);
    this.admitReady(0);
    while (!this.inboxes.every((b, s) => s === this.shards || (b.done && !b.ready))) {
      // Another shard failed: the coordinator stops everyone, and this level's end never comes.
      if (links.stopped()) {
        interrupted = true;
        break;
      }
      this.admitReady(20);
    }
    const coverage = Float64Array.from(search.coverage, (c, i) => c - coverage0[i]!);
    if (probe) {
      search.generated = generated0;
      search.coverage.set(coverage0);
    }
    return {
      type: 'levelDone',
      stamps: Int32Array.from(this.stamps),
      events: this.events,
      generated: probe ? 0 : search.generated - generated0,
      coverage: probe ? new Float64Array(coverage.length) : coverage,
      constraintInForce: search.constraintInForce,
      pending: search.unsatisfiedSometimes(),
      anyNew: this.anyNew,
      interrupted,
      successors: probe ? new Int32Array(0) : successors.subarray(0, expanded),
    };
  }

  /** Sends every outbox (this shard's own goes straight to its inbox). */
  private flush(mark: number, last: boolean): void {
    for (let o = 0; o < this.shards; o++) {
      const batch = this.outboxes[o]!.take(mark, last);
      if (o === this.index) this.inboxes[o]!.receive(batch);
      else this.links.send(o, batch);
    }
  }

  /** Admits, in one thread's order, every record that no shard can still precede; `ms`: wait that long for more when none is. */
  private admitReady(ms: number): void {
    this.links.pump(0);
    const { inboxes, shards, space, search } = this;
    let admitted = false;
    for (;;) {
      let best: Inbox | undefined;
      for (let s = 0; s < shards; s++) {
        const inbox = inboxes[s]!;
        if (inbox.ready && (best === undefined || inbox.parent < best.parent || (inbox.parent === best.parent && inbox.ordinal < best.ordinal))) best = inbox;
      }
      if (best === undefined) break;
      const parent = best.parent;
      // Every shard with nothing queued must have passed this parent (or be done).
      let safe = true;
      for (let s = 0; s < shards; s++) {
        const inbox = inboxes[s]!;
        if (!inbox.ready && !inbox.done && inbox.mark < parent) safe = false;
      }
      if (!safe) break;
      best.translate();
      const a = best.a;
      const b = best.b;
      const ordinal = best.ordinal;
      best.shift();
      admitted = true;
      const k = this.stamps.length / 3;
      const outside = search.outside;
      let isNew: boolean;
      try {
        isNew = space.admitWords(a, b, best.words, this.depth, k);
      } catch (e) {
        this.error(e, parent, ordinal);
        isNew = false;
      }
      if (space.probing) {
        if (isNew) this.anyNew = true;
        continue;
      }
      if (isNew) this.stamps.push(parent, ordinal, search.outside - outside);
      if (search.found !== undefined) this.found(parent, ordinal, k);
    }
    if (!admitted && ms > 0) this.links.pump(ms);
  }

  /** Records the search's finding as an event at moment (parent, ordinal); `state`: the index of the new state it is about. */
  private found(parent: number, ordinal: number, state?: number): void {
    const f = this.search.found!;
    this.search.found = undefined;
    this.events.push({ kind: f.kind, property: f.property, message: f.message, parent, ordinal, state });
  }

  private error(e: unknown, parent: number, ordinal: number): void {
    if (!isSpecError(e)) throw e;
    const err = e as SpecError;
    this.events.push({ kind: 'error', message: err.message, parent, ordinal, error: { handler: err.handler, role: err.role, action: err.action } });
  }
}
