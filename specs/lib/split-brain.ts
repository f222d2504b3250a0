// Shared parts of the split-brain pair (specs/split-brain.buggy.ts,
// specs/split-brain.fixed.ts): the ghost history of elections and the invariant.
// No spec here.

/** One node becoming leader of a term (ghost history: no crash erases it). */
export interface LeaderSeen {
  readonly term: number;
  readonly node: string;
}

export type SplitBrainObservations = { leader: LeaderSeen };

/**
 * The invariant of both specs (Raft's "election safety"): at most one node ever
 * becomes leader of a given term. Two leaders of one term would each accept
 * writes as the one authority of that term: split brain.
 */
export function oneLeaderPerTerm(leaders: readonly LeaderSeen[]): true | string {
  for (let i = 0; i < leaders.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = leaders[j]!;
      const b = leaders[i]!;
      if (a.term === b.term && a.node !== b.node) return `split brain: ${a.node} and ${b.node} are both leader of term ${a.term}`;
    }
  }
  return true;
}
