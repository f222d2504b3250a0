// Liveness properties and fairness as a spec declares them, normalised for the
// checker. The four forms are TLA+'s: <>P, P ~> Q, []<>P and <>[]P. A property's
// predicates answer as invariants do (true holds; false or a string does not).
import { SpecError } from './errors.js';
import type { Fairness, FairnessKind, LivenessKind, LivenessProperty, PropertyResult } from './types.js';

// The compiled forms are part of a transition system, declared in core/types.ts.
export type { Fairness, FairnessKind, LivenessKind, LivenessProperty };

/** TLA+ notation of each form, for reports. */
export const LIVENESS_NOTATION: Readonly<Record<LivenessKind, string>> = {
  eventually: '<>P',
  leadsTo: 'P ~> Q',
  alwaysEventually: '[]<>P',
  eventuallyAlways: '<>[]P',
};

export const LIVENESS_KINDS = Object.keys(LIVENESS_NOTATION) as readonly LivenessKind[];

export const FAIRNESS_KINDS: readonly FairnessKind[] = ['weak', 'strong', 'none'];

/** What users write: `{ eventually: { name: P }, leadsTo: { name: [P, Q] | { from: P, to: Q } }, … }`. */
export type StatePredicate<V, P = unknown> = (v: V, params: P) => PropertyResult;

export interface LivenessDefinition<V, P = unknown> {
  /** `<>P`: along every fair behaviour, P holds at some point. */
  readonly eventually?: Readonly<Record<string, StatePredicate<V, P>>>;
  /** `P ~> Q`: whenever P holds, Q holds then or later. `[P, Q]` or `{ from: P, to: Q }`. */
  readonly leadsTo?: Readonly<Record<string, readonly [StatePredicate<V, P>, StatePredicate<V, P>] | { readonly from: StatePredicate<V, P>; readonly to: StatePredicate<V, P> }>>;
  /** `[]<>P`: P holds again and again, forever. */
  readonly alwaysEventually?: Readonly<Record<string, StatePredicate<V, P>>>;
  /** `<>[]P`: from some point on, P holds forever. */
  readonly eventuallyAlways?: Readonly<Record<string, StatePredicate<V, P>>>;
}

/**
 * The liveness properties of a definition, each predicate passed through `wrap`
 * (which turns a user function of the spec's view into one of states). Malformed
 * entries and names used twice are spec errors.
 */
export function livenessProperties<S, V, P = unknown>(
  where: string,
  def: LivenessDefinition<V, P>,
  wrap: (f: StatePredicate<V, P>, name: string) => (s: S) => PropertyResult,
  takenNames: Iterable<string> = [],
): LivenessProperty<S>[] {
  const out: LivenessProperty<S>[] = [];
  const seen = new Set(takenNames);
  const fn = (kind: string, name: string, f: unknown, part?: string): StatePredicate<V, P> => {
    if (typeof f !== 'function') {
      throw new SpecError(`${where}: ${kind}.${name}${part ? ` (${part})` : ''} must be a function of the state`, { handler: name });
    }
    return f as StatePredicate<V, P>;
  };
  for (const kind of LIVENESS_KINDS) {
    const group = def[kind] as Readonly<Record<string, unknown>> | undefined;
    if (group === undefined) continue;
    if (typeof group !== 'object' || group === null || Array.isArray(group)) {
      throw new SpecError(`${where}: ${kind} must be an object of named properties`, { handler: kind });
    }
    for (const [name, entry] of Object.entries(group)) {
      if (seen.has(name)) throw new SpecError(`${where}: the property name ${name} is used twice; property names must be unique`, { handler: name });
      seen.add(name);
      if (kind === 'leadsTo') {
        let p: unknown;
        let q: unknown;
        if (Array.isArray(entry) && entry.length === 2) [p, q] = entry;
        else if (typeof entry === 'object' && entry !== null && 'from' in entry && 'to' in entry) ({ from: p, to: q } = entry as { from: unknown; to: unknown });
        else throw new SpecError(`${where}: leadsTo.${name} must be [P, Q] or { from: P, to: Q } (P ~> Q: whenever P holds, Q holds then or later)`, { handler: name });
        out.push({ name, kind, from: wrap(fn(kind, name, p, 'P'), name), to: wrap(fn(kind, name, q, 'Q'), name) });
      } else {
        out.push({ name, kind, to: wrap(fn(kind, name, entry), name) });
      }
    }
  }
  return out;
}

