// The 64-bit fingerprint of a packed state, as two 32-bit lanes. Feistel rounds
// are a bijection whatever the round function, so a layout of at most 64 bits gets
// distinct fingerprints for distinct states: no collision is possible there.
import { fmix32 as fmix } from '../values/mix.js';

/**
 * Writes the fingerprint of `n` words at `base` into out[0] (lane A, the slot) and out[1].
 * Past the first two, the words are absorbed two at a time, one into each lane: the
 * state so far is mixed through both lanes (a bijection) before each pair, so it is
 * never XORed with raw words, and (0,0,0) and (1,0,1) do not cancel out. A pair per
 * round, not a word: medians of 6 interleaved passes, 175 -> 102 ns a hash for 18
 * words (a protocol world's part hashes, as a parallel search keyed them before
 * protocol/codec.ts's XOR of shares), 89 -> 59 ns for 9 (its part numbers, as one
 * thread keys them), 46 -> 37 ns for 4.
 */
export function hashWords(words: Int32Array, base: number, n: number, out: Uint32Array): void {
  let a = words[base]! | 0;
  let b = n > 1 ? words[base + 1]! | 0 : 0x5bd1e995;
  let i = 2;
  for (; i + 1 < n; i += 2) {
    b ^= fmix(a ^ 0x27d4eb2f);
    a ^= fmix(b ^ 0x165667b1);
    a ^= words[base + i]!;
    b ^= words[base + i + 1]!;
  }
  if (i < n) {
    // An odd last word: mixed with other constants, so [.., x] and [.., x, 0] differ.
    b ^= fmix(a ^ 0x2545f491);
    a ^= fmix(b ^ 0x4f1bbcdd);
    a ^= words[base + i]!;
  }
  b ^= fmix(a ^ 0x9e3779b9);
  a ^= fmix(b ^ 0x7f4a7c15);
  b ^= fmix(a ^ 0x94d049bb);
  a ^= fmix(b ^ 0x6a09e667);
  out[0] = a;
  out[1] = b;
}
