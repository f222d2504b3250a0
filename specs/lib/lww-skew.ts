// Shared parts of the lww-skew pair (specs/lww-skew.buggy.ts, specs/lww-skew.fixed.ts):
// the timestamp order, the ghost observations, and the invariant. No spec here.

/** A write's timestamp: [clock reading, writer id]. The writer id breaks ties. */
export type Stamp = readonly [number, string];

/** Whether timestamp x orders after y (last-write-wins keeps the write with the later stamp). */
export function later(x: Stamp, y: Stamp): boolean {
  return x[0] !== y[0] ? x[0] > y[0] : x[1] > y[1];
}

export interface WriteSeen {
  /** The value written; every write writes a different value, so it names the write. */
  readonly value: string;
  readonly ts: Stamp;
  /** The value the writer held when it wrote: the write it causally follows (null: none). */
  readonly after: string | null;
}

export interface Discard {
  /** The replica that discarded an incoming write. */
  readonly at: string;
  /** The value it kept, and the incoming value it threw away. */
  readonly kept: string;
  readonly dropped: string;
}

/** Ghost history (no replica reads it): every write made, and every write a replica discarded. */
export type LwwObservations = { write: WriteSeen; discard: Discard };

/** Whether write `x` causally follows write `y`: y is in x's chain of `after` links. */
export function causallyFollows(writes: readonly WriteSeen[], x: string, y: string): boolean {
  const byValue = new Map(writes.map((w) => [w.value, w]));
  for (let v = byValue.get(x)?.after ?? null; v !== null; v = byValue.get(v)?.after ?? null) {
    if (v === y) return true;
  }
  return false;
}

/**
 * The invariant of both specs: a replica never discards a write in favour of one
 * that the write causally follows. (Discarding one of two *concurrent* writes is
 * what last-write-wins is for; losing the later of two causally ordered writes is
 * a lost update.)
 */
export function causalWriteKept(writes: readonly WriteSeen[], discards: readonly Discard[]): true | string {
  for (const d of discards) {
    if (causallyFollows(writes, d.dropped, d.kept)) {
      const ts = (v: string) => JSON.stringify(writes.find((w) => w.value === v)?.ts);
      return `${d.at} kept "${d.kept}" (ts ${ts(d.kept)}) and discarded "${d.dropped}" (ts ${ts(d.dropped)}), although "${d.dropped}" was written after its writer saw "${d.kept}": a lost update`;
    }
  }
  return true;
}
