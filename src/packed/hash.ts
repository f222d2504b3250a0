// The 64-bit fingerprint of a packed state, as two 32-bit lanes. Feistel rounds
// are a bijection whatever the round function, so a layout of at most 64 bits gets
// distinct fingerprints for distinct states: no collision is possible there.
import { fmix32 as fmix } from '../values/mix.js';

/** Writes the fingerprint of `n` words at `base` into out[0] (lane A, the slot) and out[1]. */
export function hashWords(words: Int32Array, base: number, n: number, out: Uint32Array): void {
  let a = words[base]! | 0;
  let b = n > 1 ? words[base + 1]! | 0 : 0x5bd1e995;
  for (let i = 2; i < n; i++) {
    // Mix what came before through both lanes (a bijection), then absorb one more
    // word: the state so far is never XORed with a raw word, so (0,0,0) and
    // (1,0,1) no longer cancel out.
    b ^= fmix(a ^ 0x27d4eb2f);
    a ^= fmix(b ^ 0x165667b1);
    a ^= words[base + i]!;
  }
  b ^= fmix(a ^ 0x9e3779b9);
  a ^= fmix(b ^ 0x7f4a7c15);
  b ^= fmix(a ^ 0x94d049bb);
  a ^= fmix(b ^ 0x6a09e667);
  out[0] = a;
  out[1] = b;
}
