// In-flight messages.
//
// Each distinct in-flight message (sender, receiver, payload, and in maxDelay mode
// its delivery deadline) is interned as one frozen envelope object: its rendering
// (which is its identity) is computed once per distinct message, and its
// fingerprint is memoised, so hashing a successor's network costs one memo lookup
// per message.
//
// The network is a frozen array of envelopes in a canonical order:
//  - unordered (default): sorted by rendering — a multiset, copies adjacent (two
//    equal messages in flight are two copies; delivering either gives the same
//    successor, so it is explored once);
//  - FIFO: grouped by channel `a→b` (channels sorted), oldest first within one.
// Equal networks are equal arrays, whatever order the messages were sent in.
import { fingerprintInto } from '../values/fingerprint.js';

export interface Envelope {
  readonly from: string;
  readonly to: string;
  readonly msg: { readonly type: string; readonly [field: string]: unknown };
  /** maxDelay mode only: the last real time at which it may still be in flight; null once `delay`ed. */
  readonly deliverBy?: number | null;
}

export type InFlight = readonly Envelope[];

/** What the compiler needs about an envelope, kept off the state (a symbol-keyed property). */
export interface EnvelopeInfo {
  /** `Granted{until:4} lock→client1`, plus ` (by t=5)` / ` (delayed)` in maxDelay mode. */
  readonly text: string;
  /** `Granted{until:4}` */
  readonly msgText: string;
  readonly fromIdx: number;
  readonly toIdx: number;
  /** `a→b`, the FIFO channel. */
  readonly channel: string;
  /** The position key: text (unordered) or channel (FIFO). */
  readonly key: string;
  /** Index of the receiving role's handler for this message type (see compile.ts). */
  readonly handler: number;
  /** Its number among this network's envelopes. */
  readonly id: number;
  /** Its structural fingerprint (codec.ts hashes in-flight lists by these: the same in every thread). */
  fpA: number;
  fpB: number;
  /** Labels, built once: `deliver …`, `drop …`, `duplicate …`, `delay …`. */
  readonly deliverLabel: string;
  readonly dropLabel: string;
  readonly duplicateLabel: string;
  readonly delayLabel: string;
}

const scratch = new Uint32Array(2);
const INFO: unique symbol = Symbol('faultline.envelope');
type WithInfo = Envelope & { [INFO]?: EnvelopeInfo };

export function envelopeInfo(env: Envelope): EnvelopeInfo {
  const info = (env as WithInfo)[INFO];
  if (info === undefined) {
    throw new Error('internal: an in-flight message that this compiled protocol did not create');
  }
  return info;
}

const EMPTY: InFlight = Object.freeze([]);

export class Network {
  private readonly table = new Map<string, Envelope>();
  /** Envelopes by number (EnvelopeInfo.id). */
  private readonly byId: Envelope[] = [];
  /** Fast path: message rendering (and deadline) → envelopes by route (sender × receiver). */
  private readonly routes = new Map<string, (Envelope | undefined)[]>();
  readonly empty: InFlight = EMPTY;

  constructor(
    readonly fifo: boolean,
    readonly maxDelay: number | undefined,
    private readonly nodeCount: number,
  ) {}

  /** The one envelope for this message; `msgText` is its canonical rendering. */
  intern(
    from: string,
    fromIdx: number,
    to: string,
    toIdx: number,
    msg: { readonly type: string },
    msgText: string,
    handler: number,
    deliverBy: number | null,
  ): Envelope {
    const key = this.maxDelay === undefined ? msgText : `${msgText}\u0000${deliverBy}`;
    let byRoute = this.routes.get(key);
    if (byRoute === undefined) {
      byRoute = [];
      this.routes.set(key, byRoute);
    }
    const route = fromIdx * this.nodeCount + toIdx;
    const hit = byRoute[route];
    if (hit !== undefined) return hit;
    const env = this.make(from, fromIdx, to, toIdx, msg, msgText, handler, deliverBy);
    byRoute[route] = env;
    return env;
  }

