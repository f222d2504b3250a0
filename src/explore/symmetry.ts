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
import { SpecError } from '../core/errors.js';
import { fingerprintInto } from '../values/fingerprint.js';
import { isLastingValue, kindOf, mapEntries, recordEntries, seqItems, setItems } from '../values/kinds.js';
import { renameSymbols } from '../values/rename.js';
import type { TransitionSystem } from '../core/types.js';

const MARK = '\u0000faultline:self';
const BLANK = '\u0000faultline:other';

export type SymmetrySets = readonly (readonly string[])[];

/** One symbol's view of states: the names it renames, and the views already made of immutable values. */
interface View {
  readonly names: ReadonlyMap<string, string>;
  /**
   * By identity: a successor shares most of its parts with its parent, which were
   * frozen when it was kept, so their views are made once, not once per successor.
   */
  readonly memo: WeakMap<object, unknown>;
}

/**
 * The state as one symbol sees it: that symbol marked, every other symbol blanked.
 * Record and map entries whose keys blank alike are kept as an order-free list, so
 * the view does not depend on which other symbol came last.
 */
function project(value: unknown, view: View): unknown {
  const kind = kindOf(value);
  if (kind === 'string') return view.names.get(value as string) ?? value;
  if (kind !== 'seq' && kind !== 'record' && kind !== 'map' && kind !== 'set') return value;
  const lasting = isLastingValue(value as object);
  if (lasting) {
    const known = view.memo.get(value as object);
    if (known !== undefined) return known;
  }
  const out = projectParts(value as object, kind, view);
  if (lasting) {
    // Sealed (frozen, its hash memoised): it will be hashed again in other states' views.
    fingerprintInto(out, scratch, 0, true);
    view.memo.set(value as object, out);
  }
  return out;
}

function projectParts(value: object, kind: 'seq' | 'record' | 'map' | 'set', view: View): unknown {
  switch (kind) {
    case 'seq':
      return seqItems(value).map((x) => project(x, view));
    case 'set':
      return orderFree(setItems(value).map((x) => project(x, view)));
    default: {
      const entries = kind === 'record' ? recordEntries(value) : mapEntries(value);
      const grouped = new Map<string, unknown[]>();
      for (const [k, v] of entries) {
        const key = typeof k === 'string' ? (view.names.get(k) ?? k) : hashOf(project(k, view));
        let list = grouped.get(key);
        if (list === undefined) grouped.set(key, (list = []));
        list.push(project(v, view));
      }
      const out: Record<string, unknown> = {};
      for (const [k, list] of grouped) out[k] = list.length === 1 ? list[0] : orderFree(list);
      return out;
    }
  }
}

const scratch = new Uint32Array(2);

/** A value's fingerprint as text, without sealing what it saw first (most views are used once). */
function hashOf(value: unknown): string {
  fingerprintInto(value, scratch, 0, false);
  return scratch[0]!.toString(16).padStart(8, '0') + scratch[1]!.toString(16).padStart(8, '0');
}

function orderFree(items: unknown[]): unknown[] {
  return items.map((x) => [hashOf(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

function describeValue(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return typeof v;
  }
}

export function symmetryCanonicalizer(sets: SymmetrySets): ((state: unknown) => unknown) | undefined {
  // `symmetry` is the spec's code: a wrong shape is a spec error, not a crash below.
  if (!Array.isArray(sets) || !sets.every((g) => Array.isArray(g) && g.every((x) => typeof x === 'string'))) {
    throw new SpecError(`symmetry must return an array of arrays of strings (the interchangeable values), got ${describeValue(sets)}`, { handler: 'symmetry' });
  }
  const groups = sets.filter((g) => g.length > 1);
  if (groups.length === 0) return undefined;
  // Each symbol's view, made once: its symbol marked, the others of every group blanked by group.
  const views = groups.map((group) =>
    group.map((self): View => {
      const names = new Map<string, string>();
      for (const g of groups) for (const s of g) names.set(s, g === group && s === self ? MARK : BLANK + groups.indexOf(g));
      return { names, memo: new WeakMap() };
    }),
  );
  const signature = (state: unknown, view: View): string => hashOf(project(state, view));
  /** The renamings already made under each permutation (keyed by its images), as for the views. */
  const renamed = new Map<string, WeakMap<object, unknown>>();
  const seal = (value: unknown) => fingerprintInto(value, scratch, 0, true);
  return (state) => {
    const names = new Map<string, string>();
    let images = '';
    let identity = true;
    groups.forEach((group, g) => {
      const ranked = group
        .map((s, i) => ({ s, i, sig: signature(state, views[g]![i]!) }))
        .sort((a, b) => (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : a.i - b.i));
      images += '\u0001';
      ranked.forEach((r, k) => {
        names.set(r.s, group[k]!);
        images += r.s + '\u0000'; // the symbol renamed to group[k]: the images say the whole permutation
        if (r.s !== group[k]) identity = false;
      });
    });
    // Already its own representative: renaming would rebuild an equal value.
    if (identity) return state;
    let memo = renamed.get(images);
    if (memo === undefined) renamed.set(images, (memo = new WeakMap()));
    return renameSymbols(state, names, memo, seal);
  };
}

/** The system with states fingerprinted by their symmetry representative. */
export function withSymmetry<S>(system: TransitionSystem<S>): TransitionSystem<S> {
  const canonical = symmetryCanonicalizer(system.symmetry ?? []);
  if (canonical === undefined) return system; // nothing declared: the report says so
  // Object.create keeps the compiled system's methods (it may be a class instance).
  return Object.create(system, { canonical: { value: canonical } }) as TransitionSystem<S>;
}
