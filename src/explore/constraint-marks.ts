// The constraint's verdict on each queued state of a BFS, taken once: when the
// state is checked as new (a state failing it is counted apart then, as TLC counts),
// and read back when its level is expanded, instead of running the constraint again.
// A state queued without that check (a parallel search's hand-over, a level restored
// from a checkpoint) has no verdict: its space runs the constraint when expanding it.

export const UNKNOWN = 0;
export const WITHIN = 1;
export const OUTSIDE = 2;

export class ConstraintMarks {
  private level = new Uint8Array(1024);
  private next = new Uint8Array(1024);
  /** Positions of `next` and `level` that may hold a mark (the rest are UNKNOWN). */
  private nextUsed = 0;
  private levelUsed = 0;

  /** Marks the queued state at position `at` of the next level. */
  mark(at: number, within: boolean): void {
    if (at >= this.next.length) {
      let n = this.next.length * 2;
      while (n <= at) n *= 2;
      const bigger = new Uint8Array(n);
      bigger.set(this.next);
      this.next = bigger;
    }
    this.next[at] = within ? WITHIN : OUTSIDE;
    if (at >= this.nextUsed) this.nextUsed = at + 1;
  }

  /** The verdict on the level's i-th state: WITHIN, OUTSIDE or UNKNOWN. */
  of(i: number): number {
    return i < this.levelUsed ? this.level[i]! : UNKNOWN;
  }

  /** The queued states become the level. */
  advance(): void {
    const old = this.level;
    old.fill(UNKNOWN, 0, this.levelUsed);
    this.level = this.next;
    this.levelUsed = this.nextUsed;
    this.next = old;
    this.nextUsed = 0;
  }

  /** Puts the queue's marks in this order (the queue's states were: order[i] is the new i-th). */
  reorderQueued(order: Int32Array): void {
    const out = new Uint8Array(Math.max(this.next.length, order.length));
    const next = this.next;
    for (let i = 0; i < order.length; i++) out[i] = order[i]! < this.nextUsed ? next[order[i]!]! : UNKNOWN;
    this.next = out;
    this.nextUsed = order.length;
  }

  /** Forgets every verdict (the level and queue were replaced, from a checkpoint). */
  clear(): void {
    this.level.fill(UNKNOWN);
    this.next.fill(UNKNOWN);
    this.levelUsed = this.nextUsed = 0;
  }
}
