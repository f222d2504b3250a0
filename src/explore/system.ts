// A compiled system as explore searches it: the core transition system (its
// semantics) plus the faster representations a spec kind may attach. core/types.ts
// names none of them, so core imports neither packed/ nor any codec; explore, which
// picks the representation, is the one layer that knows them all.
import type { TransitionSystem as CoreSystem } from '../core/types.js';
import type { PackedSystem } from '../packed/spec.js';
import type { StateCodec } from '../values/state-codec.js';

export interface TransitionSystem<S = unknown> extends CoreSystem<S> {
  /** Set by packed() (src/packed/spec.ts): the system over raw words, searched by the packed BFS. */
  readonly packed?: PackedSystem;
  /** Set by protocol() (src/protocol/compile.ts): states as words, searched by the coded BFS. */
  readonly codec?: () => StateCodec<S>;
}
