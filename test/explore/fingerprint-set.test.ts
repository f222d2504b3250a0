// The packed search's fingerprint set grows incrementally: at 3/4 load a doubled
// table takes over and old slots move a few per add, so for a while a fingerprint
// may be in either table. Every answer is checked against a JS Set through many
// growths, in particular mid-move, so a fingerprint lost or added twice fails.
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../src/explore/fingerprint-set.js';
import { rng } from './random.js';

describe('FingerprintSet', () => {
  it('answers as a Set through twelve doublings, re-adding known fingerprints all along', () => {
    const set = new FingerprintSet(16);
    const ref = new Set<string>();
    const known: [number, number][] = [];
    const unsigned = rng(7);
    const next = () => unsigned() | 0; // int32 lanes, as the search passes them
    let growths = 0;
    let bytes = set.bytes;
    for (let i = 0; i < 100_000; i++) {
      // Half new fingerprints, half repeats of known ones (old, moved or not yet moved).
      const [a, b] = i % 2 === 0 || known.length === 0 ? [next(), next()] : known[(next() >>> 0) % known.length]!;
      const key = `${a},${b}`;
      expect(set.add(a, b)).toBe(!ref.has(key));
      if (!ref.has(key)) known.push([a, b]);
      ref.add(key);
      if (set.bytes !== bytes) {
        if (set.bytes > bytes) growths++;
        bytes = set.bytes;
      }
      if (i % 997 === 0) {
        const [x, y] = known[(next() >>> 0) % known.length]!;
        expect(set.has(x, y)).toBe(true);
        expect(set.has(x, y ^ 1)).toBe(ref.has(`${x},${y ^ 1}`));
      }
    }
    expect(set.size).toBe(ref.size);
    expect(growths).toBeGreaterThanOrEqual(12);
    for (const [a, b] of known) expect(set.has(a, b)).toBe(true);
  });

  it('lists every fingerprint once, mid-move too (the parallel search starts from the list)', () => {
    const set = new FingerprintSet(16);
    const ref = new Set<string>(['0,0']);
    set.add(0, 0);
    const unsigned = rng(11);
    let midMove = 0;
    for (let i = 0; i < 5_000; i++) {
      const [a, b] = [unsigned() | 0, unsigned() | 0];
      set.add(a, b);
      ref.add(`${a},${b}`);
      if (i % 7 !== 0) continue;
      const listed: string[] = [];
      set.forEach((x, y) => listed.push(`${x},${y}`));
      expect(listed.length).toBe(ref.size);
      expect(new Set(listed)).toEqual(ref);
      if ((set as unknown as { old: Int32Array }).old.length > 0) midMove++;
    }
    expect(midMove).toBeGreaterThan(10);
  });

  it('adds all of another set, mid-move too, (0, 0) included (a shard moves the new states of a level into its visited set)', () => {
    const unsigned = rng(13);
    const into = new FingerprintSet(16);
    const ref = new Set<string>();
    const add = (a: number, b: number) => {
      into.add(a, b);
      ref.add(`${a},${b}`);
    };
    for (let i = 0; i < 300; i++) add(unsigned() | 0, unsigned() | 0);
    let midMove = 0;
    for (let round = 0; round < 40; round++) {
      // A fresh set with ids (as a shard's), some fingerprints already in `into`.
      const fresh = new FingerprintSet(16, true);
      const known = [...ref].slice(0, 5).map((k) => k.split(',').map(Number) as [number, number]);
      for (const [a, b] of known) fresh.add(a, b, 0);
      if (round % 5 === 0) fresh.add(0, 0, 1);
      for (let i = 0; i < 37 * round + 1; i++) fresh.add(unsigned() | 0, unsigned() | 0, i + 2);
      if ((fresh as unknown as { old: Int32Array }).old.length > 0) midMove++;
      const listed: string[] = [];
      fresh.forEach((a, b) => listed.push(`${a},${b}`));
      into.addAll(fresh);
      for (const k of listed) ref.add(k);
      expect(into.size).toBe(ref.size);
      for (const k of listed) expect(into.has(...(k.split(',').map(Number) as [number, number]))).toBe(true);
    }
    expect(midMove).toBeGreaterThan(2);
  });

  it('keeps the fingerprint (0, 0), which marks empty slots, aside', () => {
    const set = new FingerprintSet();
    expect(set.has(0, 0)).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.has(0, 0)).toBe(true);
    expect(set.add(0, 1)).toBe(true);
    expect(set.size).toBe(2);
  });

  it('holds fingerprints that differ only in lane B apart', () => {
    const set = new FingerprintSet(16);
    for (let b = 1; b <= 10; b++) expect(set.add(5, b)).toBe(true);
    for (let b = 1; b <= 10; b++) expect(set.add(5, b)).toBe(false);
    expect(set.has(5, 11)).toBe(false);
  });
});
