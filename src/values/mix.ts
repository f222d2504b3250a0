// MurmurHash3's 32-bit finaliser: a bijective mixer whose every output bit depends
// on every input bit. Shared by value fingerprints and packed-state hashing.
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A second finaliser (other constants), for the fingerprints' independent lane B. */
export function fmixB(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return h ^ (h >>> 15);
}
