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

  it('lists the fingerprints numbered below a bound, mid-move too, (0, 0) included (a shard saves the visited set its level started with)', () => {
    const unsigned = rng(13);
    let midMove = 0;
    for (let round = 1; round <= 40; round++) {
      // A shard's set: seeded states (id -1), then levels numbered on; the last level's ids start at `base`.
      const set = new FingerprintSet(16, true);
      const ids = new Map<string, number>();
      const n = 37 * round + 1;
      const base = Math.floor(n / 2);
      for (let i = 0; i < n; i++) {
        const [a, b] = [unsigned() | 0, unsigned() | 0];
        const id = i < n / 4 ? -1 : i;
        set.add(a, b, id);
        ids.set(`${a},${b}`, id);
      }
      if (round % 5 === 0) (set.add(0, 0, round % 10 === 0 ? -1 : n), ids.set('0,0', round % 10 === 0 ? -1 : n));
      if ((set as unknown as { old: Int32Array }).old.length > 0) midMove++;
      const before = [...ids].filter(([, id]) => id < base).map(([k]) => k);
      expect(before.length).toBeLessThan(ids.size);
      const words = set.fingerprints(base);
      const got = Array.from({ length: words.length / 2 }, (_, i) => `${words[2 * i]},${words[2 * i + 1]}`);
      expect(got.sort()).toEqual(before.sort());
      // Without a bound, every fingerprint; loaded back with one id for all.
      const all = set.fingerprints();
      expect(all.length).toBe(2 * ids.size);
      const back = new FingerprintSet(16, true);
      back.loadFingerprints(all, -1);
      expect(back.size).toBe(ids.size);
      for (const k of ids.keys()) expect(back.idOf(...(k.split(',').map(Number) as [number, number]))).toBe(-1);
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
