// A shard puts its new states in one thread's order by (parent, ordinal): the
// counting sort must give exactly the comparison sort's permutation.
import { describe, expect, it } from 'vitest';
import { momentOrder } from '../../src/explore/parallel/moment-order.js';
import { rng } from './random.js';

function bySort(parents: number[], ordinals: number[]): number[] {
  return parents.map((_, i) => i).sort((x, y) => parents[x]! - parents[y]! || ordinals[x]! - ordinals[y]!);
}

/** n distinct (parent, ordinal) pairs, parents from `base` over `span` ids, in a shuffled order. */
function moments(seed: number, n: number, base: number, span: number, maxOrdinal: number): [number[], number[]] {
  const next = rng(seed);
  const seen = new Set<string>();
  const parents: number[] = [];
  const ordinals: number[] = [];
  while (parents.length < n) {
    const p = base + ((next() >>> 0) % span);
    const o = (next() >>> 0) % maxOrdinal;
    if (seen.has(`${p},${o}`)) continue;
    seen.add(`${p},${o}`);
    parents.push(p);
    ordinals.push(o);
  }
  return [parents, ordinals];
}

describe('momentOrder', () => {
  it('orders by parent, then ordinal, as the comparison sort does', () => {
    for (const [seed, n, base, span, maxOrdinal] of [
      [1, 5000, 120_000, 3000, 40], // a level's parents, several successors each
      [2, 2000, 0, 20, 5000], // few parents with many new successors (long buckets)
      [3, 1, 7, 1, 1],
      [4, 300, 1_000_000, 2_000_000_000, 3], // parents too spread for buckets: compared
    ] as const) {
      const [parents, ordinals] = moments(seed, n, base, span, maxOrdinal);
      expect(Array.from(momentOrder(parents, ordinals, n))).toEqual(bySort(parents, ordinals));
    }
  });

  it('orders states that arrive mostly in order, with some moved earlier', () => {
    const parents: number[] = [];
    const ordinals: number[] = [];
    for (let p = 500; p < 1500; p++) for (let o = 0; o < 4; o++) (parents.push(p), ordinals.push(o));
    // As `earlier` does: a state found again from an earlier moment takes that moment.
    for (let i = 100; i < parents.length; i += 97) (parents[i] = parents[i]! - 50, (ordinals[i] = 10 + i));
    expect(Array.from(momentOrder(parents, ordinals, parents.length))).toEqual(bySort(parents, ordinals));
  });

  it('orders only the first n states, and none', () => {
    expect(Array.from(momentOrder([3, 1, 2], [0, 0, 0], 2))).toEqual([1, 0]);
    expect(momentOrder([], [], 0).length).toBe(0);
  });
});
