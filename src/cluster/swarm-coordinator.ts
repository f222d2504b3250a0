// Swarm simulation (`simulate spec.ts --cluster URL --cluster-workers N`): the random
// walks of `simulate`, spread over worker processes (`faultline worker spec.ts
// --cluster URL`, the same command that serves a check).
//
// - Walk w (0 … W-1) has a generator of its own, seeded by walkSeed(seed, w)
//   (explore/simulate.ts): a walk is the same whichever worker runs it, so the walks
//   are the same on any number of workers, and a rerun with the seed finds the same walk.
// - The walks go out in chunks of consecutive numbers, lowest first, at most
//   IN_FLIGHT per worker (a worker that is done asks for more by answering): fast
//   workers take more, and no chunk waits for a slow one.
// - The verdict is the lowest-numbered walk that found a violation or an error of
//   the spec: when walk v found one, the workers are told that walks above v need not
//   run, and the coordinator waits for every chunk below v. So the verdict, the walk
//   and the counts (the walks 0 … v, or all W) do not depend on N or on timing.
// - The coordinator runs walk v again itself (the trace never crosses the network,
//   and a spec that behaves differently on a worker is caught), then shrinks it
//   (swarm-shrink.ts); that is simulateOnCluster's, in check/swarm.ts.
// A worker lost mid-swarm is named on stderr, and its chunks go to the others: a walk
// is the same on any worker, so the result is too. Only when no worker is left does
// the swarm stop (exit 2), as a check stops at once (a shard's states left with it).
import fs from 'node:fs';
import { Bus, JOIN_CHANNEL, inboxOf, processId, shownUrl, type Envelope } from './bus.js';
import { ClusterError } from './errors.js';
import { Gathering, isAnswer, watchSubscribed } from './gather.js';
import type { ClusterMessage } from './protocol.js';
import { runHash, type RunSettings } from './run-hash.js';
import { waitUntil } from './wait.js';
import type { WalkedChunk } from './swarm-protocol.js';

export interface SwarmRun {
  /** redis://[:token@]host:port */
  readonly url: string;
  /** How many workers to wait for. */
  readonly workers: number;
  /** Distinct states the shrinking breadth-first search may visit (0: only cut loops). */
  readonly shrinkStates: number;
  /** Lines for the user (stderr). */
  readonly note?: (line: string) => void;
  /** Called while waiting on the workers (the spec thread's watchdog must see it alive). */
  readonly beat?: () => void;
  /** Polled while waiting: true stops the swarm (as a lost worker does, exit 2). */
  readonly shouldStop?: () => boolean;
}

/** The default of --shrink-states: a few seconds of breadth-first search for the specs in specs/. */
export const DEFAULT_SHRINK_STATES = 200_000;
/** Chunks a worker holds at once: one it walks, one waiting, so it never waits for the engine. */
const IN_FLIGHT = 2;
/** Walks per chunk: about 512 chunks in all (a round trip through the engine per chunk), a function of W only. */
export function chunkSize(walks: number): number {
  return Math.max(1, Math.ceil(walks / 512));
}

interface Member {
  readonly id: string;
  readonly index: number;
  readonly inFlight: Set<number>;
  gone: boolean;
}

/** The coordinator's link to its workers: joining, handing out chunks, watching them. */
export class Swarm {
  private members: Member[] = [];
  private readonly byId = new Map<string, Member>();
  private readonly gathering = new Gathering(() => this.bus!, (done, stopped) => this.until(done, stopped));
  private lost?: string;
  private watch?: NodeJS.Timeout;
  private bus?: Bus<ClusterMessage>;
  private onWalked?: (m: Member, body: ClusterMessage) => void;
  /** While walking: a worker left, and its chunks are given to the others (walk()). */
  private onGone?: (m: Member) => void;
  /** Workers that left while walking. */
  lostWorkers = 0;

  private constructor(private readonly run: SwarmRun) {}

  name(m: Member): string {
    return `worker ${m.index + 1} of ${this.members.length} (${m.id})`;
  }

