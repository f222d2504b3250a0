// One explored spec, compiled with fixed params and fault budgets: the tree of the
// paths a student has walked. A path is an initial state (its index) and a list of
// action keys; a key is the action's trace label, with " #2", " #3", … added only
// when one label leads to several different states (a `choose` without its own
// label, say), so a path reads like the terminal trace and survives a spec edit
// that does not touch the steps it takes.
//
// Walking a path re-executes the spec from the initial state, as `replay` does; the
// tree remembers each state's successors, so a click costs one successor
// enumeration (measured: see the README's Explore section).
import { isSpecError, type TraceStep } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import { resolveLabel } from '../explore/reconstruct.js';
import { equalValues } from '../values/compare.js';

/** What an invariant or action property says about a state or transition. */
export interface PropertyVerdict {
  readonly name: string;
  readonly kind: 'invariant' | 'actionProperty';
  readonly holds: boolean;
  /** The explanation when it fails. */
  readonly message?: string;
}

/** One action enabled in a state, and where it leads. */
export interface Enabled {
  /** The key a path uses for it (its label, or label #n). */
  readonly key: string;
  readonly label: string;
  /** The action's name in the system (coverage name: `deliver Vote@node`, `drop`, …). */
  readonly action: string;
  readonly fault: boolean;
  readonly next: unknown;
  /**
   * Properties that taking it breaks: an invariant that holds now and fails in the next
   * state, or an action property that fails on the transition. (An invariant already
   * false stays false after most actions; flagging them all would say nothing.)
   */
  readonly violates: readonly PropertyVerdict[];
}

/** A spec error met while walking, with the step it happened at. */
export interface WalkError {
  readonly message: string;
  readonly role?: string;
  readonly handler?: string;
  /** The transition being taken, when the spec says. */
  readonly action?: string;
  /** The path index of the state whose actions were being computed. */
  readonly step: number;
}

interface Node {
  readonly state: unknown;
  /** Successors in the spec's order (computed on first visit). */
  enabled?: Enabled[];
  readonly children: Map<string, Node>;
}

/** Where a path stopped fitting the spec. */
export interface Stopped {
  /** The step (1-based index into the path) that does not fit. */
  readonly step: number;
  readonly key: string;
  readonly reason: 'not-enabled';
  /** The keys enabled at the step before, so the student sees what is possible instead. */
  readonly enabled: readonly string[];
}

export interface Walked {
  /** The states of the part of the path that fits, initial state first, with their keys. */
  readonly trace: TraceStep[];
  readonly keys: readonly string[];
  readonly stopped?: Stopped;
  readonly error?: WalkError;
}

function verdictOf(r: unknown, name: string): string | undefined {
  if (r === true) return undefined;
  if (r === false) return `${name} is false`;
  if (typeof r === 'string') return r;
  return `${name} returned ${JSON.stringify(r)}`;
}

/** A bound on the remembered tree: past it the tree is forgotten and rebuilt on demand. */
const MAX_NODES = 200_000;

export class Session {
  private readonly roots: Node[];
  private nodes = 0;

  /** Compiling the system is the caller's (it may throw a UsageError or SpecError). */
  constructor(readonly system: TransitionSystem<unknown>) {
    // A spec error in initialStates() is the caller's to report (nothing was taken yet).
    this.roots = system.initialStates().map((state) => ({ state, children: new Map() }));
  }

  get initialCount(): number {
    return this.roots.length;
  }

  initialState(i: number): unknown {
    return this.roots[i]?.state;
  }

  /** The invariants in `state`, and the action properties of the transition into it. */
  properties(state: unknown, before?: { state: unknown; label: string }): PropertyVerdict[] {
    const out: PropertyVerdict[] = [];
    for (const p of this.system.invariants) {
      const m = verdictOf(p.check(state), p.name);
      out.push({ name: p.name, kind: 'invariant', holds: m === undefined, message: m });
    }
    if (before !== undefined) {
      for (const p of this.system.actionProperties) {
        const m = verdictOf(p.check(before.state, before.label, state), p.name);
        out.push({ name: p.name, kind: 'actionProperty', holds: m === undefined, message: m });
      }
    }
    return out;
  }

