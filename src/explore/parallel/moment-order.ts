// One thread's order of a shard's new states: by their moment (parent id, ordinal),
// ascending. The parents are ids of one level, a range about the size of the level,
// so the states are counted into one bucket per parent, then put in ordinal order
// within each bucket (a few states each, mostly in order already: each sender sends
// in its order). Measured: Shard.order took 6% of a shard's samples on protocol-bench
// with 2 workers; on a level of 12,544 states arriving as from two senders, this takes
// 0.11 ms where the comparator sort of a typed array it replaces took 1.33 ms.

/** Parents spanning more ids than this many per state are sorted by comparison instead. */
const MAX_SPAN_PER_STATE = 4;

/** The permutation (indices 0..n-1) that puts the n states (parents[i], ordinals[i]) in ascending order; the pairs are distinct. */
export function momentOrder(parents: ArrayLike<number>, ordinals: ArrayLike<number>, n: number): Int32Array {
  const order = new Int32Array(n);
  if (n === 0) return order;
  let lo = parents[0]!;
  let hi = lo;
  for (let i = 1; i < n; i++) {
    const p = parents[i]!;
    if (p < lo) lo = p;
    else if (p > hi) hi = p;
  }
  const span = hi - lo + 1;
  if (span > MAX_SPAN_PER_STATE * n + 1024) {
    const all = Array.from({ length: n }, (_, i) => i).sort((x, y) => parents[x]! - parents[y]! || ordinals[x]! - ordinals[y]!);
    order.set(all);
    return order;
  }
  // ends[p]: where bucket p ends once filled (it starts where bucket p - 1 ends).
  const ends = new Int32Array(span);
  for (let i = 0; i < n; i++) ends[parents[i]! - lo]!++;
  for (let p = 1; p < span; p++) ends[p]! += ends[p - 1]!;
  const next = new Int32Array(span);
  next[0] = 0;
  next.set(ends.subarray(0, span - 1), 1);
  for (let i = 0; i < n; i++) order[next[parents[i]! - lo]!++] = i;
  let from = 0;
  for (let p = 0; p < span; p++) {
    const to = ends[p]!;
    for (let j = from + 1; j < to; j++) {
      const x = order[j]!;
      const o = ordinals[x]!;
      let k = j - 1;
      while (k >= from && ordinals[order[k]!]! > o) {
        order[k + 1] = order[k]!;
        k--;
      }
      order[k + 1] = x;
    }
    from = to;
  }
  return order;
}
