// The liveness verdict of one property on the recorded state graph. Each form is a
// search for a fair behaviour that violates it:
//   <>P      from an initial state, ¬P forever;
//   P ~> Q   from a reachable state where P ∧ ¬Q, ¬Q forever;
//   []<>P    from some reachable state on, ¬P forever;
//   <>[]P    ¬P infinitely often (a fair cycle through a ¬P state).
// "Forever" is a fair cycle, or stuttering in a state where no fair action is
// enabled (a halted behaviour stutters, as in TLA+). Cycles never pass through a
// state a bound cut off: such a behaviour might go on differently beyond the bound,
// so it only makes the verdict incomplete.
import { fairComponents, fairToStutter, enabledAt } from './fair-cycles.js';
import { UNFAIR, WEAK, type StateGraph } from '../explore/state-graph.js';
import type { LivenessProperty } from '../core/liveness.js';

/** A violating lasso as state ids: stem (ids from the trigger on) and edge indices. */
export interface LassoPath {
  /** The state the violating suffix starts from (its stem comes from the BFS parent links). */
  readonly trigger: number;
  /** Edges from the trigger to the loop's first state, then around the loop back to it. */
  readonly toLoop: readonly number[];
  readonly loop: readonly number[];
  /** The state the loop starts and ends at. */
  readonly entry: number;
  /** Fair instances taken on the loop, and those disabled somewhere on it (by instance id). */
  readonly taken: readonly number[];
  readonly disabled: readonly number[];
}

export type LivenessOutcome =
  | { readonly kind: 'holds' }
  | { readonly kind: 'violated'; readonly lasso: LassoPath }
  | { readonly kind: 'bounded'; readonly bounds: readonly string[] };

export function analyse<S>(graph: StateGraph<S>, index: number, initialCount: number): LivenessOutcome {
  const prop: LivenessProperty<S> = graph.properties[index]!;
  const { to, from } = graph.predicateOf[index]!;
  const n = graph.size;
  const goal = (id: number) => graph.holdsAt(id, to);
  const always = prop.kind === 'eventuallyAlways';
  const inRegion = (id: number) => always || !goal(id);
  const accept = (id: number) => !always || !goal(id);

  // The fair set: states of fair components, and states where stuttering is fair.
  const member = new Uint8Array(n);
  for (let id = 0; id < n; id++) if (inRegion(id) && !graph.isCut(id)) member[id] = 1;
  const fairIn = new Int32Array(n).fill(-1); // component index, or -2 for a stutter
  const components = fairComponents(graph, member, accept);
  components.forEach((c, k) => c.states.forEach((id) => (fairIn[id] = k)));
  // A fair stutter is preferred to a component's loop through the same state: it is the shorter lasso.
  for (let id = 0; id < n; id++) if (member[id] && accept(id) && fairToStutter(graph, id)) fairIn[id] = -2;

  // Breadth-first from the triggers, inside the region, to the nearest fair state.
  const isTrigger =
    prop.kind === 'eventually'
      ? (id: number) => id < initialCount && inRegion(id)
      : prop.kind === 'leadsTo'
        ? (id: number) => graph.holdsAt(id, from) && !goal(id)
        : inRegion;
  const via = new Int32Array(n).fill(-1); // edge that reached a state (-2: a trigger)
  const cameFrom = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  const limit = prop.kind === 'eventually' ? Math.min(initialCount, n) : n;
  for (let id = 0; id < limit; id++) if (isTrigger(id)) (via[id] = -2), (queue[tail++] = id);
  const bounds = new Set<string>();
  while (head < tail) {
    graph.tick();
    const u = queue[head++]!;
    if (fairIn[u] !== -1) return { kind: 'violated', lasso: lassoFrom(graph, u, via, cameFrom, fairIn[u] === -2 ? undefined : components[fairIn[u]!]!.states, accept) };
    const cut = graph.cutReason(u);
    if (cut !== undefined) bounds.add(cut);
    for (let e = graph.first(u), end = graph.end(u); e < end; e++) {
      const v = graph.edgeTarget(e);
      if (via[v] !== -1 || !inRegion(v)) continue;
      via[v] = e;
      cameFrom[v] = u;
      queue[tail++] = v;
    }
  }
  return bounds.size > 0 ? { kind: 'bounded', bounds: [...bounds] } : { kind: 'holds' };
}

/** The lasso through fair state `entry`: the path there from its trigger, and a fair loop back to it. */
function lassoFrom<S>(graph: StateGraph<S>, entry: number, via: Int32Array, cameFrom: Int32Array, component: Int32Array | undefined, accept: (id: number) => boolean): LassoPath {
  const toLoop: number[] = [];
  let u = entry;
  while (via[u]! >= 0) {
    toLoop.push(via[u]!);
    u = cameFrom[u]!;
  }
  toLoop.reverse();
  if (component === undefined) return { trigger: u, toLoop, loop: [], entry, taken: [], disabled: [] };
  const { loop, taken, disabled } = fairLoop(graph, entry, component, accept);
  return { trigger: u, toLoop, loop, entry, taken, disabled };
}

/**
 * A loop from `entry` back to it inside the component that meets every fairness
 * obligation (each fair instance enabled in it taken, or a weak one seen disabled)
 * and passes an accepting state: shortest paths to the nearest open obligation,
 * greedily, then the shortest path home. Not the shortest fair loop in general,
 * but at most (obligations + 1) shortest paths long.
 */
