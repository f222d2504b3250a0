// The state graph that the liveness pass runs on, recorded during the BFS: the
// edges of every expanded state (target id and fairness instance), which of the
// liveness predicates hold in each state, and which states a bound cut off. States
// themselves are not stored: the lasso is rebuilt by re-execution, as traces are.
//
// Cost: 8 bytes per edge (target, instance) and 9 bytes per state (edge range,
// predicate word, cut mark) for up to 32 predicates; instance keys are interned
// once each. Self-loops are kept out: in TLA+ a step that changes nothing is a
// stutter, which neither takes nor enables an action (<<A>>_vars).
import { SpecError, thrownError } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import type { Fairness, FairnessKind, LivenessProperty } from '../core/liveness.js';
import type { CheckpointData } from './checkpoint/file.js';

/** Thrown out of the liveness pass when it is interrupted. */
export const PASS_INTERRUPTED = Symbol('faultline.livenessPassInterrupted');

/** Instance id of an edge whose action is not fair (faults, undeclared actions). */
export const UNFAIR = -1;
const NOT_EXPANDED = -1;

const KIND_CODE: Readonly<Record<FairnessKind, number>> = { none: 0, weak: 1, strong: 2 };
export const WEAK = 1;
export const STRONG = 2;

class IntColumn {
  data: Int32Array;
  length = 0;
  /** `fill` is what an index not yet written reads as. */
  constructor(private readonly fill = 0) {
    this.data = new Int32Array(1024).fill(fill);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** Grows to hold index i. */
  ensure(i: number): void {
    if (i < this.data.length) return;
    let cap = this.data.length;
    while (cap <= i) cap *= 2;
    const next = new Int32Array(cap).fill(this.fill);
    next.set(this.data);
    this.data = next;
  }
  get bytes(): number {
    return this.data.byteLength;
  }
}

export class StateGraph<S> {
  /** The predicates, flattened: property i's `to` then (leadsTo) its `from`. */
  readonly predicates: { readonly property: string; readonly check: (s: S) => unknown }[] = [];
  /** Per property: the predicate index of its `to` and of its `from` (-1 without one). */
  readonly predicateOf: { readonly to: number; readonly from: number }[] = [];
  private readonly words: number;
  private holds = new Uint32Array(1024);
  private readonly edgeStart = new IntColumn(NOT_EXPANDED);
  private readonly edgeEnd = new IntColumn(NOT_EXPANDED);
  private readonly target = new IntColumn();
  private readonly instance = new IntColumn();
  private cutCode = new Uint8Array(1024);
  /** Bound names; cutCode c > 0 is cutReasons[c - 1]. */
  readonly cutReasons: string[] = [];
  private readonly instanceIds = new Map<string, number>();
  readonly instanceKeys: string[] = [];
  readonly instanceKinds: number[] = [];
  private readonly actionKinds: number[];
  private expanding = NOT_EXPANDED;
  private lastExpanded = NOT_EXPANDED;
  /** States seen (ids below it). */
  size = 0;
  /**
   * Polled every few thousand steps of the pass: true stops it (a signal). The CLI's
   * poll is also the watchdog's heartbeat, so a long pass is not taken for a hang.
   */
  poll: () => boolean = () => false;
  private polls = 0;

  /** Throws PASS_INTERRUPTED when `poll` says stop (checked every 4096 calls). */
  tick(): void {
    if ((++this.polls & 4095) === 0 && this.poll()) throw PASS_INTERRUPTED;
  }

  constructor(
    readonly system: TransitionSystem<S>,
    readonly properties: readonly LivenessProperty<S>[],
    readonly fairness: Fairness,
  ) {
    for (const p of properties) {
      const to = this.predicates.push({ property: p.name, check: p.to }) - 1;
      const from = p.from ? this.predicates.push({ property: p.name, check: p.from }) - 1 : -1;
      this.predicateOf.push({ to, from });
    }
    this.words = Math.max(1, Math.ceil(this.predicates.length / 32));
    this.holds = new Uint32Array(1024 * this.words);
    this.actionKinds = fairness.actionKinds.map((k) => (k === 'mixed' ? -1 : KIND_CODE[k]));
  }

  /** Records which predicates hold in a newly found state. */
  label(state: S, id: number): void {
    this.reserve(id);
    const base = id * this.words;
    for (let i = 0; i < this.predicates.length; i++) {
      const p = this.predicates[i]!;
      let r: unknown;
      try {
        r = p.check(state);
      } catch (e) {
        throw thrownError(`liveness property ${p.property}`, { handler: p.property }, e);
      }
      if (r === true) this.holds[base + (i >>> 5)]! |= 1 << (i & 31);
      else if (r !== false && typeof r !== 'string') {
        throw new SpecError(`liveness property ${p.property} returned ${r === undefined ? 'undefined' : JSON.stringify(r)}; return true when it holds, or false / a string`, {
          handler: p.property,
        });
      }
    }
  }

  /** Starts recording the edges of state `id` (states are expanded in increasing id order). */
  beginExpansion(id: number): void {
    if (id <= this.lastExpanded) throw new Error(`internal: liveness graph expanded ${id} after ${this.lastExpanded}`);
    this.reserve(id);
    this.edgeStart.ensure(id);
    this.edgeEnd.ensure(id);
    this.edgeStart.data[id] = this.target.length;
    this.expanding = this.lastExpanded = id;
  }

  /** One edge of the state being expanded. */
  edge(from: number, to: number, action: number, label: string | (() => string)): void {
    if (from !== this.expanding) throw new Error(`internal: liveness edge from ${from} while expanding ${this.expanding}`);
    if (to === from) return; // a stutter
    this.target.push(to);
    this.instance.push(this.instanceOf(action, label));
  }