  /** The actions enabled in a node's state (computed once), each with the properties it violates. */
  private enabledAt(node: Node): Enabled[] {
    if (node.enabled !== undefined) return node.enabled;
    const found: { label: string; action: number; next: unknown }[] = [];
    this.system.successors(node.state, (next, action, label) => {
      found.push({ label: resolveLabel(label), action, next });
    });
    const out: Enabled[] = [];
    const holdsNow = new Set(this.system.invariants.filter((p) => verdictOf(p.check(node.state), p.name) === undefined).map((p) => p.name));
    const byLabel = new Map<string, unknown[]>();
    for (const f of found) {
      const seen = byLabel.get(f.label) ?? [];
      // The same label and the same state twice (two equal messages in flight): one action.
      if (seen.some((s) => equalValues(s, f.next))) continue;
      seen.push(f.next);
      byLabel.set(f.label, seen);
      const key = seen.length === 1 ? f.label : `${f.label} #${seen.length}`;
      const info = this.system.actions[f.action];
      const violates = this.properties(f.next, { state: node.state, label: f.label }).filter(
        (p) => !p.holds && (p.kind === 'actionProperty' || holdsNow.has(p.name)),
      );
      out.push({ key, label: f.label, action: info?.name ?? f.label, fault: info?.fault === true, next: f.next, violates });
    }
    node.enabled = out;
    return out;
  }

  /** The node a step leads to, remembered in the tree. */
  private child(node: Node, e: Enabled): Node {
    let c = node.children.get(e.key);
    if (c === undefined) {
      if (this.nodes >= MAX_NODES) this.forget();
      c = { state: e.next, children: new Map() };
      node.children.set(e.key, c);
      this.nodes++;
    }
    return c;
  }

  private forget(): void {
    for (const r of this.roots) r.children.clear();
    this.nodes = 0;
  }

  /**
   * Follows a path from initial state `init` as far as it fits. A spec error while
   * computing a state's actions ends the walk there (the error names that step).
   */
  walk(init: number, keys: readonly string[]): Walked & { enabled?: Enabled[] } {
    const root = this.roots[init];
    if (root === undefined) throw new RangeError(`no initial state ${init}`);
    const trace: TraceStep[] = [{ action: null, state: root.state }];
    const taken: string[] = [];
    let node = root;
    try {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const enabled = this.enabledAt(node);
        const e = enabled.find((x) => x.key === key);
        if (e === undefined) {
          return { trace, keys: taken, stopped: { step: i + 1, key, reason: 'not-enabled', enabled: enabled.map((x) => x.key) } };
        }
        node = this.child(node, e);
        trace.push({ action: e.label, state: node.state });
        taken.push(key);
      }
      return { trace, keys: taken, enabled: this.enabledAt(node) };
    } catch (e) {
      if (!isSpecError(e)) throw e;
      return {
        trace,
        keys: taken,
        error: { message: e.message, role: e.role, handler: e.handler, action: e.action, step: taken.length },
      };
    }
  }

  /**
   * The keys of a trace of labelled states that starts at the end of `from` (as a
   * search from there returns it): each step is the enabled action with that label
   * whose state equals the trace's. Undefined where a step does not match.
   */
  keysOf(init: number, from: readonly string[], trace: readonly TraceStep[]): string[] | undefined {
    const keys = [...from];
    for (let i = 1; i < trace.length; i++) {
      const w = this.walk(init, keys);
      const want = trace[i]!;
      const e = (w.enabled ?? []).find((x) => x.label === want.action && equalValues(x.next, want.state));
      if (w.enabled === undefined || e === undefined) return undefined;
      keys.push(e.key);
    }
    return keys.slice(from.length);
  }

  /** The index of the initial state equal to `state`, or -1. */
  initialIndexOf(state: unknown): number {
    return this.roots.findIndex((r) => equalValues(r.state, state));
  }
}
