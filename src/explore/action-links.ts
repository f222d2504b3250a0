// The packed searches' parent links: per state id its parent and the action
// instance that reached it (for an initial state: its index among the initial
// states). A trace's fingerprints are recomputed by replaying those actions on
// words, which a packed spec does exactly. Whether a state was seen is the business
// of the fingerprint set (FingerprintSet, one per shard in a parallel search).
import { hashWords } from '../packed/hash.js';
import type { PackedSystem } from '../packed/spec.js';
import { PackedState } from '../packed/state.js';
import { LinkColumns } from './link-columns.js';

export class ActionLinks extends LinkColumns {
  constructor(private readonly ps: PackedSystem) {
    // Action numbers fit 16 bits unless the spec has more instances (or initial states).
    super(Math.max(ps.instances.length, ps.initial.length / ps.layout.words) > 0xffff);
  }

  protected replay(path: readonly number[]): void {
    const { ps } = this;
    const W = ps.layout.words;
    const fp = new Uint32Array(2);
    const first = this.action(path[0]!); // an initial state's index
    let words: Int32Array<ArrayBufferLike> = ps.initial.slice(first * W, (first + 1) * W);
    const draft = new PackedState(new Int32Array(W), true);
    for (let k = 0; k < path.length; k++) {
      if (k > 0) {
        const target = this.action(path[k]!);
        let next: Int32Array | undefined;
        ps.expand(words, 0, draft, (j) => {
          if (j !== target) return true;
          next = draft.words.slice();
          return false;
        });
        if (next === undefined) return;
        words = next;
      }
      hashWords(words, 0, W, fp);
      this.replayed.set(path[k]!, [fp[0]!, fp[1]!]);
    }
  }
}
