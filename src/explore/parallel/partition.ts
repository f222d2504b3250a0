// Which worker owns a fingerprint in the parallel search: a partition that needs no table.
/**
 * The worker that owns a fingerprint, from the top bits of lane B (lane A picks the
 * table slot). Integer multiply and shift: `b % workers` on a uint32 above 2^31 is a
 * floating-point modulus, far slower on the hot path.
 */
export function ownerOf(b: number, workers: number): number {
  return Math.imul(b >>> 16, workers) >>> 16;
}