export function livenessNames(def: LivenessDefinition<never, never>): string[] {
  return LIVENESS_KINDS.flatMap((k) => Object.keys((def[k] as object | undefined) ?? {}));
}

/** A user's fairness value: one kind for every action, or one per action name (or per instance label). */
export type FairnessDeclaration = FairnessKind | Readonly<Record<string, FairnessKind>>;

/**
 * Fairness of a core (or packed) spec: none by default, as in TLA+. A key names an
 * action (each of its instances gets that kind) or one instance by its label
 * (`'RMPrepare(r1)'`), which then overrides its action's kind.
 */
export function coreFairness(where: string, decl: FairnessDeclaration | undefined, actionNames: readonly string[], instanceLabels?: readonly string[]): Fairness {
  const kindOf = (v: unknown, key: string): FairnessKind => {
    if (!FAIRNESS_KINDS.includes(v as FairnessKind)) {
      throw new SpecError(`${where}: fairness${key ? `.${key}` : ''} must be 'weak', 'strong' or 'none', got ${JSON.stringify(v)}`, { handler: 'fairness' });
    }
    return v as FairnessKind;
  };
  if (decl === undefined) return { actionKinds: actionNames.map(() => 'none'), summary: 'none declared', none: true };
  if (typeof decl === 'string') {
    const k = kindOf(decl, '');
    return { actionKinds: actionNames.map(() => k), summary: k === 'none' ? 'none declared' : `${k} fairness on every action, per instance`, none: k === 'none' };
  }
  if (typeof decl !== 'object' || decl === null || Array.isArray(decl)) {
    throw new SpecError(`${where}: fairness must be 'weak', 'strong', or an object such as { Next: 'weak' }`, { handler: 'fairness' });
  }
  const byAction = new Map<string, FairnessKind>();
  const byInstance = new Map<string, FairnessKind>();
  for (const [key, v] of Object.entries(decl)) {
    const k = kindOf(v, key);
    if (actionNames.includes(key)) byAction.set(key, k);
    else {
      const open = key.indexOf('(');
      const base = open > 0 ? key.slice(0, open) : '';
      if (!actionNames.includes(base) || !key.endsWith(')')) {
        throw new SpecError(`${where}: fairness.${key} names no action (actions: ${actionNames.join(', ')}; an instance is named by its label, e.g. ${actionNames[0] ?? 'Next'}(x))`, {
          handler: 'fairness',
        });
      }
      if (instanceLabels !== undefined && !instanceLabels.includes(key)) {
        const of = instanceLabels.filter((l) => l.startsWith(`${base}(`));
        throw new SpecError(`${where}: fairness.${key} names no instance of ${base} (its instances: ${of.slice(0, 6).join(', ')}${of.length > 6 ? ', …' : ''})`, {
          handler: 'fairness',
        });
      }
      byInstance.set(key, k);
    }
  }
  const instanceActions = new Set([...byInstance.keys()].map((k) => k.slice(0, k.indexOf('('))));
  const actionKinds = actionNames.map((n) => (instanceActions.has(n) ? 'mixed' : (byAction.get(n) ?? 'none')));
  const parts = (['weak', 'strong'] as const)
    .map((k) => {
      const names = [...byAction].filter(([, v]) => v === k).map(([n]) => n).concat([...byInstance].filter(([, v]) => v === k).map(([n]) => n));
      return names.length > 0 ? `${k}: ${names.join(', ')}` : '';
    })
    .filter((s) => s !== '');
  return {
    actionKinds,
    instanceKind: (action, key) => byInstance.get(key) ?? byAction.get(actionNames[action]!) ?? 'none',
    summary: parts.length > 0 ? `per instance; ${parts.join('; ')}` : 'none declared',
    none: parts.length === 0,
  };
}
