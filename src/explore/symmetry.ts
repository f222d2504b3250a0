// Symmetry reduction: states equal up to a permutation of interchangeable symbols
// (the nodes of a role, the values of a param such as TwoPhase's RMs) count once.
//
// Each state is renamed onto a representative of its orbit before it is
// fingerprinted: the symbols of a set are ordered by a signature — the state's
// fingerprint with that symbol marked and the others of its set blanked — and
// renamed in that order. Any renaming maps a state to a member of its own orbit,
// so two states share a fingerprint only if they are symmetric: the reduction is
// sound whatever the signatures. Symbols with equal signatures play identical
// parts in models like TwoPhase, where the representative is then exact. The search
// still expands the states themselves, so every trace is a real trace.
import { fingerprint, fingerprintInto } from '../values/fingerprint.js';
import { kindOf, mapEntries, recordEntries, seqItems, setItems } from '../values/kinds.js';
import { renameSymbols } from '../values/rename.js';

const MARK = '\u0000faultline:self';
const BLANK = '\u0000faultline:other';

export type SymmetrySets = readonly (readonly string[])[];

/**
 * The state as one symbol sees it: that symbol marked, every other symbol blanked.
 * Record and map entries whose keys blank alike are kept as an order-free list, so
 * the view does not depend on which other symbol came last.
 */
function project(value: unknown, names: ReadonlyMap<string, string>): unknown {
  switch (kindOf(value)) {
    case 'string':
      return names.get(value as string) ?? value;
    case 'seq':
      return seqItems(value as object).map((x) => project(x, names));
    case 'record':
    case 'map': {
      const entries = kindOf(value) === 'record' ? recordEntries(value as object) : mapEntries(value as object);
      const grouped = new Map<string, unknown[]>();
      for (const [k, v] of entries) {
        const key = typeof k === 'string' ? (names.get(k) ?? k) : fingerprint(project(k, names));
        let list = grouped.get(key);
        if (list === undefined) grouped.set(key, (list = []));
        list.push(project(v, names));
      }
      const out: Record<string, unknown> = {};
      for (const [k, list] of grouped) out[k] = list.length === 1 ? list[0] : orderFree(list);
      return out;
    }
    case 'set':
      return orderFree(setItems(value as object).map((x) => project(x, names)));
    default:
      return value;
  }
}

function orderFree(items: unknown[]): unknown[] {
  return items.map((x) => [fingerprint(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

export function symmetryCanonicalizer(sets: SymmetrySets): ((state: unknown) => unknown) | undefined {
  const groups = sets.filter((g) => g.length > 1);
  if (groups.length === 0) return undefined;
  const fp = new Uint32Array(2);
  const signature = (state: unknown, group: readonly string[], self: string): string => {
    const names = new Map<string, string>();
    for (const g of groups) for (const s of g) names.set(s, g === group && s === self ? MARK : BLANK + groups.indexOf(g));
    fingerprintInto(project(state, names), fp, 0, false);
    return fp[0]!.toString(16).padStart(8, '0') + fp[1]!.toString(16).padStart(8, '0');
  };
  return (state) => {
    const names = new Map<string, string>();
    for (const group of groups) {
      const ranked = group
        .map((s, i) => ({ s, i, sig: signature(state, group, s) }))
        .sort((a, b) => (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : a.i - b.i));
      ranked.forEach((r, k) => names.set(r.s, group[k]!));
    }
    return renameSymbols(state, names);
  };
}
