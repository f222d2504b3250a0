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
  /**
   * A fingerprint of the words that depends on the state's value only, not on this
   * codec's numbering of parts (so threads with their own codecs agree); absent:
   * the words are hashed as they are.
   */
  fingerprintWords?(words: Int32Array, at: number, out: Uint32Array): void;
  /**
   * Moving encoded states between threads (src/explore/parallel/exchange.ts): word k
   * of the state at words[at..] is the number of a part in table `tableOf(words, at, k)`
   * (-1: a plain number). A part crosses once per receiver, as `exportPart`'s
   * structured-cloneable form, and is numbered there by `importPart`.
   */
  tableOf?(words: Int32Array, at: number, k: number): number;
  exportPart?(table: number, id: number): unknown;
  importPart?(table: number, data: unknown): number;
  /**
   * A part's form for the exchange, where the receiver keeps what it was sent before:
   * it names its sub-parts by this codec's numbers and passes each to `refer` first,
   * which sends the receiver the ones it lacks (exportPart's form, of table
   * `subTable`, a table no word names). Absent: exportPart. A checkpoint keeps
   * exportPart's self-contained form.
   */
  exportLinked?(table: number, id: number, refer: (subTable: number, subId: number) => void): unknown;
  /** Numbers a part that exportLinked made; `local` is the receiver's number of a sub-part the sender named. */
  importLinked?(table: number, data: unknown, local: (subTable: number, senderId: number) => number): number;
  /**
   * How many parts each table holds (table t's ids are 0 .. counts[t] - 1): a
   * checkpoint exports them all in id order, and importing them in that order into a
   * fresh codec numbers them the same.
   */
  partCounts?(): number[];
}
