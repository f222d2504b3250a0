// Fingerprinting a search's states: into one scratch pair of words (`fp`), through a
// hasher compiled for the states' shape when they are plain values (the same
// fingerprints, faster), and naming the action when a successor is not a state value.
import { SpecError } from '../../core/errors.js';
import type { TransitionSystem } from '../system.js';
import { fingerprintInto, isNonCanonical, sealPending } from '../../values/fingerprint.js';
import { ShapeHasher } from '../../values/shape-hash.js';
import { resolveLabel, stateFingerprintInto } from '../reconstruct.js';

export class StateHasher<S> {
  /** The last state's fingerprint. */
  readonly fp = new Uint32Array(2);
  /** The compiled hasher (undefined until the first state; null when it does not apply). */
  private shape: ShapeHasher | null | undefined = undefined;
  /** Whether the last `fingerprint` went through `shape` (its records are then frozen by `sealNew`). */
  private shaped = false;
  private readonly sealScratch = new Uint32Array(2);

  constructor(private readonly system: TransitionSystem<S>) {}

  /** Fingerprints a state into `fp`; a non-state value becomes a SpecError naming the action. */
  fingerprint(state: S, label: string | (() => string) | null): void {
    try {
      if (this.shape === undefined) this.shape = this.system.canonical || this.system.fingerprintInto ? null : (ShapeHasher.derive(state) ?? null);
      if (this.shape !== null) {
        try {
          this.shape.hashInto(state, this.fp);
          this.shaped = true;
          return;
        } catch {
          // It throws unworded: re-run below, where the error gets its path.
        }
      }
      this.shaped = false;
      stateFingerprintInto(this.system, state, this.fp);
    } catch (e) {
      if (!isNonCanonical(e)) throw e;
      const by = label === null ? 'init' : `action ${resolveLabel(label)}`;
      const err = new SpecError(`${by} produced a value that is not a state value: ${e.message}`, {
        handler: label === null ? 'init' : resolveLabel(label),
      });
      if (label !== null) err.action = resolveLabel(label);
      throw err;
    }
  }

  /**
   * Freezes and memoises a newly kept state. Under symmetry the fingerprint was of
   * its representative, so the state itself is fingerprinted (and sealed) now.
   */
  sealNew(state: S): void {
    if (this.system.canonical) fingerprintInto(state, this.sealScratch, 0, true);
    else {
      sealPending();
      if (this.shaped) this.shape!.freezeFresh();
    }
  }
}
