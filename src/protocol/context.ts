// The context handed to handlers: one reusable object per engine, reset before
// each handler call. It records the call's effects (messages sent, timers set or
// cancelled, durable writes, ghost observations, notes) for the compiler to turn
// into the successor world, and implements explicit nondeterminism (choose).
import { isImmutable } from '../values/immutable.js';
import { SpecError } from '../core/errors.js';
import type { Params } from '../core/types.js';
import { describeInvalid } from '../values/kinds.js';
import type { Context, MessageContext } from './define.js';
import { BadValue, formatChoice, formatMessage } from './labels.js';
import type { Envelope, Network } from './network.js';
import type { HandlerRt, NodeRt, PartitionRt, RoleRt } from './roles.js';
import type { Timers } from './world.js';

/** What the context needs from the compiled protocol. */
export interface Runtime {
  readonly specName: string;
  readonly params: Params;
  readonly nodes: readonly NodeRt[];
  readonly idIndex: ReadonlyMap<string, number>;
  readonly roleByName: ReadonlyMap<string, RoleRt>;
  readonly handlers: readonly HandlerRt[];
  readonly network: Network;
  readonly timed: boolean;
  readonly maxDelay: number | undefined;
}

/** Thrown by choose([]): this branch has no successor. */
export const DEAD_BRANCH: unique symbol = Symbol('faultline.deadBranch');

/**
 * The choices of one handler run, explored depth-first: the handler is re-run
 * once per combination of options (an odometer over the recorded widths).
 */
export class Choices {
  private readonly picks: number[] = [];
  private readonly widths: number[] = [];
  private readonly values: unknown[] = [];
  private pos = 0;
  /** Whether any choice of the current run had more than one option. */
  branched = false;

  reset(): void {
    if (this.picks.length > 0) {
      this.picks.length = 0;
      this.widths.length = 0;
      this.values.length = 0;
    }
    this.pos = 0;
  }

  /** Before each run. */
  rewind(): void {
    this.pos = 0;
    this.branched = false;
  }

  /** The index to take among `width` options (throws DEAD_BRANCH for none). */
  pick(width: number, culprit: () => SpecError): number {
    const p = this.pos++;
    if (p < this.picks.length) {
      if (this.widths[p] !== width) throw culprit();
      if (width > 1) this.branched = true;
      return this.picks[p]!;
    }
    this.picks.push(0);
    this.widths.push(width);
    this.values.push(undefined);
    if (width === 0) throw DEAD_BRANCH;
    if (width > 1) this.branched = true;
    return 0;
  }

  record(value: unknown): void {
    this.values[this.pos - 1] = value;
  }

  /** Moves to the next combination; false when all were run. */
  advance(): boolean {
    let i = Math.min(this.pos, this.picks.length) - 1;
    while (i >= 0 && this.picks[i]! + 1 >= this.widths[i]!) i--;
    if (i < 0) return false;
    this.picks[i]!++;
    this.picks.length = i + 1;
    this.widths.length = i + 1;
    this.values.length = i + 1;
    return true;
  }

  /** ` (choose: 2, "x")` for the choices of the last run that had options. */
  suffix(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.pos && i < this.picks.length; i++) {
      if (this.widths[i]! > 1) parts.push(formatChoice(this.values[i], this.picks[i]!));
    }
    return parts.length === 0 ? '' : ` (choose: ${parts.join(', ')})`;
  }
}

/**
 * Where a value is not a state value (`.x is undefined (...)`), or null. Checks
 * the parts a handler built (not yet frozen); frozen parts were checked when the
 * state that holds them was fingerprinted. Immutable collections are accepted
 * as they are (the fingerprint checks their contents).
 */
export function invalidPart(v: unknown, path = ''): string | null {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return null;
    case 'number':
      return Number.isFinite(v) ? null : where(path, v);
    case 'object': {
      if (v === null || Object.isFrozen(v)) return null;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const bad = invalidPart(v[i], `${path}[${i}]`);
          if (bad !== null) return bad;
        }
        return null;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto === Object.prototype || proto === null) {
        for (const k in v) {
          const bad = invalidPart((v as Record<string, unknown>)[k], `${path}.${k}`);
          if (bad !== null) return bad;
        }
        return null;
      }
      if (isImmutable(v)) return null;
      return where(path, v);
    }
    default:
      return where(path, v);
  }
}

function where(path: string, v: unknown): string {
  return `${path === '' ? 'it' : path} is ${describeInvalid(v)}`;
}

