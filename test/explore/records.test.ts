// Records: the BFS levels' runs of words, kept in chunks (no copy when they grow).
import { describe, expect, it } from 'vitest';
import { Records } from '../../src/explore/records.js';

/** Record i of stride 3: [i, i + 1, i * 7]. */
const fill = (r: Records, n: number): void => {
  const w = new Int32Array(3);
  for (let i = 0; i < n; i++) {
    w.set([i, i + 1, i * 7]);
    if (r.copy(w, 0) !== i) throw new Error(`record ${i} got another index`);
  }
};
const read = (r: Records, i: number): number[] => Array.from(r.chunk(i).subarray(r.offset(i), r.offset(i) + 3));

describe('Records', () => {
  // 150,000 records: past the first chunk's doublings and two chunk boundaries (65,536 records a chunk).
  const N = 150_000;

  it('keeps every record where chunk(i) and offset(i) say, across chunks', () => {
    const r = new Records(3);
    fill(r, N);
    expect(r.count).toBe(N);
    for (const i of [0, 1023, 1024, 65_535, 65_536, 131_071, 131_072, N - 1]) expect(read(r, i)).toEqual([i, i + 1, i * 7]);
    // append() gives the next index, written in place.
    const i = r.append();
    r.chunk(i).set([5, 6, 7], r.offset(i));
    expect(read(r, N)).toEqual([5, 6, 7]);
  });

  it('round-trips through words() and load(), and is reused after count = 0', () => {
    const r = new Records(3);
    fill(r, N);
    const words = r.words();
    expect(words.length).toBe(N * 3);
    expect(Array.from(words.subarray(3 * 65_536, 3 * 65_537))).toEqual([65_536, 65_537, 65_536 * 7]);
    const back = new Records(3);
    back.load(words);
    expect(back.count).toBe(N);
    const again = back.words();
    expect(again.length === words.length && again.every((x, k) => x === words[k])).toBe(true);
    // A reused run: fewer records than before, then grown again past the old ones.
    back.count = 0;
    fill(back, 70_000);
    expect(read(back, 69_999)).toEqual([69_999, 70_000, 69_999 * 7]);
    const small = new Records(3);
    small.load(words.subarray(0, 1500 * 3));
    fill2(small, 1500, 70_000);
    for (const i of [0, 1499, 1500, 65_536, 69_999]) expect(read(small, i)).toEqual([i, i + 1, i * 7]);
  });

  it('permutes records across chunks', () => {
    const r = new Records(3);
    fill(r, N);
    const order = Int32Array.from({ length: N }, (_, i) => N - 1 - i);
    r.permute(order);
    expect(r.count).toBe(N);
    for (const i of [0, 65_536, N - 1]) expect(read(r, i)).toEqual([N - 1 - i, N - i, (N - 1 - i) * 7]);
  });
});

/** Appends records from..to - 1 (as `fill` writes them). */
function fill2(r: Records, from: number, to: number): void {
  const w = new Int32Array(3);
  for (let i = from; i < to; i++) {
    w.set([i, i + 1, i * 7]);
    if (r.copy(w, 0) !== i) throw new Error(`record ${i} got another index`);
  }
}
