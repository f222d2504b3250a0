import { describe, expect, it } from 'vitest';
import { NO_PARENT, VisitedSet } from '../../src/explore/visited.js';
import { randomGenerator } from '../../src/explore/simulate.js';

describe('VisitedSet', () => {
  it('grows past many resizes without losing an entry, ids stay stable', () => {
    const v = new VisitedSet(16);
    const rnd = randomGenerator(42);
    const n = 300_000;
    const a = new Uint32Array(n);
    const b = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = (rnd() * 2 ** 32) >>> 0;
      b[i] = (rnd() * 2 ** 32) >>> 0;
      expect(v.add(a[i]!, b[i]!, i - 1)).toBe(i);
      if (!v.isNew) throw new Error(`entry ${i} reported as known`);
    }
    expect(v.size).toBe(n);
    for (let i = 0; i < n; i++) {
      if (v.add(a[i]!, b[i]!, 0) !== i || v.isNew) throw new Error(`entry ${i} lost after growth`);
      if (v.fingerprintA(i) !== a[i] || v.fingerprintB(i) !== b[i] || v.parent(i) !== i - 1) throw new Error(`entry ${i} corrupted`);
    }
    expect(v.size).toBe(n);
    expect(v.has(a[123]!, b[123]!)).toBe(true);
  });

  it('tells apart fingerprints that share one lane or collide in the index', () => {
    const v = new VisitedSet(16);
    v.add(1, 2, NO_PARENT);
    v.add(1, 3, 0);
    v.add(2, 2, 0);
    v.add(0, 0, 0); // an all-zero fingerprint is a fingerprint like any other
    expect(v.size).toBe(4);
    expect(v.has(1, 2) && v.has(1, 3) && v.has(2, 2) && v.has(0, 0)).toBe(true);
    expect(v.has(3, 1)).toBe(false);
  });

  it('tells apart fingerprints whose lane A differs only above the slot bits, across growth', () => {
    const v = new VisitedSet(16);
    // Same home slot (low bits 5) in every index size up to 2^12, different high bits.
    const lanes = Array.from({ length: 3000 }, (_, i) => [((i << 12) | 5) >>> 0, i % 7] as const);
    lanes.forEach(([a, b], i) => {
      expect(v.add(a, b, 0)).toBe(i);
      expect(v.isNew).toBe(true);
    });
    lanes.forEach(([a, b], i) => {
      expect(v.add(a, b, 0)).toBe(i);
      expect(v.isNew).toBe(false);
    });
    expect(v.has(((3000 << 12) | 5) >>> 0, 0)).toBe(false);
    expect(v.has(lanes[2999]![0], lanes[2999]![1] + 1)).toBe(false);
  });

  it('follows parent links back to the initial state', () => {
    const v = new VisitedSet();
    v.add(10, 10, NO_PARENT);
    v.add(11, 11, 0);
    v.add(12, 12, 1);
    v.add(13, 13, 0);
    expect(v.pathTo(2)).toEqual([0, 1, 2]);
    expect(v.pathTo(3)).toEqual([0, 3]);
    v.setParent(2, 3);
    expect(v.pathTo(2)).toEqual([0, 3, 2]);
  });

  it('uses well under 24 bytes per state once large', () => {
    const v = new VisitedSet();
    for (let i = 0; i < 1_000_000; i++) v.add(Math.imul(i, 0x9e3779b1) >>> 0, i ^ 0x5bd1e995, i - 1);
    expect(v.bytes / v.size).toBeLessThan(24);
  });
});