export class Ctx implements MessageContext<any, Params, unknown, any, string> {
  node!: NodeRt;
  handlerName = '';
  from: string = '';
  private time = 0;
  private clockOffset = 0;
  private startedAt = 0;
  private partition: PartitionRt | null = null;
  /** Effects of the current call. */
  readonly sends: Envelope[] = [];
  timers: Timers | undefined = undefined;
  durableValue: unknown = undefined;
  durableWritten = false;
  observed: Readonly<Record<string, readonly unknown[]>> = {};
  readonly notes: string[] = [];
  collecting = false;
  readonly choices = new Choices();
  private readonly peersCache = new Map<string, readonly string[]>();

  constructor(private readonly rt: Runtime) {}

  begin(
    node: NodeRt,
    handlerName: string,
    time: number,
    clockOffset: number,
    startedAt: number,
    partition: PartitionRt | null,
    timers: Timers | undefined,
    durable: unknown,
    observed: Readonly<Record<string, readonly unknown[]>>,
    from: string,
  ): void {
    this.node = node;
    this.handlerName = handlerName;
    this.time = time;
    this.clockOffset = clockOffset;
    this.startedAt = startedAt;
    this.partition = partition;
    if (this.sends.length > 0) this.sends.length = 0;
    this.timers = timers;
    this.durableValue = durable;
    this.durableWritten = false;
    this.observed = observed;
    if (this.notes.length > 0) this.notes.length = 0;
    this.from = from;
  }

  /** A spec error naming this node's role and the running handler. */
  error(message: string): SpecError {
    return new SpecError(`${message} (node ${this.node.id}, role ${this.node.role.name}, handler ${this.handlerName})`, {
      role: this.node.role.name,
      handler: this.handlerName,
    });
  }

  get self(): string {
    return this.node.id;
  }
  get role(): string {
    return this.node.role.name;
  }
  get index(): number {
    return this.node.index;
  }
  get params(): Params {
    return this.rt.params;
  }
  get durable(): unknown {
    return this.durableValue;
  }

  send(to: string, msg: { readonly type: string }): void {
    const idx = typeof to === 'string' ? this.rt.idIndex.get(to) : undefined;
    if (idx === undefined) {
      const role = typeof to === 'string' ? this.rt.roleByName.get(to) : undefined;
      if (role !== undefined) {
        throw this.error(
          `send(${JSON.stringify(to)}, ...): ${to} is a role of ${role.nodes.length} nodes (${role.nodes.map((i) => this.rt.nodes[i]!.id).join(', ') || 'none'}), not a node; send to one node id, or use broadcast(${JSON.stringify(to)}, msg)`,
        );
      }
      throw this.error(`send to unknown node ${JSON.stringify(to)}; the nodes are ${this.rt.nodes.map((n) => n.id).join(', ')}`);
    }
    this.sendTo(idx, msg);
  }

  broadcast(to: string | readonly string[], msg: { readonly type: string }): void {
    let targets: readonly number[];
    if (typeof to === 'string') {
      const role = this.rt.roleByName.get(to);
      if (role === undefined) {
        throw this.error(`broadcast to unknown role ${JSON.stringify(to)}; the roles are ${[...this.rt.roleByName.keys()].join(', ')}`);
      }
      targets = role.nodes;
    } else if (Array.isArray(to)) {
      targets = to.map((id) => {
        const idx = this.rt.idIndex.get(id);
        if (idx === undefined) throw this.error(`broadcast to unknown node ${JSON.stringify(id)}; the nodes are ${this.rt.nodes.map((n) => n.id).join(', ')}`);
        return idx;
      });
    } else throw this.error('broadcast(to, msg): to must be a role name or a list of node ids');
    for (const idx of targets) if (idx !== this.node.idx) this.sendTo(idx, msg);
  }

