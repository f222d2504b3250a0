// Small explicit transition systems for the liveness tests: states 0..n-1, labelled
// edges, and per-state values of the predicates P and Q. A seeded generator makes
// random ones (the same graphs on every run), and `toSpec` turns one into a core
// `spec()` whose state is `{ id: k }` and whose actions are the labels, so the
// checker and the oracle (oracle.ts) judge the very same system.
import { forEach, spec, type Spec } from '../../src/index.js';

export type FairnessKind = 'none' | 'weak' | 'strong';
export type Form = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';
export const FORMS: readonly Form[] = ['eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways'];

/** An edge labelled by the action instance that takes it (`A`, or `D(1)` for a forEach instance). */
export interface Edge {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ExplicitGraph {
  readonly n: number;
  /** Initial states (repeats allowed: init may list a state twice). */
  readonly initial: readonly number[];
  readonly edges: readonly Edge[];
  readonly p: readonly boolean[];
  readonly q: readonly boolean[];
}

/** A fairness declaration as `spec()` takes it. */
export type FairnessDecl = FairnessKind | Readonly<Record<string, FairnessKind>> | undefined;

/** Plain actions of the generated specs, and the one forEach action with its domain. */
export const PLAIN_ACTIONS = ['A', 'B', 'E'] as const;
export const EACH_ACTION = 'D';
export const EACH_DOMAIN = [1, 2] as const;
export const LABELS: readonly string[] = [...PLAIN_ACTIONS, ...EACH_DOMAIN.map((k) => `${EACH_ACTION}(${k})`)];

/** The action a label belongs to. */
export function actionOf(label: string): string {
  const open = label.indexOf('(');
  return open < 0 ? label : label.slice(0, open);
}

/**
 * The fairness kind of one instance under a declaration, read directly from the
 * documented rules (TLA+'s per-instance WF/SF): a string applies to every
 * instance; in an object an instance's own label wins over its action's name;
 * anything unnamed is not fair.
 */
export function kindOf(decl: FairnessDecl, label: string): FairnessKind {
  if (decl === undefined) return 'none';
  if (typeof decl === 'string') return decl;
  return decl[label] ?? decl[actionOf(label)] ?? 'none';
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GraphShape {
  readonly minStates: number;
  readonly maxStates: number;
  /** Chance that an instance is enabled at a (non-terminal) state. */
  readonly density: number;
  /** Chance that a state is terminal (default 0.15). */
  readonly terminal?: number;
  /** Chance that P holds at a state (default 0.45). */
  readonly pTrue?: number;
}

/**
 * A random graph: each state is terminal (no edges) with some chance; otherwise
 * each instance of A, B, D(1), D(2) is enabled there with chance `density`, going
 * to one or two random targets, sometimes the state itself (a self-loop, which is
 * a stutter). The escape action E is planted on half the graphs: a cycle of two or
 * three states, E enabled at every one of them and leading off the cycle, so a
 * behaviour may go round with E enabled and never taken (fair only if E is not
 * weakly or strongly fair). One to three initial states, possibly repeated.
 */
export function randomGraph(rand: () => number, shape: GraphShape): ExplicitGraph {
  const pick = (k: number) => Math.floor(rand() * k);
  const n = shape.minStates + pick(shape.maxStates - shape.minStates + 1);
  const edges: Edge[] = [];
  const add = (from: number, to: number, label: string) => {
    if (!edges.some((e) => e.from === from && e.to === to && e.label === label)) edges.push({ from, to, label });
  };
  const terminal = Array.from({ length: n }, () => rand() < (shape.terminal ?? 0.15));
  for (let s = 0; s < n; s++) {
    if (terminal[s]) continue;
    for (const label of LABELS) {
      if (label === 'E' || rand() >= shape.density) continue;
      const targets = rand() < 0.2 ? 2 : 1;
      for (let i = 0; i < targets; i++) add(s, rand() < 0.15 ? s : pick(n), label);
    }
  }
  if (n >= 3 && rand() < 0.5) {
    const len = n >= 4 && rand() < 0.5 ? 3 : 2;
    const cycle: number[] = [];
    while (cycle.length < len) {
      const s = pick(n);
      if (!cycle.includes(s)) cycle.push(s);
    }
    const off = Array.from({ length: n }, (_, s) => s).filter((s) => !cycle.includes(s));
    const exit = off[pick(off.length)]!;
    const around = LABELS[pick(LABELS.length)]!;
    cycle.forEach((s, i) => {
      add(s, cycle[(i + 1) % len]!, around === 'E' ? 'A' : around);
      add(s, exit, 'E');
    });
  }
  const initial = Array.from({ length: 1 + pick(3) }, () => pick(n));
  const p = Array.from({ length: n }, () => rand() < (shape.pTrue ?? 0.45));
  const q = Array.from({ length: n }, () => rand() < 0.4);
  return { n, initial, edges, p, q };
}

/** A random fairness declaration: none, all weak, all strong, or mixed per action and per instance. */
export function randomFairness(rand: () => number, variant: 'none' | 'weak' | 'strong' | 'mixed'): FairnessDecl {
  if (variant === 'none') return rand() < 0.5 ? undefined : 'none';
  if (variant !== 'mixed') return variant;
  const kinds: FairnessKind[] = ['none', 'weak', 'strong'];
  const decl: Record<string, FairnessKind> = {};
  for (const a of [...PLAIN_ACTIONS, EACH_ACTION]) if (rand() < 0.8) decl[a] = kinds[Math.floor(rand() * 3)]!;
  for (const k of EACH_DOMAIN) if (rand() < 0.4) decl[`${EACH_ACTION}(${k})`] = kinds[Math.floor(rand() * 3)]!;
  return decl;
}

export interface IdState {
  readonly id: number;
}

/**
 * The graph as a core spec with one liveness property `prop` of the given form
 * (P, or P ~> Q for leadsTo), after `padding` ones that always hold. A predicate that fails answers `false` or a string,
 * alternately by state, as predicates may.
 */
export function toSpec(
  g: ExplicitGraph,
  form: Form,
  fairness: FairnessDecl,
  extra: { readonly constraint?: (s: IdState) => boolean; readonly padding?: number } = {},
): Spec {
  const targets = (from: number, label: string) => g.edges.filter((e) => e.from === from && e.label === label).map((e) => ({ id: e.to }));
  const step = (s: IdState, label: string) => {
    const t = targets(s.id, label);
    return t.length === 0 ? undefined : t;
  };
  const pred = (values: readonly boolean[], what: string) => (s: IdState) => values[s.id] ? true : s.id % 2 === 0 ? false : `${what} fails at ${s.id}`;
  const P = pred(g.p, 'P');
  const Q = pred(g.q, 'Q');
  // `padding` properties that hold everywhere come first, so that prop's predicates sit past the first 32.
  const pads = Object.fromEntries(Array.from({ length: extra.padding ?? 0 }, (_, i) => [`pad${i}`, () => true]));
  const property = form === 'leadsTo' ? { eventually: pads, leadsTo: { prop: [P, Q] as const } } : { eventually: pads, [form]: { ...(form === 'eventually' ? pads : {}), prop: P } };
  return spec<IdState>({
    name: 'random-graph',
    init: () => g.initial.map((id) => ({ id })),
    actions: {
      A: (s) => step(s, 'A'),
      B: (s) => step(s, 'B'),
      E: (s) => step(s, 'E'),
      D: forEach(EACH_DOMAIN, (s: IdState, k) => step(s, `D(${k})`)),
    },
    ...property,
    ...(fairness === undefined ? {} : { fairness }),
    ...(extra.constraint ? { constraint: extra.constraint } : {}),
  });
}

/** One line describing a graph, for failure messages (enough to rebuild it by hand). */
export function describeGraph(g: ExplicitGraph): string {
  const edges = g.edges.map((e) => `${e.from}-${e.label}->${e.to}`).join(' ');
  const bits = (v: readonly boolean[]) => v.map((b) => (b ? 1 : 0)).join('');
  return `n=${g.n} init=[${g.initial.join(',')}] P=${bits(g.p)} Q=${bits(g.q)} edges: ${edges}`;
}
