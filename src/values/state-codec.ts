// The interface of a compact state representation: the record codec
// (src/explore/record-codec.ts) and the protocol world codec (src/protocol/codec.ts)
// implement it, the coded search reads it. It lives here, below both, so that
// neither core nor protocol imports explore to name it.
/**
 * States as a fixed number of Int32 words, each naming an interned part: the coded
 * BFS (src/explore/value-space.ts, WordKeys) keeps its frontier as words, keys its visited set
 * by their hash, and decodes a state only to expand it; there, equal states must
 * encode to equal words. Different states always encode to different words.
 */
export interface StateCodec<S> {
  readonly words: number;
  /** Writes `state` at out[at..]. Parts it shares with the last decoded state encode by identity. */
  encode(state: S, out: Int32Array, at: number): void;
  /** The state the words at `at` encode (frozen, made of the interned parts). */
  decode(words: Int32Array, at: number): S;
  /** Memory held by the interned parts' tables, estimated. */
  readonly bytes: number;
}
