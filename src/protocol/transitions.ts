// The transitions of a protocol: initial worlds, and every successor of a world
// (ordinary actions and faults) in a fixed order:
//   deliver (messages in canonical order) · fire (nodes in order, timers in declared
//   order) · step · restart · resume · heal · tick ·
//   drop · duplicate · crash · pause · partition · delay · clockJump
// Handlers run on a reusable context (context.ts); a successor copies only what
// changed (world.ts).
import { currentCall } from '../core/current-call.js';
import { SpecError, isSpecError } from '../core/errors.js';
import type { Emit } from '../core/types.js';
import { userCodeError } from '../core/spec.js';
import { equalValues } from '../values/compare.js';
import { Ctx, DEAD_BRANCH, invalidPart } from './context.js';
import type { FaultName } from './faults.js';
import { HandlerMemo, type HandlerCache, type Outcome } from './handler-memo.js';
import { signed } from './labels.js';
import type { Model } from './model.js';
import { envelopeInfo, type Envelope } from './network.js';
import type { AnyFn, NodeRt } from './roles.js';
import { range } from './time.js';
import { EMPTY_OBSERVED, EMPTY_TIMERS, HAS_TIMERS, makeNode, type NodeRec, type Timers, type World } from './world.js';

/** The fault counters with one more use of fault f. */
function bump(used: Readonly<Record<string, number>>, f: FaultName): Readonly<Record<string, number>> {
  return { ...used, [f]: used[f]! + 1 };
}

const DELIVER = 0;
const FIRE = 1;
const STEP = 2;
const RESTART = 3;

/** Per-expansion scratch space; a pool makes successors() safe to re-enter. */
interface Engine {
  readonly ctx: Ctx;
  /** Notes of the last emitted successor (when ctx.collecting). */
  notes: readonly string[];
  /** Whether the world being expanded was claimed by the handler cache: its handler runs go through it. */
  memoised: boolean;
}

export class Transitions {
  private readonly pool: Engine[] = [];
  /** The last world expanded whose tick only maxTime held back (for the liveness pass). */
  cutByMaxTime: World | undefined;

  /** `cache`: what handler runs go through for the worlds the coded search decodes (installed by compile.ts). */
  constructor(
    private readonly m: Model,
    private readonly cache?: HandlerCache,
  ) {}

  private acquire(): Engine {
    return this.pool.pop() ?? { ctx: new Ctx(this.m), notes: [], memoised: false };
  }

  private release(e: Engine): void {
    e.ctx.collecting = false;
    this.pool.push(e);
  }

  private wrap(e: unknown, n: NodeRt, handler: string, label: string): SpecError {
    const err = userCodeError(e, `handler ${handler} of role ${n.role.name} (node ${n.id})`, { role: n.role.name, handler });
    if (err.action === undefined) err.action = label;
    return err;
  }

  private badResult(n: NodeRt, handler: string, label: string, s: unknown, why: string): SpecError {
    const hint = s === undefined ? ' (return the new local state, or s itself to leave it unchanged)' : '';
    const err = new SpecError(
      `handler ${handler} of role ${n.role.name} (node ${n.id}) returned a non-state: ${why}${hint}`,
      { role: n.role.name, handler },
    );
    err.action = label;
    return err;
  }

  // ---------------------------------------------------------------- initial states

  initialStates(): World[] {
    const eng = this.acquire();
    try {
      return this.initial(eng);
    } finally {
      this.release(eng);
    }
  }

