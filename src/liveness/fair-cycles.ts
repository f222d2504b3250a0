// Fair cycles of a state graph, restricted to a set of states: the strongly
// connected components (iterative Tarjan) that some fair behaviour can stay in
// forever, refined for strong fairness as in Emerson–Lei. A component C is fair when
// every fair instance enabled somewhere in C is
//   - taken on an edge inside C, or
//   - weakly fair and disabled in some state of C (a cycle through all of C then
//     sees it disabled infinitely often).
// A weakly fair instance enabled everywhere in C and never taken in it rules out C
// and every sub-cycle of C. A strongly fair one enabled somewhere in C and not taken
// in it rules out the states where it is enabled: the rest is split again.
import { STRONG, UNFAIR, WEAK, type StateGraph } from '../explore/state-graph.js';

export interface FairComponent {
  /** The states of the component (at least two: one-state stutters are handled apart). */
  readonly states: Int32Array;
}

/**
 * Components over the states where `member(id)` holds (a state set small enough to
 * mark), each containing a state where `accept(id)` holds.
 */
export function fairComponents<S>(graph: StateGraph<S>, member: Uint8Array, accept: (id: number) => boolean): FairComponent[] {
  const out: FairComponent[] = [];
  const work: Int32Array[] = tarjan(graph, member, allMembers(member));
  const inC = new Uint8Array(member.length);
  while (work.length > 0) {
    const c = work.pop()!;
    if (c.length < 2) continue;
    for (const id of c) inC[id] = 1;
    const verdict = judge(graph, c, inC);
    for (const id of c) inC[id] = 0;
    if (verdict === 'unfair') continue;
    if (verdict !== 'fair') {
      // Strong fairness: drop the states where an untaken strongly fair instance is enabled.
      const sub = new Uint8Array(member.length);
      const rest: number[] = [];
      for (const id of c) if (!verdict.has(id)) (sub[id] = 1), rest.push(id);
      for (const part of tarjan(graph, sub, Int32Array.from(rest))) work.push(part);
      continue;
    }
    if (c.some((id) => accept(id))) out.push({ states: c });
  }
  return out;
}

function allMembers(member: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < member.length; i++) n += member[i]!;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < member.length; i++) if (member[i]) out[k++] = i;
  return out;
}

/** 'fair', 'unfair', or the states to remove for strong fairness. */
function judge<S>(graph: StateGraph<S>, c: Int32Array, inC: Uint8Array): 'fair' | 'unfair' | Set<number> {
  const enabledIn = new Map<number, number>(); // instance → states of C where it is enabled
  const taken = new Set<number>();
  for (const u of c) {
    const seenHere = new Set<number>();
    for (let e = graph.first(u), end = graph.end(u); e < end; e++) {
      const inst = graph.edgeInstance(e);
      if (inst === UNFAIR) continue;
      if (!seenHere.has(inst)) {
        seenHere.add(inst);
        enabledIn.set(inst, (enabledIn.get(inst) ?? 0) + 1);
      }
      if (inC[graph.edgeTarget(e)]) taken.add(inst);
    }
  }
  let remove: Set<number> | undefined;
  for (const [inst, count] of enabledIn) {
    if (taken.has(inst)) continue;
    const kind = graph.instanceKinds[inst]!;
    if (kind === WEAK && count === c.length) return 'unfair';
    if (kind === STRONG) {
      remove ??= new Set();
      for (const u of c) if (enabledAt(graph, u, inst)) remove.add(u);
    }
  }
  return remove ?? 'fair';
}

export function enabledAt<S>(graph: StateGraph<S>, u: number, inst: number): boolean {
  for (let e = graph.first(u), end = graph.end(u); e < end; e++) if (graph.edgeInstance(e) === inst) return true;
  return false;
}

/** Whether no fair instance is enabled at u: stuttering there forever is a fair behaviour. */
export function fairToStutter<S>(graph: StateGraph<S>, u: number): boolean {
  for (let e = graph.first(u), end = graph.end(u); e < end; e++) if (graph.edgeInstance(e) !== UNFAIR) return false;
  return true;
}

/** Tarjan's strongly connected components of two or more states of the subgraph on `member`, iteratively (no recursion depth limit). */
function tarjan<S>(graph: StateGraph<S>, member: Uint8Array, roots: Int32Array): Int32Array[] {
  const n = member.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callNode: number[] = [];
  const callEdge: number[] = [];
  const out: Int32Array[] = [];
  let next = 0;
  for (const root of roots) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    callNode.push(root);
    callEdge.push(graph.first(root));
    while (callNode.length > 0) {
      graph.tick();
      const top = callNode.length - 1;
      const u = callNode[top]!;
      const end = graph.end(u);
      let e = callEdge[top]!;
      let descended = false;
      for (; e < end; e++) {
        const v = graph.edgeTarget(e);
        if (!member[v]) continue;
        if (index[v] === -1) {
          callEdge[top] = e + 1;
          index[v] = low[v] = next++;
          stack.push(v);
          onStack[v] = 1;
          callNode.push(v);
          callEdge.push(graph.first(v));
          descended = true;
          break;
        }
        if (onStack[v] && index[v]! < low[u]!) low[u] = index[v]!;
      }
      if (descended) continue;
      callNode.pop();
      callEdge.pop();
      if (callNode.length > 0) {
        const parent = callNode[callNode.length - 1]!;
        if (low[u]! < low[parent]!) low[parent] = low[u]!;
      }
      if (low[u] === index[u]) {
        if (stack[stack.length - 1] === u) {
          // A single state: no cycle (stutters are judged apart). Most components of an
          // acyclic-ish space are these, so none gets an array (measured: 296,448 arrays
          // on two-phase rms=7 were most of the pass's memory).
          stack.pop();
          onStack[u] = 0;
          continue;
        }
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp.push(w);
        } while (w !== u);
        out.push(Int32Array.from(comp.sort((a, b) => a - b)));
      }
    }
  }
  return out;
}