  private sendTo(toIdx: number, msg: { readonly type: string }): void {
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || typeof msg.type !== 'string') {
      throw this.error(`a message must be an object with a string type, like { type: 'Ping' }; got ${describeInvalid(msg)}`);
    }
    const proto = Object.getPrototypeOf(msg);
    if (proto !== Object.prototype && proto !== null) {
      throw this.error(`message ${msg.type} must be a plain object, not ${describeInvalid(msg)}`);
    }
    const dest = this.rt.nodes[toIdx]!;
    const handler = dest.role.on.get(msg.type);
    if (handler === undefined) {
      throw this.error(
        `sends ${msg.type} to ${dest.id}, but role ${dest.role.name} has no handler for ${msg.type}; add on: { ${msg.type}: (s, msg, ctx) => ... } to role ${dest.role.name}`,
      );
    }
    let text: string;
    try {
      text = formatMessage(msg);
    } catch (e) {
      if (e instanceof BadValue) throw this.error(`message ${msg.type}: field ${e.path.slice(1)} is ${e.what}`);
      throw e;
    }
    const p = this.partition;
    if (p !== null && p.sideOf[this.node.idx] !== p.sideOf[toIdx]) {
      if (this.collecting) this.notes.push(`${text} ${this.node.id}→${dest.id} lost: the partition separates them`);
      return;
    }
    const maxDelay = this.rt.maxDelay;
    this.sends.push(
      this.rt.network.intern(this.node.id, this.node.idx, dest.id, toIdx, msg, text, handler, maxDelay === undefined ? null : this.time + maxDelay),
    );
  }

  private checkTimer(name: string, what: string): void {
    if (!this.node.role.timerNames.includes(name)) {
      throw this.error(
        `${what}(${JSON.stringify(name)}): role ${this.node.role.name} has no timer ${JSON.stringify(name)}; declare timers: { ${name}: (s, ctx) => ... }`,
      );
    }
  }

  setTimer(name: string, delay?: number): void {
    this.checkTimer(name, 'setTimer');
    let v: number | true = true;
    if (this.rt.timed) {
      if (delay === undefined) throw this.error(`setTimer(${JSON.stringify(name)}) needs a delay in timed mode: setTimer(name, ticks)`);
      if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0) {
        throw this.error(`setTimer(${JSON.stringify(name)}, ${String(delay)}): the delay must be a non-negative integer number of ticks`);
      }
      v = this.time + delay;
    }
    const t = this.timers!;
    if (t[name] !== v) this.timers = { ...t, [name]: v };
  }

  cancelTimer(name: string): void {
    this.checkTimer(name, 'cancelTimer');
    const t = this.timers!;
    if (t[name] === undefined) return;
    const copy: Record<string, number | true> = {};
    for (const k in t) if (k !== name) copy[k] = t[k]!;
    this.timers = copy;
  }

  persist(durable: unknown): void {
    if (this.node.role.def.durable === undefined) {
      throw this.error(`persist(): role ${this.node.role.name} declares no durable state; add durable: (ctx) => initialDurableState`);
    }
    const bad = invalidPart(durable);
    if (bad !== null) throw this.error(`persist(value): not a state value: ${bad}`);
    this.durableValue = durable;
    this.durableWritten = true;
  }

  private clock(what: string): void {
    if (!this.rt.timed) throw this.error(`${what}: clocks exist only in timed mode (time: { mode: 'timed', maxTime })`);
    if (!this.node.role.clock) throw this.error(`${what}: role ${this.node.role.name} has no clock; declare clock: true in the role`);
  }

  now(): number {
    this.clock('now()');
    return this.time + this.clockOffset;
  }

  monotonic(): number {
    this.clock('monotonic()');
    return this.time - this.startedAt;
  }

  peers(role?: string): readonly string[] {
    const key = `${this.node.idx}|${role ?? ''}`;
    let ids = this.peersCache.get(key);
    if (ids === undefined) {
      let pool: readonly NodeRt[] = this.rt.nodes;
      if (role !== undefined) {
        const r = this.rt.roleByName.get(role);
        if (r === undefined) throw this.error(`peers(${JSON.stringify(role)}): unknown role; the roles are ${[...this.rt.roleByName.keys()].join(', ')}`);
        pool = r.nodes.map((i) => this.rt.nodes[i]!);
      }
      ids = Object.freeze(pool.filter((n) => n.idx !== this.node.idx).map((n) => n.id));
      this.peersCache.set(key, ids);
    }
    return ids;
  }

  choose<X>(options: readonly X[]): X {
    if (!Array.isArray(options)) throw this.error('choose(options): options must be an array');
    const i = this.choices.pick(options.length, () =>
      this.error(
        `handler is nondeterministic: re-run with the same earlier choices, choose() got ${options.length} options instead of the first run's. Handlers must not read Date.now(), Math.random() or outside state`,
      ),
    );
    const v = options[i]!;
    this.choices.record(v);
    return v;
  }

  observe(key: string, value: unknown): void {
    if (typeof key !== 'string') throw this.error('observe(key, value): key must be a string');
    const bad = invalidPart(value);
    if (bad !== null) throw this.error(`observe(${JSON.stringify(key)}, value): not a state value: ${bad}`);
    const prev = this.observed[key];
    // concat, not a spread: the array it makes is exact, a spread's has room for 25 items
    // (measured after gc: 96 against 248 bytes for 6 items), and the history is kept.
    this.observed = { ...this.observed, [key]: prev === undefined ? [value] : prev.concat([value]) };
  }

  note(text: string): void {
    if (this.collecting) this.notes.push(String(text));
  }
}

export type { Context };
