// A search's statistics: what it has counted so far, which the report, the progress
// line and a checkpoint read. Strategies and the property checker add to them; the
// distinct count is the storage's (search.ts), less the states kept outside the constraint.
import type { CheckpointStats } from '../types.js';

export class SearchCounts {
  /** Successors generated (and initial states), as TLC counts them. */
  generated = 0;
  /**
   * States kept that fail the constraint: checked against the invariants but, as in
   * TLC, not counted as distinct states (they are kept only to name their traces).
   */
  outside = 0;
  /** Initial states admitted (their ids are 0 .. initialCount - 1). */
  initialCount = 0;
  /** The deepest level holding a state. */
  depth = 0;
  /** States waiting to be expanded. */
  queueSize = 0;
  /** The constraint cut some state off (the search is then of the constrained space). */
  constraintInForce = false;
  /** Per action: how many times it led to a successor. */
  readonly coverage: Float64Array;
  readonly startedAt = Date.now();
  /** A resumed search: the search time of the runs before it, and the distinct states they left (not in this run's rate). */
  priorMs = 0;
  priorDistinct = 0;
  /** Checkpoints written and resumed from (checkpoint/checkpointer.ts). */
  checkpoint?: CheckpointStats;

  constructor(actions: number) {
    this.coverage = new Float64Array(actions);
  }
}
