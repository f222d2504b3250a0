// An independent oracle for liveness on small explicit graphs (graphs.ts), written
// from TLA+'s definitions and sharing no code with src/liveness.
//
// Semantics. A behaviour is an infinite sequence of states from an initial state,
// each step an edge of the graph or a stutter (the state repeats). A self-loop edge
// is a stutter too: in TLA+ an action is taken (<<A>>_vars) or enabled (ENABLED
// <<A>>_vars) only by a step that changes the state. Step (s, t) takes every
// instance with an edge s→t. For instance a of fairness kind k:
//   WF(a): <>[]enabled(a) ⇒ []<>taken(a)     SF(a): []<>enabled(a) ⇒ []<>taken(a)
// The properties: <>P, P ~> Q ([](P ⇒ <>Q)), []<>P, <>[]P.
//
// Why deciding on state sets is exact. On a finite graph, let Inf be the states a
// behaviour visits infinitely often and T the steps (s≠t) it takes infinitely
// often. Then
//   - |Inf| = 1 and T = ∅ (it ends stuttering in one state), or |Inf| ≥ 2 and T
//     strongly connects Inf (between two states visited infinitely often it keeps
//     going back and forth using only steps of T);
//   - enabled(a) holds infinitely often iff a is enabled at some state of Inf, and
//     from some point on always iff a is enabled at every state of Inf;
//   - taken(a) holds infinitely often iff some step of T is an a-step;
//   - all four properties depend only on the finite prefix and on Inf (see
//     `violates` below).
// Conversely every such (Inf, T), reached by some finite path, is the limit of a
// real behaviour (walk around a closed walk that covers T forever). Fairness only
// improves when T grows (more instances taken; enabledness depends on Inf alone), so
// for a given Inf the best T is every step between states of Inf. Hence: a fair
// violating behaviour exists iff some state set Inf — strongly connected by all the
// steps inside it, or a single state — is fair with that T and violates the
// property. `decideBySubsets` enumerates every subset of states (n ≤ ~10).
//
// `decideByWalks` checks that argument without relying on it: it enumerates every
// closed walk (every lasso's cycle) from every state, by its exact footprint — the
// set of labelled edges it uses, which with its start determines Inf and the
// instances taken — so it is exact, but exponential in the number of edges (tiny
// graphs only). The tests check that the two agree.
import type { Edge, ExplicitGraph, FairnessKind, Form } from './graphs.js';

export type KindOf = (label: string) => FairnessKind;

export interface OracleVerdict {
  readonly violated: boolean;
  /** The states of a violating behaviour's infinite part, when violated. */
  readonly inf?: readonly number[];
}

/** Edges that change the state: self-loops are stutters. */
function moves(g: ExplicitGraph): Edge[] {
  return g.edges.filter((e) => e.from !== e.to);
}

/** States reachable from `starts` through states where `allowed` holds (starts included if allowed). */
function reach(g: ExplicitGraph, starts: readonly number[], allowed: (s: number) => boolean): boolean[] {
  const seen = new Array<boolean>(g.n).fill(false);
  const stack = starts.filter(allowed);
  for (const s of stack) seen[s] = true;
  while (stack.length > 0) {
    const u = stack.pop()!;
    for (const e of g.edges) {
      if (e.from !== u || seen[e.to] || !allowed(e.to)) continue;
      seen[e.to] = true;
      stack.push(e.to);
    }
  }
  return seen;
}

/**
 * What a violating behaviour's infinite part must satisfy, per form: `region` holds
 * at every state of Inf, Inf meets `entry` (the states a violating suffix can be
 * in, reached as the form requires), and for <>[]P Inf has a ¬P state.
 *   <>P      the whole behaviour is ¬P: entry = reachable through ¬P from a ¬P initial state;
 *   P ~> Q   some P∧¬Q state, then ¬Q forever: entry = reachable through ¬Q from a reachable P∧¬Q state;
 *   []<>P    ¬P forever from some point: entry = reachable ¬P states;
 *   <>[]P    ¬P infinitely often: Inf anywhere reachable, with a ¬P state.
 */
function conditions(g: ExplicitGraph, form: Form) {
  const reachable = reach(g, g.initial, () => true);
  const notP = (s: number) => !g.p[s];
  const notQ = (s: number) => !g.q[s];
  const all = () => true;
  switch (form) {
    case 'eventually':
      return { region: notP, entry: reach(g, g.initial, notP), needNotP: false };
    case 'leadsTo': {
      const triggers = [...Array(g.n).keys()].filter((s) => reachable[s] && g.p[s] && !g.q[s]);
      return { region: notQ, entry: reach(g, triggers, notQ), needNotP: false };
    }
    case 'alwaysEventually':
      return { region: notP, entry: reachable.map((r, s) => r && notP(s)), needNotP: false };
    case 'eventuallyAlways':
      return { region: all, entry: reachable, needNotP: true };
  }
}