  static async join(run: SwarmRun, file: string, settings: RunSettings, walks: { depth: number; seed: number }): Promise<Swarm> {
    const hash = runHash(fs.readFileSync(file), settings);
    const id = processId();
    const s = new Swarm(run);
    s.bus = await Bus.open<ClusterMessage>(run.url, id, [inboxOf(id), JOIN_CHANNEL], (m) => s.receive(m), (why) => (s.lost ??= why));
    try {
      const N = run.workers;
      run.note?.(`waiting for ${N} worker${N === 1 ? '' : 's'} at ${shownUrl(run.url)} (faultline worker ${file} --cluster URL)`);
      const ids = await s.gathering.workers(N);
      s.members = ids.map((w, index) => ({ id: w, index, inFlight: new Set<number>(), gone: false }));
      for (const m of s.members) s.byId.set(m.id, m);
      for (const m of s.members) s.send(m, { t: 'swarm', index: m.index, workers: N, settings, hash, ...walks });
      await s.gathering.accepted(ids, (i, w) => `worker ${i + 1} of ${N} (${w})`);
      run.note?.(`${N} worker${N === 1 ? '' : 's'} joined the swarm: ${s.members.map((m) => m.id).join(', ')}`);
      s.watch = watchSubscribed(
        s.bus,
        () => s.members.filter((m) => !m.gone).map((m) => m.id),
        (id) => s.memberGone(s.byId.get(id)!, 'left the cluster mid-simulation: its connection to the engine closed (killed, or its machine went down)'),
      );
      return s;
    } catch (e) {
      await s.close(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  /** Polls `done` until it holds; a lost worker or engine, or shouldStop, ends the wait with an error. */
  private until(done: () => Promise<boolean> | boolean, stopped: () => string): Promise<void> {
    return waitUntil(done, { lost: () => this.lost, shouldStop: this.run.shouldStop, stopped, beat: this.run.beat, everyMs: 20 });
  }

  private send(m: Member, body: ClusterMessage): void {
    this.bus!.send(m.id, body).then(
      (n) => {
        if (n === 0) this.memberGone(m, 'is gone: nobody listens on its channel any more');
      },
      (e: unknown) => (this.lost ??= `cannot reach the engine at ${shownUrl(this.run.url)}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  private receive(e: Envelope<ClusterMessage>): void {
    const body = e.body;
    if (body.t === 'hello') {
      if (this.members.length === 0) this.gathering.hello(e.from);
      return;
    }
    const m = this.byId.get(e.from);
    if (m === undefined) return; // not one of this swarm's workers
    if (isAnswer(body)) {
      this.gathering.answer(m.id, body);
      if (body.t === 'lost') this.memberGone(m, `stopped: ${body.message}`);
    } else if (body.t === 'walked' || body.t === 'abandoned') this.onWalked?.(m, body);
  }

  /**
   * A worker left: while walking, its chunks go to the others (a walk is the same on any
   * worker, so nothing changes but the time) and the swarm stops only when none is left;
   * before, the swarm stops.
   */
  private memberGone(m: Member, why: string): void {
    if (m.gone) return;
    m.gone = true;
    const message = `${this.name(m)} ${why}`;
    const left = this.members.filter((o) => !o.gone).length;
    if (this.onGone === undefined || left === 0) {
      this.lost ??= left === 0 && this.onGone !== undefined ? `${message}, and no worker is left` : message;
      return;
    }
    this.lostWorkers++;
    const chunks = [...m.inFlight];
    this.run.note?.(`${message}: ${chunks.length === 0 ? 'it held no chunk' : `its chunk${chunks.length === 1 ? '' : 's'} ${chunks.join(', ')} go${chunks.length === 1 ? 'es' : ''} to the others`} (${left} worker${left === 1 ? '' : 's'} left)`);
    this.onGone(m);
  }

  /**
   * Runs walks 0 … walks-1 in chunks; resolves with the chunks that count (those up
   * to the lowest walk that found something, or all), in order, or stops at `deadline`.
   */
  async walk(walks: number, deadline: number, onChunk?: (r: WalkedChunk) => void): Promise<{ counted: WalkedChunk[]; found?: { walk: number; what: string; by: string }; timedOut: boolean }> {
    const size = chunkSize(walks);
    const chunks = Math.ceil(walks / size);
    const results = new Map<number, WalkedChunk>();
    const again: number[] = [];
    let next = 0;
    let found: { walk: number; what: string; by: string } | undefined;
    // Chunks past the one with the lowest finding need not run.
    const end = (): number => (found === undefined ? chunks : Math.floor(found.walk / size) + 1);
    const dispatch = (m: Member): void => {
      while (!m.gone && m.inFlight.size < IN_FLIGHT) {
        let k = again.shift();
        if (k === undefined && next < end()) k = next++;
        if (k === undefined) return;
        m.inFlight.add(k);
        this.send(m, { t: 'walks', chunk: k, from: k * size, to: Math.min(walks, (k + 1) * size) });
      }
    };
    this.onWalked = (m, body) => {
      if (body.t === 'abandoned') {
        m.inFlight.delete(body.chunk);
        // Abandoned below the finding (not expected: a worker abandons only above it): run it again.
        if (body.chunk < end()) again.push(body.chunk);
      } else if (body.t === 'walked') {
        const r = body.r;
        m.inFlight.delete(r.chunk);
        // (Walked twice when its first worker's answer came after that worker was taken for gone: the same walks, counted once.)
        if (r.chunk < end() && !results.has(r.chunk)) {
          results.set(r.chunk, r);
          onChunk?.(r);
          if (r.found !== undefined && (found === undefined || r.found.walk < found.walk)) {
            found = { ...r.found, by: this.name(m) };
            for (const other of this.members) if (!other.gone) this.send(other, { t: 'walk-limit', walk: found.walk });
          }
        }
      }
      dispatch(m);
    };
    this.onGone = (gone) => {
      again.push(...[...gone.inFlight].filter((k) => k < end() && !results.has(k)));
      gone.inFlight.clear();
      for (const m of this.members) dispatch(m);
    };
    for (const m of this.members) dispatch(m);
    let timedOut = false;
    await this.until(
      () => {
        if (Date.now() >= deadline) timedOut = true;
        for (let k = 0; k < end(); k++) if (!results.has(k)) return timedOut;
        return true;
      },
      () => 'stopped',
    );
    this.onWalked = undefined;
    this.onGone = undefined;
    // Counted: the chunks before the first one missing (all of them, unless the time ran out).
    const counted: WalkedChunk[] = [];
    for (let k = 0; k < end() && results.has(k); k++) counted.push(results.get(k)!);
    const complete = counted.length === end();
    return { counted, found: complete ? found : undefined, timedOut: timedOut && !complete };
  }

  /** Says bye to every worker (they exit) and leaves the engine. */
  async close(reason = 'the simulation is over'): Promise<void> {
    clearInterval(this.watch);
    const bus = this.bus;
    if (bus === undefined) return;
    await bus.closeWith([...this.gathering.candidates, ...this.members.map((m) => m.id)], { t: 'bye', reason });
  }
}
