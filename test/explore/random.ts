// Seeded uint32s for the table tests: the same sequence on every run (simulate's mulberry32).
import { randomGenerator } from '../../src/explore/simulate.js';

export function rng(seed: number): () => number {
  const next = randomGenerator(seed);
  return () => next() * 4294967296;
}