  endExpansion(id: number): void {
    this.edgeEnd.data[id] = this.target.length;
    this.expanding = NOT_EXPANDED;
  }

  /** Marks a state whose successors a bound (constraint, maxTime, maxInFlight, depth) left out. */
  cut(id: number, reason: string): void {
    this.reserve(id);
    if (this.cutCode[id] !== 0) return;
    let c = this.cutReasons.indexOf(reason);
    if (c < 0) c = this.cutReasons.push(reason) - 1;
    this.cutCode[id] = c + 1;
  }

  /** Called when the search is over: states never expanded were cut off by `reason` (the depth bound). */
  finish(size: number, unexpandedReason: string): void {
    this.size = size;
    this.reserve(size);
    this.edgeStart.ensure(size);
    this.edgeEnd.ensure(size);
    for (let id = 0; id < size; id++) if (this.edgeStart.data[id] === NOT_EXPANDED && this.cutCode[id] === 0) this.cut(id, unexpandedReason);
  }

  /** Saves the graph of the states `size` ids cover, for a checkpoint (explore/checkpoint/). */
  save(into: CheckpointData, size: number): void {
    this.reserve(size);
    this.edgeStart.ensure(size);
    this.edgeEnd.ensure(size);
    into.columns.set('graph.holds', this.holds.slice(0, size * this.words));
    into.columns.set('graph.cut', this.cutCode.slice(0, size));
    into.columns.set('graph.edgeStart', this.edgeStart.data.slice(0, size));
    into.columns.set('graph.edgeEnd', this.edgeEnd.data.slice(0, size));
    into.columns.set('graph.target', this.target.data.slice(0, this.target.length));
    into.columns.set('graph.instance', this.instance.data.slice(0, this.instance.length));
    into.values.set('graph', { cutReasons: this.cutReasons, instances: [...this.instanceIds], instanceKeys: this.instanceKeys, instanceKinds: this.instanceKinds, lastExpanded: this.lastExpanded });
  }

  /** Restores what `save` wrote (into a fresh graph). */
  restore(from: CheckpointData): void {
    const size = from.column('graph.cut').length;
    this.reserve(size);
    this.holds.set(from.column('graph.holds'));
    this.cutCode.set(from.column('graph.cut'));
    this.edgeStart.ensure(size);
    this.edgeEnd.ensure(size);
    this.edgeStart.data.set(from.int32('graph.edgeStart'));
    this.edgeEnd.data.set(from.int32('graph.edgeEnd'));
    for (const t of from.int32('graph.target')) this.target.push(t);
    for (const i of from.int32('graph.instance')) this.instance.push(i);
    const g = from.value<{ cutReasons: string[]; instances: [string, number][]; instanceKeys: string[]; instanceKinds: number[]; lastExpanded: number }>('graph');
    this.cutReasons.push(...g.cutReasons);
    for (const [k, id] of g.instances) this.instanceIds.set(k, id);
    this.instanceKeys.push(...g.instanceKeys);
    this.instanceKinds.push(...g.instanceKinds);
    this.lastExpanded = g.lastExpanded;
  }

  // ---------------------------------------------------------------- reading

  holdsAt(id: number, predicate: number): boolean {
    return (this.holds[id * this.words + (predicate >>> 5)]! & (1 << (predicate & 31))) !== 0;
  }

  isCut(id: number): boolean {
    return this.cutCode[id] !== 0;
  }

  cutReason(id: number): string | undefined {
    const c = this.cutCode[id]!;
    return c === 0 ? undefined : this.cutReasons[c - 1];
  }

  /** Edges of `id` are edgeTarget/edgeInstance over [first, end). */
  first(id: number): number {
    const s = this.edgeStart.data[id]!;
    return s === NOT_EXPANDED ? 0 : s;
  }

  end(id: number): number {
    const s = this.edgeStart.data[id]!;
    return s === NOT_EXPANDED ? 0 : this.edgeEnd.data[id]!;
  }

  edgeTarget(e: number): number {
    return this.target.data[e]!;
  }

  edgeInstance(e: number): number {
    return this.instance.data[e]!;
  }

  get edges(): number {
    return this.target.length;
  }

  /** Memory of the graph (edges, per-state columns), in bytes. */
  get bytes(): number {
    return this.target.bytes + this.instance.bytes + this.edgeStart.bytes + this.edgeEnd.bytes + this.holds.byteLength + this.cutCode.byteLength;
  }

  /** The fairness instance of a transition (UNFAIR for an action no fairness covers). */
  instanceOf(action: number, label: string | (() => string)): number {
    const k = this.actionKinds[action]!;
    if (k === 0) return UNFAIR; // most edges of a fault-heavy space: no label built
    // As judge.ts's fairnessInstance, without an object per edge (this runs once per edge).
    const text = typeof label === 'function' ? label() : label;
    const key = this.fairness.instanceKey ? this.fairness.instanceKey(action, text) : text;
    let id = this.instanceIds.get(key);
    if (id === undefined) {
      const code = k > 0 ? k : KIND_CODE[this.fairness.instanceKind!(action, key)];
      id = code === 0 ? UNFAIR : this.instanceKeys.push(key) - 1;
      if (id !== UNFAIR) this.instanceKinds.push(code);
      this.instanceIds.set(key, id);
    }
    return id;
  }

  private reserve(id: number): void {
    if (id < this.cutCode.length) return;
    let cap = this.cutCode.length;
    while (cap <= id) cap *= 2;
    const cut = new Uint8Array(cap);
    cut.set(this.cutCode);
    this.cutCode = cut;
    const holds = new Uint32Array(cap * this.words);
    holds.set(this.holds);
    this.holds = holds;
  }
}
