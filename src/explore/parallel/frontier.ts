// A level of the parallel search as its workers read it: runs of records in shared
// memory, one after the other (each chunk's new states, in chunk order), addressed
// by the state's index in the level.
import type { Segment } from './messages.js';

export class Frontier {
  private readonly runs: Int32Array[];
  /** The level index of each segment's first state; one more entry: the level's size. */
  private readonly firsts: number[];
  private readonly starts: number[];
  private seg = 0;
  /** The run that holds the state last located by `at`. */
  run: Int32Array;

  constructor(
    segments: readonly Segment[],
    private readonly stride: number,
  ) {
    this.runs = segments.map((s) => new Int32Array(s.buffer));
    this.starts = segments.map((s) => s.start);
    this.firsts = [0];
    for (const s of segments) this.firsts.push(this.firsts[this.firsts.length - 1]! + s.count);
    this.run = this.runs[0] ?? new Int32Array(0);
  }

  /** Points `run` at the state `index` of the level and returns the offset of its record there. */
  at(index: number): number {
    const f = this.firsts;
    let s = this.seg;
    if (index < f[s]! || index >= f[s + 1]!) {
      // Chunks read their states in order: the next segment is the usual answer.
      if (index >= f[s + 1]! && index < f[s + 2]!) s++;
      else {
        let lo = 0;
        let hi = f.length - 2;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (f[mid]! <= index) lo = mid;
          else hi = mid - 1;
        }
        s = lo;
      }
      this.seg = s;
      this.run = this.runs[s]!;
    }
    return (this.starts[s]! + index - f[s]!) * this.stride;
  }
}