/** Whether an infinite part with states `inf` taking the instances `taken` infinitely often is fair. */
function fair(g: ExplicitGraph, kindOf: KindOf, inf: readonly number[], taken: ReadonlySet<string>): boolean {
  const ms = moves(g);
  const labels = new Set(g.edges.map((e) => e.label));
  for (const a of labels) {
    const k = kindOf(a);
    if (k === 'none' || taken.has(a)) continue;
    const enabledAt = inf.map((s) => ms.some((e) => e.from === s && e.label === a));
    if (k === 'weak' && enabledAt.every(Boolean)) return false; // <>[]enabled, never taken
    if (k === 'strong' && enabledAt.some(Boolean)) return false; // []<>enabled, never taken
  }
  return true;
}

function violatesWith(g: ExplicitGraph, form: Form, inf: readonly number[]): boolean {
  const c = conditions(g, form);
  return inf.every(c.region) && inf.some((s) => c.entry[s]) && (!c.needNotP || inf.some((s) => !g.p[s]));
}

/**
 * Exact, by enumerating every set of states as the infinitely-visited set (see the
 * file comment). States in `excluded` may not be visited infinitely often.
 */
export function decideBySubsets(g: ExplicitGraph, form: Form, kindOf: KindOf, excluded: readonly boolean[] = []): OracleVerdict {
  if (g.n > 12) throw new Error('decideBySubsets: too many states to enumerate');
  const ms = moves(g);
  for (let mask = 1; mask < 1 << g.n; mask++) {
    const inf = [...Array(g.n).keys()].filter((s) => (mask >> s) & 1);
    if (inf.some((s) => excluded[s]) || !violatesWith(g, form, inf)) continue;
    const inside = ms.filter((e) => (mask >> e.from) & 1 && (mask >> e.to) & 1);
    if (inf.length > 1) {
      const within = (s: number) => ((mask >> s) & 1) === 1;
      const sub: ExplicitGraph = { ...g, edges: inside };
      const forward = reach(sub, [inf[0]!], within);
      const backward = reach({ ...sub, edges: inside.map((e) => ({ ...e, from: e.to, to: e.from })) }, [inf[0]!], within);
      if (!inf.every((s) => forward[s] && backward[s])) continue;
    }
    const taken = new Set(inf.length > 1 ? inside.map((e) => e.label) : []);
    if (fair(g, kindOf, inf, taken)) return { violated: true, inf };
  }
  return { violated: false };
}

/**
 * Exact, by enumerating every closed walk inside the form's region from every
 * entry state, as (current state, set of labelled edges used so far): a closed
 * walk's fairness and verdict depend on nothing else. Plus the stuttering lasso at
 * each state. Exponential in the edges: for graphs of at most 16 moves.
 */
export function decideByWalks(g: ExplicitGraph, form: Form, kindOf: KindOf): OracleVerdict {
  const ms = moves(g);
  if (ms.length > 16) throw new Error('decideByWalks: too many edges to enumerate walks');
  const c = conditions(g, form);
  const judge = (inf: readonly number[], taken: ReadonlySet<string>) =>
    inf.every(c.region) && inf.some((s) => c.entry[s]) && (!c.needNotP || inf.some((s) => !g.p[s])) && fair(g, kindOf, inf, taken);
  for (let start = 0; start < g.n; start++) {
    if (!c.entry[start] || !c.region(start)) continue;
    if (judge([start], new Set())) return { violated: true, inf: [start] };
    const seen = new Set<number>([start]);
    const judged = new Set<number>();
    const stack: [number, number][] = [[start, 0]];
    while (stack.length > 0) {
      const [cur, used] = stack.pop()!;
      for (let i = 0; i < ms.length; i++) {
        const e = ms[i]!;
        if (e.from !== cur || !c.region(e.to)) continue;
        const next = used | (1 << i);
        if (e.to === start && !judged.has(next)) {
          judged.add(next);
          const walk = ms.filter((_, j) => (next >> j) & 1);
          const inf = [...new Set(walk.flatMap((w) => [w.from, w.to]))];
          if (judge(inf, new Set(walk.map((w) => w.label)))) return { violated: true, inf };
        }
        const key = next * g.n + e.to;
        if (seen.has(key)) continue;
        seen.add(key);
        stack.push([e.to, next]);
      }
    }
  }
  return { violated: false };
}

export type BoundedVerdict = 'violation' | 'incomplete' | 'ok';

