// The parallel search's lock-free table, on one thread: the stamp rules that make a
// parallel level's parents those of the single-threaded search.
import { describe, expect, it } from 'vitest';
import { FIRST_STAMP, OLD, SharedTable } from '../../src/explore/parallel/shared-table.js';

describe('SharedTable', () => {
  it('claims a new fingerprint, and lowers its stamp only for an earlier moment', () => {
    const t = SharedTable.create(16);
    const slot = t.insert(7, 70, 500);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(t.fresh).toBe(true);
    expect(t.insert(7, 70, 600)).toBe(-1); // found later: not the discoverer
    expect(t.insert(7, 70, 400)).toBe(slot); // found earlier: takes over
    expect(t.fresh).toBe(false);
    expect(t.insert(7, 70, 450)).toBe(-1);
    expect(t.has(7, 70)).toBe(true);
    expect(t.has(7, 71)).toBe(false);
  });

  it('keeps fingerprints that share a home slot apart (linear probing)', () => {
    const t = SharedTable.create(16);
    const a = t.insert(3, 1, 10);
    const b = t.insert(3 + 16, 2, 11); // same home slot, other fingerprint
    expect(b).not.toBe(a);
    expect(t.fresh).toBe(true);
    expect(t.insert(3, 1, 12)).toBe(-1);
    expect(t.insert(3 + 16, 2, 5)).toBe(b);
  });

  it('tells apart fingerprints that share lane A, or have a lane of 0', () => {
    const t = SharedTable.create(16);
    const a = t.insert(5, 1, 10);
    const b = t.insert(5, 2, 11); // lane A alike, lane B not
    const c = t.insert(5, 0, 12); // lane B 0, as an empty or half-written slot shows
    const d = t.insert(0, 7, 13);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect([t.insert(5, 1, 20), t.insert(5, 2, 20), t.insert(5, 0, 20), t.insert(0, 7, 20)]).toEqual([-1, -1, -1, -1]);
    expect([t.insert(5, 2, 3), t.insert(5, 0, 3), t.insert(0, 7, 3)]).toEqual([b, c, d]); // lowered
    expect(t.fresh).toBe(false);
  });

  it('never lowers a state of an earlier level (OLD, or a smaller stamp)', () => {
    const t = SharedTable.create(16);
    t.insert(1, 1, OLD);
    t.insert(2, 2, 100);
    expect(t.insert(1, 1, FIRST_STAMP)).toBe(-1);
    expect(t.insert(2, 2, 150)).toBe(-1);
  });

  it('grows by copying the states stamped before a moment, and renumbers stamps to OLD', () => {
    const t = SharedTable.create(16);
    t.insert(1, 10, OLD);
    t.insert(2, 20, 50);
    t.insert(3, 30, 90); // from a level cut short at moment 80
    const bigger = SharedTable.create(64);
    bigger.rehashFrom(t, 0, 8, 80);
    bigger.rehashFrom(t, 8, 16, 80);
    expect([bigger.has(1, 10), bigger.has(2, 20), bigger.has(3, 30)]).toEqual([true, true, false]);
    expect(bigger.insert(2, 20, 60)).toBe(-1); // kept its stamp
    bigger.renumber(0, 64);
    expect(bigger.insert(2, 20, FIRST_STAMP)).toBe(-1);
    expect(bigger.insert(4, 40, FIRST_STAMP)).toBeGreaterThanOrEqual(0);
  });
});
