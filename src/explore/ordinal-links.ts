// The coded BFS's parent links: per state id its parent and its ordinal among the
// parent's successors, in the order the spec emits them (for an initial state: its
// index among the initial states). The visited set holds hashes of encoded words,
// so a trace's fingerprints, the ones reconstructTrace compares, are recomputed by
// re-executing the spec along the path.
import type { TransitionSystem } from '../core/types.js';
import { stateFingerprintInto } from './reconstruct.js';
import { LinkColumns } from './link-columns.js';

export class OrdinalLinks<S> extends LinkColumns {
  constructor(private readonly system: TransitionSystem<S>) {
    super(false);
  }

  protected replay(path: readonly number[]): void {
    const { system } = this;
    const fp = new Uint32Array(2);
    let state: S | undefined = system.initialStates()[this.action(path[0]!)];
    for (let k = 0; k < path.length && state !== undefined; k++) {
      if (k > 0) {
        const target = this.action(path[k]!);
        let i = 0;
        let next: S | undefined;
        system.successors(state, (s) => {
          if (i++ === target) next = s;
        });
        state = next;
        if (state === undefined) return;
      }
      stateFingerprintInto(system, state, fp);
      this.replayed.set(path[k]!, [fp[0]!, fp[1]!]);
    }
  }
}
