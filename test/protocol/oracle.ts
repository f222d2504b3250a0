// An independent brute-force explorer for the protocol tests: plain BFS over
// compile() + successors(), states identified by a canonical JSON string (not by
// faultline's fingerprints or visited set), parent links for shortest traces.
import { isImmutable, isKeyed, isIndexed, isSet, isRecord } from 'immutable';
import type { Spec, TransitionSystem } from '../../src/core/types.js';

/** Canonical JSON: object keys sorted, map entries and set elements sorted by their encoding. */
export function canon(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') return `{"#bigint":"${v}"}`;
    if (v === undefined) throw new Error('undefined in a state');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (isImmutable(v)) {
    if (isRecord(v)) return canon((v as unknown as { toObject(): object }).toObject());
    if (isKeyed(v)) {
      const es = [...(v as unknown as Iterable<[unknown, unknown]>)].map(([k, x]) => `[${canon(k)},${canon(x)}]`).sort();
      return `{"#map":[${es.join(',')}]}`;
    }
    if (isSet(v)) return `{"#set":[${[...(v as Iterable<unknown>)].map(canon).sort().join(',')}]}`;
    if (isIndexed(v)) return `[${[...(v as Iterable<unknown>)].map(canon).join(',')}]`;
  }
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export interface Explored<S> {
  system: TransitionSystem<S>;
  distinct: number;
  generated: number;
  states: S[];
  /** Per invariant: labels of a shortest trace to a violating state (absent: holds). */
  violations: Map<string, { trace: string[]; state: S; message: string }>;
  /** Successors generated per action name. */
  coverage: Map<string, number>;
  depth: number;
}

export function explore<S = any>(
  spec: Spec<any>,
  opts: { params?: Record<string, unknown>; faults?: Record<string, number>; maxStates?: number } = {},
): Explored<S> {
  const system = spec.compile({ ...spec.params, ...(opts.params ?? {}) } as never, { faults: opts.faults }) as TransitionSystem<S>;
  const index = new Map<string, number>();
  const states: S[] = [];
  const parent: number[] = [];
  const via: string[] = [];
  const depthOf: number[] = [];
  const violations = new Map<string, { trace: string[]; state: S; message: string }>();
  const coverage = new Map<string, number>(system.actions.map((a) => [a.name, 0]));
  let generated = 0;
  const traceTo = (i: number): string[] => {
    const out: string[] = [];
    for (let k = i; parent[k]! >= 0; k = parent[k]!) out.push(via[k]!);
    return out.reverse();
  };
  const add = (s: S, from: number, label: string): void => {
    generated++;
    const key = canon(s);
    if (index.has(key)) return;
    const id = states.length;
    index.set(key, id);
    states.push(s);
    parent.push(from);
    via.push(label);
    depthOf.push(from < 0 ? 0 : depthOf[from]! + 1);
    for (const inv of system.invariants) {
      if (violations.has(inv.name)) continue;
      const r = inv.check(s);
      if (r !== true) violations.set(inv.name, { trace: traceTo(id), state: s, message: r === false ? `${inv.name} is false` : String(r) });
    }
    if (opts.maxStates !== undefined && states.length > opts.maxStates) throw new Error(`more than ${opts.maxStates} states`);
  };
  for (const s of system.initialStates()) add(s, -1, '');
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    if (system.constraint && !system.constraint(s)) continue;
    system.successors(s, (next, action, label) => {
      const name = system.actions[action]!.name;
      coverage.set(name, (coverage.get(name) ?? 0) + 1);
      add(next, i, typeof label === 'function' ? label() : label);
    });
  }
  // As TLC counts: a state failing the constraint is checked, not counted.
  const distinct = system.constraint ? states.filter((s) => system.constraint!(s)).length : states.length;
  return { system, distinct, generated, states, violations, coverage, depth: Math.max(0, ...depthOf) };
}

/** Labels of every successor of a state, in emission order. */
export function labelsOf<S>(system: TransitionSystem<S>, s: S): string[] {
  const out: string[] = [];
  system.successors(s, (_n, _a, l) => out.push(typeof l === 'function' ? l() : l));
  return out;
}

/** The successor with this label (throws if none). */
export function step<S>(system: TransitionSystem<S>, s: S, label: string): S {
  let found: S | undefined;
  system.successors(s, (n, _a, l) => {
    if (found === undefined && (typeof l === 'function' ? l() : l) === label) found = n;
  });
  if (found === undefined) throw new Error(`no successor "${label}"; the successors are:\n  ${labelsOf(system, s).join('\n  ')}`);
  return found;
}
