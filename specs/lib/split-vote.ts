// Shared parts of the split-vote pair (specs/split-vote.buggy.ts,
// specs/split-vote.fixed.ts): terms counted modulo a small number, and the
// invariant that makes this exact. No spec here.
//
// Why terms may wrap. A term only matters by comparison: a RequestVote is of the
// receiver's term, of the next one, or of the previous one. In these models (two
// nodes) a candidate stands again only once its peer has answered it, so all the
// terms in a world — of the nodes and of the messages in flight — lie within one
// of each other (`termsWithinOne`: checked on the unwrapped model, `terms: 0`, by
// test/specs/split-vote.test.ts over its first 5,000 states, 1,036 steps deep). Counted modulo 3, "the same", "one newer" and
// "one older" are then still told apart exactly, and the unbounded protocol and
// the wrapped model have the same behaviours: a split vote that repeats forever
// with ever larger terms is a cycle through three terms here.

/** Terms per wrap (param `terms`); 0 counts them without wrapping (an infinite model, for tests). */
export type TermCount = number;

export function nextTerm(t: number, terms: TermCount): number {
  return terms === 0 ? t + 1 : (t + 1) % terms;
}

/** Whether term `a` is newer than term `b` (exact while terms are within one of each other). */
export function newer(a: number, b: number, terms: TermCount): boolean {
  return terms === 0 ? a > b : (a - b + terms) % terms === 1;
}

/**
 * Every term in the world within one of every other: at most two terms, and
 * (unwrapped) adjacent ones. This is what makes counting modulo 3 exact.
 */
export function termsWithinOne(terms: readonly number[], count: TermCount): true | string {
  const distinct = [...new Set(terms)].sort((a, b) => a - b);
  if (distinct.length <= 1) return true;
  if (distinct.length === 2 && (count !== 0 || distinct[1]! - distinct[0]! === 1)) return true;
  return `terms ${distinct.join(', ')} are in use at once`;
}