  private initial(eng: Engine): World[] {
    const ctx = eng.ctx;
    const choices = ctx.choices;
    const skews = range(this.m.time.maxSkew);
    const out: World[] = [];
    choices.reset();
    do {
      choices.rewind();
      let inFlight = this.m.network.empty;
      let observed = EMPTY_OBSERVED;
      const nodes: Record<string, NodeRec> = {};
      let current: NodeRt | undefined;
      let hook = 'init';
      try {
        for (const n of this.m.nodes) {
          current = n;
          const role = n.role;
          let offset = 0;
          if (role.clock && skews.length > 1) {
            const i = choices.pick(skews.length, () => new SpecError('internal: skew choices changed'));
            choices.record(skews[i]);
            offset = skews[i]!;
          }
          const timers = role.shape & HAS_TIMERS ? EMPTY_TIMERS : undefined;
          let durable: unknown = undefined;
          if (role.def.durable !== undefined) {
            hook = 'durable';
            ctx.begin(n, hook, 0, offset, 0, null, timers, undefined, observed, '');
            durable = (role.def.durable as AnyFn)(ctx);
            const bad = durable === undefined ? 'it is undefined' : invalidPart(durable);
            if (bad !== null) throw this.badResult(n, hook, `init ${n.id}`, durable, bad);
            for (const env of ctx.sends) inFlight = this.m.network.add(inFlight, env);
            observed = ctx.observed;
          }
          hook = 'init';
          ctx.begin(n, hook, 0, offset, 0, null, timers, durable, observed, '');
          const s = (role.def.init as AnyFn)(ctx);
          const bad = s === undefined ? 'it is undefined' : invalidPart(s);
          if (bad !== null) throw this.badResult(n, hook, `init ${n.id}`, s, bad);
          nodes[n.id] = makeNode(role.shape, 'up', s, ctx.durableValue, ctx.timers, offset, 0);
          for (const env of ctx.sends) inFlight = this.m.network.add(inFlight, env);
          observed = ctx.observed;
        }
      } catch (e) {
        if (e === DEAD_BRANCH) continue;
        if (isSpecError(e) || current === undefined) throw e;
        throw this.wrap(e, current, hook, `init ${current.id}`);
      }
      out.push(this.m.world(0, nodes, inFlight, observed, this.m.faults0, null));
    } while (choices.advance());
    if (out.length === 0) throw new SpecError('no initial state: a choose() in init had no options on every branch', { handler: 'init' });
    return out;
  }

  // ---------------------------------------------------------------- successors

  successors(w: World, emit: Emit<World>): void {
    const eng = this.acquire();
    try {
      this.expand(eng, w, emit);
    } finally {
      this.release(eng);
    }
  }

