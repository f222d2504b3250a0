// The interned in-flight lists of the coded search (codec.ts), kept as runs of envelope
// numbers in one typed-array pool rather than as arrays: a list costs a byte or two a
// message (the pool is as wide as the envelope numbers need) and 4 for where its run
// starts (plus its index entry), instead of an array of pointers (measured on paxos.fixed rounds=2 drop=1, 93,579 lists: 11.6 MB of arrays
// after gc, 122 bytes a list with the index). A world decoded gets its list rebuilt
// from the run.
import { fmix32 } from '../values/mix.js';
import { HashIndex } from '../values/hash-index.js';
import { envelopeInfo, type InFlight, type Network } from './network.js';

/**
 * A list's hash from its envelopes' fingerprints (each computed once, when its envelope
 * was interned): a function of the list's value, the same in every thread of a
 * parallel search.
 */
function hashInFlight(list: InFlight, out: Uint32Array): void {
  let a = 0x9e3779b9 ^ list.length;
  let b = 0x7f4a7c15;
  for (let i = 0; i < list.length; i++) {
    const info = envelopeInfo(list[i]!);
    a = fmix32(a ^ info.fpA) + 0x165667b1;
    b = fmix32((b + info.fpB) ^ 0x27d4eb2f);
  }
  out[0] = fmix32(a ^ b);
  out[1] = b;
}

export class InFlightTable {
  /** The lists' envelope numbers, list after list; widened when a number does not fit. */
  private pool: Uint8Array | Uint16Array | Int32Array = new Uint8Array(1024);
  /** The largest number the pool holds. */
  private widest = 0xff;
  /** Where list id's run starts; it ends where list id + 1's starts (starts[size]: the pool's end). */
  private starts = new Int32Array(256);
  private count = 0;
  /** Two lists a bucket: 4 bytes a list less (the lookup compares a list's lanes before its run). */
  private readonly index = new HashIndex(2);
  private readonly fp = new Uint32Array(2);
  private last: InFlight | undefined;
  private lastId = -1;

  constructor(private readonly network: Network) {}

  get size(): number {
    return this.count;
  }

  /** All of it is typed arrays: exact. */
  get bytes(): number {
    return this.pool.byteLength + this.starts.byteLength + this.index.bytes;
  }

  /** The number of `list`, interned when it is the first of its value. */
  id(list: InFlight): number {
    if (list === this.last) return this.lastId;
    hashInFlight(list, this.fp);
    const a = this.fp[0]! | 0;
    const b = this.fp[1]! | 0;
    const index = this.index;
    for (let id = index.first(a); id >= 0; id = index.next(id)) {
      if (index.is(id, a, b) && this.holds(id, list)) return this.remember(list, id);
    }
    const id = this.count;
    this.append(list);
    index.add(id, a, b);
    return this.remember(list, id);
  }

  /** List `id`, rebuilt (frozen, as the network's lists are treated: never changed in place). */
  list(id: number): InFlight {
    const s = this.starts[id]!;
    const n = this.starts[id + 1]! - s;
    if (n === 0) return this.network.empty;
    const pool = this.pool;
    const net = this.network;
    const out = new Array<ReturnType<Network['envelope']>>(n);
    for (let i = 0; i < n; i++) out[i] = net.envelope(pool[s + i]!);
    Object.freeze(out);
    this.remember(out, id);
    return out;
  }

  /** List `id`'s envelope numbers (EnvelopeInfo.id), in its order. */
  numbers(id: number): number[] {
    const s = this.starts[id]!;
    const n = this.starts[id + 1]! - s;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.pool[s + i]!;
    return out;
  }

  laneA(id: number): number {
    return this.index.laneA(id);
  }

  laneB(id: number): number {
    return this.index.laneB(id);
  }

  /** Whether list `id` holds the envelopes of `list`, in its order. */
  private holds(id: number, list: InFlight): boolean {
    const s = this.starts[id]!;
    if (this.starts[id + 1]! - s !== list.length) return false;
    const pool = this.pool;
    for (let i = 0; i < list.length; i++) if (pool[s + i] !== envelopeInfo(list[i]!).id) return false;
    return true;
  }

  private append(list: InFlight): void {
    const n = list.length;
    let end = this.starts[this.count]!;
    let widest = 0;
    for (let i = 0; i < n; i++) widest = Math.max(widest, envelopeInfo(list[i]!).id);
    if (end + n > this.pool.length || widest > this.widest) this.regrow(end + n, widest);
    for (let i = 0; i < n; i++) this.pool[end++] = envelopeInfo(list[i]!).id;
    if (this.count + 2 > this.starts.length) {
      const starts = new Int32Array(2 * this.starts.length);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[++this.count] = end;
  }

  /** A pool for at least `need` numbers up to `widest`: 1.5 times as long, or wider. */
  private regrow(need: number, widest: number): void {
    const end = this.starts[this.count]!;
    const length = need > this.pool.length ? Math.max(need, Math.ceil(1.5 * this.pool.length)) : this.pool.length;
    if (widest > this.widest) this.widest = widest > 0xffff ? 0x7fffffff : 0xffff;
    const pool = this.widest === 0xff ? new Uint8Array(length) : this.widest === 0xffff ? new Uint16Array(length) : new Int32Array(length);
    pool.set(this.pool.subarray(0, end));
    this.pool = pool;
  }

  private remember(list: InFlight, id: number): number {
    this.last = list;
    this.lastId = id;
    return id;
  }
}