/**
 * The verdict the issue asks for when a bound leaves the `cut` states unexpanded
 * (found and labelled, successors never generated): a violation only if a fair
 * violating behaviour lives wholly in the expanded part (its stem may not pass a cut
 * state — there is no edge out of one — and it may not stay in one); otherwise
 * incomplete when a behaviour that has not met the property yet (as the form
 * counts it) can reach a cut state, since it might go on either way beyond the bound;
 * otherwise ok.
 */
export function decideBounded(g: ExplicitGraph, form: Form, kindOf: KindOf, cut: readonly boolean[]): BoundedVerdict {
  const expanded: ExplicitGraph = { ...g, edges: g.edges.filter((e) => !cut[e.from]) };
  if (decideBySubsets(expanded, form, kindOf, cut).violated) return 'violation';
  const entry = conditions(expanded, form).entry;
  return entry.some((inEntry, s) => inEntry && cut[s]) ? 'incomplete' : 'ok';
}

/** Breadth-first distance of each state from the initial states (Infinity: unreachable). */
export function distances(g: ExplicitGraph): number[] {
  const d = new Array<number>(g.n).fill(Infinity);
  let level = [...new Set(g.initial)];
  for (const s of level) d[s] = 0;
  for (let k = 1; level.length > 0; k++) {
    const next: number[] = [];
    for (const u of level) for (const e of g.edges) if (e.from === u && d[e.to] === Infinity) (d[e.to] = k), next.push(e.to);
    level = next;
  }
  return d;
}

export interface LassoLike {
  readonly trace: readonly { readonly action: string | null; readonly state: unknown }[];
  readonly loop?: number;
  readonly liveness?: { readonly taken: readonly string[]; readonly disabled: readonly string[] };
}

/**
 * Checks a reported lasso against the graph, by the definitions: a path from an
 * initial state along real edges (labels included), a loop that closes (or a stutter
 * at the last state), fair, and violating the property. Returns the problems found.
 */
export function checkLasso(g: ExplicitGraph, form: Form, kindOf: KindOf, v: LassoLike): string[] {
  const problems: string[] = [];
  const ids = v.trace.map((t) => (t.state as { id: number }).id);
  const last = ids.length - 1;
  if (last < 0) return ['empty trace'];
  if (v.trace[0]!.action !== null) problems.push('the first step has an action');
  if (!g.initial.includes(ids[0]!)) problems.push(`state ${ids[0]} is not initial`);
  for (let i = 1; i <= last; i++) {
    const label = v.trace[i]!.action;
    if (ids[i] === ids[i - 1]) problems.push(`step ${i} is a stutter (${label})`);
    if (!g.edges.some((e) => e.from === ids[i - 1] && e.to === ids[i] && e.label === label)) problems.push(`step ${i}: no edge ${ids[i - 1]}-${label}->${ids[i]}`);
  }
  const loop = v.loop;
  if (loop === undefined || !Number.isInteger(loop) || loop < 0 || loop > last) return [...problems, `bad loop index ${loop}`];
  if (loop < last && ids[loop] !== ids[last]) problems.push(`the loop does not close: step ${last} is ${ids[last]}, step ${loop} is ${ids[loop]}`);
  const inf = loop === last ? [ids[last]!] : [...new Set(ids.slice(loop, last))];
  // Pair semantics: a step s→t takes every instance with an edge s→t.
  const taken = new Set<string>();
  for (let i = loop + 1; i <= last; i++) for (const e of g.edges) if (e.from === ids[i - 1] && e.to === ids[i] && e.from !== e.to) taken.add(e.label);
  if (!fair(g, kindOf, inf, taken)) problems.push(`the loop over {${inf.join(',')}} is not fair`);
  const notP = (s: number) => !g.p[s];
  const notQ = (s: number) => !g.q[s];
  const violated = {
    eventually: () => ids.every(notP),
    leadsTo: () => ids.some((s, i) => g.p[s] && !g.q[s] && ids.slice(Math.min(i, loop)).every(notQ)),
    alwaysEventually: () => inf.every(notP),
    eventuallyAlways: () => inf.some(notP),
  }[form]();
  if (!violated) problems.push(`the lasso does not violate ${form}`);
  // What the report says about the loop: taken instances are taken on it, disabled ones are weakly fair and disabled somewhere on it.
  const loopLabels = new Set(v.trace.slice(loop + 1).map((t) => t.action));
  for (const a of v.liveness?.taken ?? []) if (!loopLabels.has(a)) problems.push(`reported taken ${a} is not taken on the loop`);
  for (const a of v.liveness?.disabled ?? []) {
    if (kindOf(a) !== 'weak') problems.push(`reported disabled ${a} is not weakly fair`);
    if (inf.every((s) => g.edges.some((e) => e.from === s && e.to !== s && e.label === a))) problems.push(`reported disabled ${a} is enabled all along the loop`);
  }
  return problems;
}
