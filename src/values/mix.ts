// MurmurHash3's 32-bit finaliser: a bijective mixer whose every output bit depends
// on every input bit. Shared by value fingerprints and packed-state hashing.
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
