// Detects nondeterministic actions (reading Date.now(), Math.random() or outside
// state): expansions are recorded and re-executed later, when time has moved on; a
// different list of successor fingerprints is a spec error. Every one of the first
// FULLY_CHECKED expansions is re-executed FULL_RERUNS times (so a small spec is
// checked whole: sampling 1 in 64 alone let a spec calling Math.random() pass 3 runs
// in 7, and one re-run each let test/fixtures/hardening/random-action.ts, ten coin
// flips, pass 1 run in 2^10 — CI met it), then 1 in 64, once. The first expansions
// are the search's, not each thread's: a parallel search's shards take over from the
// thread that made them (fullChecksLeft).
import { SpecError } from '../core/errors.js';
import type { TransitionSystem } from '../core/types.js';
import { resolveLabel, stateFingerprintInto } from './reconstruct.js';

/** Expansions re-executed in full before sampling starts (per search thread). */
export const FULLY_CHECKED = 1024;
/** Re-executions of each of those: a coin-flip action then hides in 2^-3 per state, not 2^-1. */
export const FULL_RERUNS = 3;

interface Sample<S> {
  readonly state: S;
  readonly id: number;
  /** (action, fingerprint A, fingerprint B) per successor, in emission order. */
  readonly record: number[];
  /** How many times verify() re-executes it. */
  readonly reruns: number;
}

export class DeterminismCheck<S> {
  private readonly samples: Sample<S>[] = [];
  private readonly every: number;
  private countdown: number;
  /** Expansions still to re-check in full. */
  private full: number;
  /** Re-executions of the expansion tick() just sampled. */
  private reruns = 1;
  private readonly fp = new Uint32Array(2);
  /** The record of the expansion in progress, when it is sampled. */
  current: number[] | undefined;

  /**
   * `rerun` re-executes a sampled state and reports each successor's action and
   * fingerprint; by default through `system.successors` (the packed search passes
   * one that works on words).
   */
  constructor(
    private readonly system: TransitionSystem<S>,
    rate = 1 / 64,
    private readonly rerun: (state: S, visit: (action: number, a: number, b: number, label: string | (() => string)) => void) => void = (state, visit) =>
      system.successors(state, (next, action, label) => {
        stateFingerprintInto(system, next, this.fp);
        visit(action, this.fp[0]!, this.fp[1]!, label);
      }),
  ) {
    this.every = rate > 0 ? Math.max(1, Math.round(1 / rate)) : Infinity;
    this.full = rate > 0 ? FULLY_CHECKED : 0;
    this.countdown = 1; // the first expansion is always sampled
  }

  /**
   * Of the search's first FULLY_CHECKED expansions, how many are still to be checked
   * in full: a shard takes over the count of the thread that searched alone before the
   * hand-over. Each shard re-checking 1,024 of its own made its first shared level about
   * twice as slow as the next (paxos.fixed rounds=2 drop=1, 2 workers: 1,173 and 1,265 ms
   * against 572 and 571; profiled, 386 ms of it was the re-runs' structural
   * fingerprints). Taken over: 859 against 463 ms.
   */
  get fullChecksLeft(): number {
    return this.full;
  }

  set fullChecksLeft(n: number) {
    this.full = n;
  }

  /** Call before expanding a state: starts recording if this one is sampled. */
  begin(state: S, id: number): void {
    if (this.tick()) this.start(state, id);
  }

  /** Whether the next expansion is sampled (then call start); begin() is tick() + start(). */
  tick(): boolean {
    if (this.full > 0) {
      this.full--;
      this.reruns = FULL_RERUNS;
      return true;
    }
    this.reruns = 1;
    if (--this.countdown > 0) {
      this.current = undefined;
      return false;
    }
    this.countdown = this.every;
    return true;
  }

  start(state: S, id: number): void {
    this.current = [];
    this.samples.push({ state, id, record: this.current, reruns: this.reruns });
  }

  /** Re-executes the recorded samples; returns the id of the state whose re-run differed. */
  verify(): { id: number; error: SpecError } | undefined {
    const samples = this.samples.splice(0);
    for (const { state, id, record, reruns } of samples) {
      let culprit: string | undefined;
      for (let run = 0; run < reruns && culprit === undefined; run++) culprit = this.differs(state, record);
      if (culprit !== undefined) {
        const error = new SpecError(
          `action ${culprit} is nondeterministic: executed twice from the same state it gave different successors. ` +
            'Actions must be pure functions of the state and params (no Date.now(), Math.random() or outside state); ' +
            'use explicit nondeterminism (return several successors) instead.',
          { handler: culprit },
        );
        error.action = culprit;
        return { id, error };
      }
    }
    return undefined;
  }

  /** Re-executes `state` once; the action whose successor differs from `record`, if one does. */
  private differs(state: S, record: readonly number[]): string | undefined {
    let k = 0;
    let culprit: string | undefined;
    this.rerun(state, (action, a, b, label) => {
      if (culprit !== undefined) return;
      if (record[k] !== action || record[k + 1] !== a || record[k + 2] !== b) culprit = resolveLabel(label);
      k += 3;
    });
    if (culprit === undefined && k !== record.length) culprit = this.system.actions[record[k] ?? 0]?.name ?? '?';
    return culprit;
  }
}