  private make(
    from: string,
    fromIdx: number,
    to: string,
    toIdx: number,
    msg: { readonly type: string },
    msgText: string,
    handler: number,
    deliverBy: number | null,
  ): Envelope {
    let text = msgText + ' ' + from + '→' + to;
    if (this.maxDelay !== undefined) text += deliverBy === null ? ' (delayed)' : ` (by t=${deliverBy})`;
    let env = this.table.get(text);
    if (env !== undefined) return env;
    env = this.maxDelay === undefined ? { from, to, msg } : { from, to, msg, deliverBy };
    const channel = from + '→' + to;
    const info: EnvelopeInfo = {
      text,
      msgText,
      fromIdx,
      toIdx,
      channel,
      key: this.fifo ? channel : text,
      handler,
      id: this.table.size,
      deliverLabel: 'deliver ' + text,
      dropLabel: 'drop ' + text,
      duplicateLabel: 'duplicate ' + text,
      delayLabel: 'delay ' + text,
      fpA: 0,
      fpB: 0,
    };
    Object.defineProperty(env, INFO, { value: info });
    fingerprintInto(env, scratch, 0, true); // memoise its fingerprint, freeze it
    info.fpA = scratch[0]!;
    info.fpB = scratch[1]!;
    this.table.set(text, env);
    this.byId.push(env);
    return env;
  }

  /** The envelope numbered `id` (EnvelopeInfo.id). */
  envelope(id: number): Envelope {
    return this.byId[id]!;
  }

  /** The same message, exempt from maxDelay (the `delay` fault). */
  delayed(env: Envelope): Envelope {
    const info = envelopeInfo(env);
    return this.intern(env.from, info.fromIdx, env.to, info.toIdx, env.msg, info.msgText, info.handler, null);
  }

  /** Adds one copy: in sorted position (unordered), at the tail of its channel (FIFO). */
  add(net: InFlight, env: Envelope): InFlight {
    const key = envelopeInfo(env).key;
    const n = net.length;
    // After every element whose key is <= key: copies stay adjacent, FIFO order kept.
    let i = n;
    while (i > 0 && envelopeInfo(net[i - 1]!).key > key) i--;
    const out: Envelope[] = [];
    for (let j = 0; j < i; j++) out.push(net[j]!);
    out.push(env);
    for (let j = i; j < n; j++) out.push(net[j]!);
    return out;
  }

  /**
   * Without the copy at position `without` (-1: none) and with `sends` added, in
   * one new array (a delivery that answers allocates one network, not one per step).
   */
  update(net: InFlight, without: number, sends: readonly Envelope[]): InFlight {
    const k = sends.length;
    if (k === 0) return without < 0 ? net : this.remove(net, without);
    if (k === 1 && without < 0) return this.add(net, sends[0]!);
    const out: Envelope[] = [];
    for (let j = 0; j < net.length; j++) if (j !== without) out.push(net[j]!);
    for (let s = 0; s < k; s++) {
      const env = sends[s]!;
      const key = envelopeInfo(env).key;
      let i = out.length;
      while (i > 0 && envelopeInfo(out[i - 1]!).key > key) i--;
      out.splice(i, 0, env);
    }
    return out;
  }

  /** Without the copy at position i. */
  remove(net: InFlight, i: number): InFlight {
    const n = net.length;
    if (n === 1) return EMPTY;
    const out: Envelope[] = [];
    for (let j = 0; j < i; j++) out.push(net[j]!);
    for (let j = i + 1; j < n; j++) out.push(net[j]!);
    return out;
  }

  /** A second copy of the message at position i, right behind it. */
  duplicate(net: InFlight, i: number): InFlight {
    const n = net.length;
    const out: Envelope[] = [];
    for (let j = 0; j <= i; j++) out.push(net[j]!);
    for (let j = i; j < n; j++) out.push(net[j]!);
    return out;
  }

  /** The copy at position i replaced by env2 (same place in its FIFO channel). */
  replace(net: InFlight, i: number, env2: Envelope): InFlight {
    if (!this.fifo) return this.add(this.remove(net, i), env2);
    const out = net.slice();
    out[i] = env2;
    return out;
  }

  /** Whether position i may be delivered next: a distinct message (unordered) or a channel's oldest (FIFO). */
  deliverable(net: InFlight, i: number): boolean {
    if (i === 0) return true;
    const prev = net[i - 1]!;
    const env = net[i]!;
    return this.fifo ? envelopeInfo(prev).channel !== envelopeInfo(env).channel : prev !== env;
  }

  /** Whether a fault on position i gives a new successor (equal neighbours give the same one). */
  distinct(net: InFlight, i: number): boolean {
    return i === 0 || net[i - 1] !== net[i];
  }

  /** The network without the messages `lost` says are lost. */
  filter(net: InFlight, lost: (env: Envelope) => boolean): InFlight {
    const out = net.filter((env) => !lost(env));
    return out.length === 0 ? EMPTY : out;
  }
}
