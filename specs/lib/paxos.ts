// Shared parts of the paxos pair (specs/paxos.buggy.ts, specs/paxos.fixed.ts): the
// value types, the ghost history of acceptances and the invariant. No spec here.

/** A proposal an acceptor has accepted: [ballot, value]. */
export type Proposal = readonly [number, string];

/** One acceptor accepting a proposal (ghost history: no crash erases it). */
export interface Acceptance {
  readonly acceptor: string;
  readonly ballot: number;
  readonly value: string;
}

export type PaxosObservations = { accepted: Acceptance };

/** The values chosen so far: accepted, in one ballot, by a majority of the acceptors. */
export function chosen(accepted: readonly Acceptance[], acceptors: number): { ballot: number; value: string }[] {
  const voters = new Map<string, Set<string>>();
  for (const a of accepted) {
    const key = `${a.ballot}\u0000${a.value}`;
    let set = voters.get(key);
    if (set === undefined) voters.set(key, (set = new Set()));
    set.add(a.acceptor);
  }
  const out: { ballot: number; value: string }[] = [];
  for (const [key, set] of voters) {
    if (2 * set.size > acceptors) {
      const [ballot, value] = key.split('\u0000');
      out.push({ ballot: Number(ballot), value: value! });
    }
  }
  return out.sort((x, y) => x.ballot - y.ballot);
}

/** The invariant of both specs (consensus safety): at most one value is ever chosen. */
export function agreement(accepted: readonly Acceptance[], acceptors: number): true | string {
  const c = chosen(accepted, acceptors);
  const other = c.find((x) => x.value !== c[0]?.value);
  if (other !== undefined) {
    return `two values chosen: "${c[0]!.value}" in ballot ${c[0]!.ballot} and "${other.value}" in ballot ${other.ballot}`;
  }
  return true;
}

/**
 * The majorities of acceptors that proposer `index` may send its Prepare to
 * (Paxos Made Simple: "a majority of acceptors", any one of them). With
 * `allQuorums`, every majority. Otherwise only one majority per case *up to
 * renaming the acceptors* — a symmetry reduction that cannot change the verdict,
 * since acceptors are interchangeable in the protocol, the faults and the
 * invariant: proposer1 always asks the first majority; proposer2 asks a majority
 * that shares k acceptors with proposer1's, one per possible k (with 3 acceptors:
 * the same two, or one in common); any further proposer asks any majority.
 */
export function quorumsFor(index: number, acceptors: readonly string[], allQuorums: boolean): string[][] {
  const n = acceptors.length;
  const m = Math.floor(n / 2) + 1;
  const all = subsets(acceptors, m);
  if (allQuorums || index > 2) return all;
  const first = acceptors.slice(0, m);
  if (index === 1) return [first];
  const out: string[][] = [];
  for (let k = m; k >= 2 * m - n; k--) out.push([...first.slice(0, k), ...acceptors.slice(m, m + (m - k))]);
  return out;
}

function subsets(xs: readonly string[], k: number): string[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [head, ...rest] = xs;
  return [...subsets(rest, k - 1).map((s) => [head!, ...s]), ...subsets(rest, k)];
}