  private expand(eng: Engine, w: World, emit: Emit<World>): void {
    eng.memoised = this.cache !== undefined && !eng.ctx.collecting && this.cache.claim(w);
    const nodes = this.m.nodes;
    const network = this.m.network;
    const timed = this.m.timed;
    const time = w.time ?? 0;
    const net = w.inFlight;
    let blocked = false; // timed mode: an up node has a due timer or an enabled step

    // deliver
    for (let r = 0; r < net.length; r++) {
      if (!network.deliverable(net, r)) continue;
      const info = envelopeInfo(net[r]!);
      const n = nodes[info.toIdx]!;
      const rec = w.nodes[n.id]!;
      if (rec.status === 'up') this.exec(eng, w, n, rec, DELIVER, info.handler, r, emit);
    }

    // fire, step
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]!;
      const rec = w.nodes[n.id]!;
      if (rec.status !== 'up') continue;
      const role = n.role;
      const timers = rec.timers;
      if (timers !== undefined) {
        for (let t = 0; t < role.timerNames.length; t++) {
          const d = timers[role.timerNames[t]!];
          if (d === undefined) continue;
          if (timed) {
            if ((d as number) > time) continue;
            blocked = true;
          }
          this.exec(eng, w, n, rec, FIRE, t, -1, emit);
        }
      }
      for (let t = 0; t < role.stepFns.length; t++) {
        if (this.exec(eng, w, n, rec, STEP, t, -1, emit)) blocked = true;
      }
    }

    // restart
    if (this.m.budgets.crash > 0 && this.m.crashRecover) {
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        const rec = w.nodes[n.id]!;
        if (rec.status === 'crashed') this.exec(eng, w, n, rec, RESTART, 0, -1, emit);
      }
    }

    // resume
    if (this.m.budgets.pause > 0) {
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        const rec = w.nodes[n.id]!;
        if (rec.status === 'paused') {
          this.emitNode(w, n, makeNode(n.role.shape, 'up', rec.state, rec.durable, rec.timers, rec.clockOffset ?? 0, rec.startedAt ?? 0), w.faults, this.m.resumeAction, n.resumeLabel, emit);
        }
      }
    }

    // heal
    if (w.partition) {
      emit(this.m.world(time, w.nodes, w.inFlight, w.observed, w.faults, null), this.m.healAction, 'heal');
    }

    // tick
    if (timed && !blocked && !this.overdue(w)) {
      if (time < this.m.time.maxTime) {
        emit(this.m.world(time + 1, w.nodes, w.inFlight, w.observed, w.faults, w.partition), this.m.tickAction, this.m.tickLabels[time + 1]!);
      } else this.cutByMaxTime = w;
    }

    this.faults(eng, w, emit);
  }

  /** maxDelay mode: a message to an up node, not delayed, must go before time passes its deadline. */
  private overdue(w: World): boolean {
    if (this.m.maxDelay === undefined) return false;
    const time = w.time ?? 0;
    const net = w.inFlight;
    for (let i = 0; i < net.length; i++) {
      const env = net[i]!;
      if (env.deliverBy !== null && (env.deliverBy as number) <= time && w.nodes[env.to]!.status === 'up') return true;
    }
    return false;
  }

  private emitNode(w: World, n: NodeRt, rec: NodeRec, faults: Readonly<Record<string, number>> | undefined, action: number, label: string, emit: Emit<World>): void {
    const nodes = this.m.withNode(w.nodes, n.idx, rec);
    emit(this.m.world(w.time ?? 0, nodes, w.inFlight, w.observed, faults, w.partition), action, label);
  }

  /**
   * Runs one handler at node n (every branch of its choices) and emits the
   * successors. Returns whether it emitted any (for steps: whether it is enabled).
   */
  private exec(
    eng: Engine,
    w: World,
    n: NodeRt,
    rec: NodeRec,
    kind: number,
    h: number,
    r: number,
    emit: Emit<World>,
  ): boolean {
    const ctx = eng.ctx;
    const role = n.role;
    let fn: AnyFn;
    let handler: string;
    let action: number;
    let label: string;
    let timers0: Timers | undefined = rec.timers;
    let status = rec.status;
    let startedAt = rec.startedAt ?? 0;
    let msg: unknown = undefined;
    let from = '';
    switch (kind) {
      case DELIVER: {
        const hr = this.m.handlers[h]!;
        const env = w.inFlight[r]!;
        fn = hr.fn;
        handler = hr.name;
        action = hr.action;
        label = envelopeInfo(env).deliverLabel;
        msg = env.msg;
        from = env.from;
        break;
      }
      case FIRE: {
        const name = role.timerNames[h]!;
        fn = role.timerFns[h]!;
        handler = 'timers.' + name;
        action = role.timerActions[h]!;
        label = n.fireLabels[h]!;
        const copy: Record<string, number | true> = {};
        for (const k in timers0) if (k !== name) copy[k] = timers0[k]!;
        timers0 = copy;
        break;
      }
      case STEP:
        fn = role.stepFns[h]!;
        handler = 'steps.' + role.stepNames[h]!;
        action = role.stepActions[h]!;
        label = n.stepLabels[h]!;
        break;
      default: {
        // RESTART
        const recover = role.def.recover as AnyFn | undefined;
        fn = recover ?? (role.def.init as AnyFn);
        handler = recover !== undefined ? 'recover' : 'init';
        action = role.restartAction;
        label = n.restartLabel;
        timers0 = role.shape & HAS_TIMERS ? EMPTY_TIMERS : undefined;
        status = 'up';
        startedAt = w.time ?? 0;
      }
    }
    const partition = this.m.partitionOf(w.partition);
    const clockOffset = rec.clockOffset ?? 0;
    const time = w.time ?? 0;
    // A world the coded search decoded numbers its node records: the outcomes of a
    // handler run on the same record and inputs before are replayed (handler-memo.ts).
    const cache = this.cache;
    const word = eng.memoised ? cache!.word(n.idx) : -1;
    const observedWord = eng.memoised ? cache!.observedWord() : -1;
    let slot = 0;
    let outcomes: Outcome[] | undefined;
    if (word >= 0) {
      slot = HandlerMemo.slot(kind, kind === DELIVER ? envelopeInfo(w.inFlight[r]!).id : h);
      const known = cache!.memo.find(n.idx, word, slot, observedWord, w.observed, w.partition, time);
      if (known !== undefined) return this.replay(cache!, w, n, r, action, known, emit);
      outcomes = [];
    }
    const choices = ctx.choices;
    let emitted = false;
    choices.reset();
    do {
      choices.rewind();
      ctx.begin(n, handler, time, clockOffset, startedAt, partition, timers0, rec.durable, w.observed, from);
      let s: unknown;
      currentCall.label = label;
      try {
        switch (kind) {
          case DELIVER:
            s = fn(rec.state, msg, ctx);
            break;
          case RESTART:
            s = handler === 'recover' ? fn(rec.durable, ctx) : fn(ctx);
            break;
          default:
            s = fn(rec.state, ctx);
        }
      } catch (e) {
        if (e === DEAD_BRANCH) continue;
        throw this.wrap(e, n, handler, label);
      }
      if (s === undefined) {
        if (kind === STEP) continue;
        throw this.badResult(n, handler, label, s, 'undefined');
      }
      if (typeof s !== 'object' || s === null || !Object.isFrozen(s)) {
        const bad = invalidPart(s);
        if (bad !== null) throw this.badResult(n, handler, label, s, bad);
      }
      const timers = ctx.timers;
      const durable = ctx.durableValue;
      if (
        kind === STEP &&
        ctx.sends.length === 0 &&
        ctx.observed === w.observed &&
        (s === rec.state || equalValues(s, rec.state)) &&
        (timers === rec.timers || equalValues(timers, rec.timers)) &&
        (!ctx.durableWritten || durable === rec.durable || equalValues(durable, rec.durable))
      ) {
        continue; // leaves the world as it is: not enabled
      }
      let rec2 = makeNode(role.shape, status, s, durable, timers, clockOffset, startedAt);
      const branch = choices.branched ? label + choices.suffix() : label;
      if (outcomes !== undefined) {
        const interned = cache!.intern(n.idx, rec2);
        if (interned < 0) outcomes = undefined;
        else {
          rec2 = cache!.part(n.idx, interned);
          outcomes.push({ rec: rec2, word: interned, sends: ctx.sends.slice(), observed: ctx.observed, label: branch });
          cache!.hint(n.idx, rec2, interned);
        }
      }
      const net = this.m.network.update(w.inFlight, r, ctx.sends);
      const nodes = this.m.withNode(w.nodes, n.idx, rec2);
      const next = this.m.world(time, nodes, net, ctx.observed, w.faults, w.partition);
      if (ctx.collecting) eng.notes = ctx.notes.slice();
      emitted = true;
      emit(next, action, branch);
    } while (choices.advance());
    if (outcomes !== undefined) cache!.memo.remember(n.idx, word, slot, observedWord, w.observed, w.partition, time, outcomes);
    return emitted;
  }

  /** The successors of a handler run remembered from before, emitted as exec() emitted them. */
  private replay(cache: HandlerCache, w: World, n: NodeRt, r: number, action: number, known: readonly Outcome[], emit: Emit<World>): boolean {
    for (let i = 0; i < known.length; i++) {
      const o = known[i]!;
      const next = this.m.world(w.time ?? 0, this.m.withNode(w.nodes, n.idx, o.rec), this.m.network.update(w.inFlight, r, o.sends), o.observed, w.faults, w.partition);
      cache.hint(n.idx, o.rec, o.word);
      emit(next, action, o.label);
    }
    return known.length > 0;
  }

  // ---------------------------------------------------------------- faults

  private faults(eng: Engine, w: World, emit: Emit<World>): void {
    const b = this.m.budgets;
    const used = w.faults;
    if (used === undefined) return;
    const network = this.m.network;
    const net = w.inFlight;
    const nodes = this.m.nodes;
    const time = w.time ?? 0;

    if (b.drop > used.drop!) {
      const f = bump(used, 'drop');
      for (let r = 0; r < net.length; r++) {
        if (!network.distinct(net, r)) continue;
        emit(this.m.world(time, w.nodes, network.remove(net, r), w.observed, f, w.partition), this.m.faultAction.drop, envelopeInfo(net[r]!).dropLabel);
      }
    }
    if (b.duplicate > used.duplicate!) {
      const f = bump(used, 'duplicate');
      for (let r = 0; r < net.length; r++) {
        if (!network.distinct(net, r)) continue;
        emit(
          this.m.world(time, w.nodes, network.duplicate(net, r), w.observed, f, w.partition),
          this.m.faultAction.duplicate,
          envelopeInfo(net[r]!).duplicateLabel,
        );
      }
    }
    if (b.crash > used.crash!) {
      const f = bump(used, 'crash');
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        const rec = w.nodes[n.id]!;
        if (rec.status === 'crashed') continue;
        const timers = n.role.shape & HAS_TIMERS ? EMPTY_TIMERS : undefined;
        this.emitNode(w, n, makeNode(n.role.shape, 'crashed', null, rec.durable, timers, rec.clockOffset ?? 0, 0), f, this.m.faultAction.crash, n.crashLabel, emit);
      }
    }
    if (b.pause > used.pause!) {
      const f = bump(used, 'pause');
      for (let i = 0; i < nodes.length; i++) {
        const n = nodes[i]!;
        const rec = w.nodes[n.id]!;
        if (rec.status !== 'up') continue;
        this.emitNode(w, n, makeNode(n.role.shape, 'paused', rec.state, rec.durable, rec.timers, rec.clockOffset ?? 0, rec.startedAt ?? 0), f, this.m.faultAction.pause, n.pauseLabel, emit);
      }
    }
    if (b.partition > used.partition! && !w.partition) {
      const f = bump(used, 'partition');
      for (const p of this.m.partitions) {
        const cut = (env: Envelope) => p.sideOf[envelopeInfo(env).fromIdx] !== p.sideOf[envelopeInfo(env).toIdx];
        if (eng.ctx.collecting) {
          const lost = net.filter(cut);
          eng.notes = lost.length === 0 ? [] : [`lost in flight: ${lost.map((e) => envelopeInfo(e).text).join('; ')}`];
        }
        emit(this.m.world(time, w.nodes, network.filter(net, cut), w.observed, f, p.sides), this.m.faultAction.partition, p.label);
      }
    }
    if (b.delay > used.delay!) {
      const f = bump(used, 'delay');
      for (let r = 0; r < net.length; r++) {
        const env = net[r]!;
        // Equal neighbours give one successor for drop and duplicate, and for delay on an
        // unordered network; in a FIFO channel, delaying the first or the second copy
        // leaves the due one behind or ahead: two worlds (found by test/protocol/reference).
        if (env.deliverBy === null || (!network.fifo && !network.distinct(net, r))) continue;
        emit(
          this.m.world(time, w.nodes, network.replace(net, r, network.delayed(env)), w.observed, f, w.partition),
          this.m.faultAction.delay,
          envelopeInfo(env).delayLabel,
        );
      }
    }
    if (b.clockJump > used.clockJump!) {
      const f = bump(used, 'clockJump');
      for (const n of this.m.clockNodes) {
        const rec = w.nodes[n.id]!;
        for (const v of this.m.jumps) {
          if (v === rec.clockOffset) continue;
          this.emitNode(
            w,
            n,
            makeNode(n.role.shape, rec.status, rec.state, rec.durable, rec.timers, v, rec.startedAt ?? 0),
            f,
            this.m.faultAction.clockJump,
            `clockJump ${n.id} offset=${signed(v)}`,
            emit,
          );
        }
      }
    }
  }

  // ---------------------------------------------------------------- notes

  /** The notes of the transition `label` from `state` (handler note()s, lost messages). */
  notes(state: World, label: string, next: World): readonly string[] {
    const eng = this.acquire();
    eng.ctx.collecting = true;
    eng.notes = [];
    let found: readonly string[] | undefined;
    let fallback: readonly string[] | undefined;
    try {
      this.expand(eng, state, (succ, _action, l) => {
        const notes = eng.notes;
        eng.notes = []; // each emit's notes are its own
        if (found !== undefined) return;
        const text = typeof l === 'function' ? l() : l;
        if (text !== label) return;
        if (succ === next || equalValues(succ, next)) found = notes;
        else fallback ??= notes;
      });
    } finally {
      this.release(eng);
    }
    return found ?? fallback ?? [];
  }
}