function fairLoop<S>(graph: StateGraph<S>, entry: number, component: Int32Array, accept: (id: number) => boolean) {
  const inC = new Set<number>(component);
  // The shortest cycle through the entry often is fair on its own: try it first.
  const direct = shortestPath(graph, entry, inC, (u) => u === entry, () => false, true);
  if (direct !== undefined) {
    const fair = loopFairness(graph, entry, direct.edges, accept);
    if (fair !== undefined) return { loop: direct.edges, ...fair };
  }
  const enabledSomewhere = new Set<number>();
  const takenInC = new Set<number>();
  for (const u of component) {
    for (let e = graph.first(u), end = graph.end(u); e < end; e++) {
      const inst = graph.edgeInstance(e);
      if (inst === UNFAIR) continue;
      enabledSomewhere.add(inst);
      if (inC.has(graph.edgeTarget(e))) takenInC.add(inst);
    }
  }
  const mustTake = new Set([...enabledSomewhere].filter((i) => takenInC.has(i)));
  const mustSeeDisabled = new Set([...enabledSomewhere].filter((i) => !takenInC.has(i) && graph.instanceKinds[i] === WEAK));
  let needAccept = !accept(entry);
  const taken = new Set<number>();
  const disabled = new Set<number>();
  const visitState = (u: number) => {
    if (accept(u)) needAccept = false;
    for (const i of mustSeeDisabled) if (!enabledAt(graph, u, i)) (disabled.add(i), mustSeeDisabled.delete(i));
  };
  const takeEdge = (e: number) => {
    const i = graph.edgeInstance(e);
    if (mustTake.delete(i)) taken.add(i);
    else if (i !== UNFAIR && takenInC.has(i)) taken.add(i);
  };
  visitState(entry);
  const loop: number[] = [];
  let cur = entry;
  const open = () => mustTake.size > 0 || mustSeeDisabled.size > 0 || needAccept;
  while (open()) {
    const path = shortestPath(graph, cur, inC, (u) => (needAccept && accept(u)) || [...mustSeeDisabled].some((i) => !enabledAt(graph, u, i)), (e) => mustTake.has(graph.edgeInstance(e)));
    if (path === undefined) throw new Error('internal: a fair component has an obligation no path meets');
    for (const e of path.edges) {
      takeEdge(e);
      visitState(graph.edgeTarget(e));
    }
    loop.push(...path.edges);
    cur = path.end;
  }
  const home = shortestPath(graph, cur, inC, (u) => u === entry, () => false, loop.length === 0);
  if (home === undefined) throw new Error('internal: no path back inside a strongly connected component');
  for (const e of home.edges) {
    takeEdge(e);
    visitState(graph.edgeTarget(e));
  }
  loop.push(...home.edges);
  return { loop, taken: [...taken], disabled: [...disabled] };
}

/**
 * Whether the loop (edges from `entry` back to it) is fair on its own states and
 * passes an accepting state: its taken and disabled instances, or undefined.
 */
function loopFairness<S>(graph: StateGraph<S>, entry: number, edges: readonly number[], accept: (id: number) => boolean): { taken: number[]; disabled: number[] } | undefined {
  const states = [entry, ...edges.slice(0, -1).map((e) => graph.edgeTarget(e))];
  if (!states.some(accept)) return undefined;
  const taken = new Set<number>();
  for (const e of edges) if (graph.edgeInstance(e) !== UNFAIR) taken.add(graph.edgeInstance(e));
  const enabledCount = new Map<number, number>();
  for (const u of new Set(states)) {
    const here = new Set<number>();
    for (let e = graph.first(u), end = graph.end(u); e < end; e++) if (graph.edgeInstance(e) !== UNFAIR) here.add(graph.edgeInstance(e));
    for (const i of here) enabledCount.set(i, (enabledCount.get(i) ?? 0) + 1);
  }
  const distinct = new Set(states).size;
  const disabled: number[] = [];
  for (const [i, count] of enabledCount) {
    if (taken.has(i)) continue;
    if (graph.instanceKinds[i] !== WEAK || count === distinct) return undefined;
    disabled.push(i);
  }
  return { taken: [...taken], disabled };
}

/**
 * Shortest path inside `within` from `start` to a state where `atState` holds, or
 * through an edge where `atEdge` holds (then ending at its target). With
 * `nonEmpty`, the path has at least one edge (so `start` may be its end).
 */
function shortestPath<S>(
  graph: StateGraph<S>,
  start: number,
  within: ReadonlySet<number>,
  atState: (u: number) => boolean,
  atEdge: (e: number) => boolean,
  nonEmpty = false,
): { edges: number[]; end: number } | undefined {
  if (!nonEmpty && atState(start)) return { edges: [], end: start };
  const reached = new Map<number, { edge: number; from: number }>();
  const pathTo = (u: number): number[] => {
    const edges: number[] = [];
    for (let v = u; v !== start; ) {
      const r = reached.get(v)!;
      edges.push(r.edge);
      v = r.from;
    }
    return edges.reverse();
  };
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let e = graph.first(u), end = graph.end(u); e < end; e++) {
      const v = graph.edgeTarget(e);
      if (!within.has(v)) continue;
      if (atEdge(e) || (v === start && atState(v))) return { edges: [...pathTo(u), e], end: v };
      if (v === start || reached.has(v)) continue;
      reached.set(v, { edge: e, from: u });
      if (atState(v)) return { edges: pathTo(v), end: v };
      queue.push(v);
    }
  }
  return undefined;
}
