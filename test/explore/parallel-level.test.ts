// The pieces the parallel search's workers read a level with: the frontier as runs of
// chunks in shared memory, and the slots that earlier chunks took over.
import { describe, expect, it } from 'vitest';
import { Frontier } from '../../src/explore/parallel/frontier.js';
import { SlotChunks } from '../../src/explore/parallel/slot-chunks.js';

/** A shared run of records of `stride` words whose first word is `tag + index`. */
function run(stride: number, records: number, tag: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(stride * records * 4);
  const words = new Int32Array(buffer);
  for (let i = 0; i < records; i++) words[i * stride] = tag + i;
  return buffer;
}

describe('Frontier', () => {
  const stride = 3;
  const a = run(stride, 10, 100);
  const b = run(stride, 10, 200);
  // Chunks of two workers' runs, in chunk order: a[2..5), b[0..4), a[5..6), b[7..10).
  const segments = [
    { buffer: a, start: 2, count: 3 },
    { buffer: b, start: 0, count: 4 },
    { buffer: a, start: 5, count: 1 },
    { buffer: b, start: 7, count: 3 },
  ];
  const expected = [102, 103, 104, 200, 201, 202, 203, 105, 207, 208, 209];
  const read = (f: Frontier, index: number) => {
    const at = f.at(index);
    return f.run[at];
  };

  it('reads the level in order, across segments of several runs', () => {
    const f = new Frontier(segments, stride);
    expect(expected.map((_, i) => read(f, i))).toEqual(expected);
  });

  it('finds any state out of order (a worker starts a chunk anywhere)', () => {
    const f = new Frontier(segments, stride);
    for (const i of [10, 0, 7, 3, 9, 1, 6, 6, 2, 8, 4, 5]) expect(read(f, i)).toBe(expected[i]);
  });
});

describe('SlotChunks', () => {
  it('tells whether a chunk before the given one lowered a slot', () => {
    const s = new SlotChunks(3);
    s.add(40, 7);
    s.add(41, 2);
    s.add(40, 3); // the first chunk to lower a slot is what counts
    expect([s.before(40, 3), s.before(40, 4), s.before(41, 2), s.before(41, 9), s.before(42, 9)]).toEqual([false, true, false, true, false]);
  });

  it('keeps many slots apart, and says no when none was lowered', () => {
    const s = new SlotChunks(1000);
    for (let slot = 0; slot < 1000; slot++) s.add(slot * 16, slot % 5);
    for (let slot = 0; slot < 1000; slot++) {
      expect(s.before(slot * 16, slot % 5)).toBe(false);
      expect(s.before(slot * 16, (slot % 5) + 1)).toBe(true);
      expect(s.before(slot * 16 + 1, 99)).toBe(false);
    }
    expect(new SlotChunks(0).before(5, 99)).toBe(false);
  });
});
