// The keys each kind of definition accepts. A spec written in plain JavaScript, or
// checked with --no-typecheck, gets no compiler error for a misspelt `invariant:`: it
// would silently check nothing. So every definition object is checked against its
// list here, and an unknown key is a spec error naming the nearest valid key.
//
// One list per definition kind: a new key is added in exactly one place.
import { SpecError } from './errors.js';

/** Liveness properties and fairness (the liveness work adds their semantics). */
const LIVENESS_KEYS = ['eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'fairness'] as const;

/** spec({...}) */
export const SPEC_KEYS: readonly string[] = [
  'name', 'params', 'init', 'actions', 'invariants', 'actionProperties', 'sometimes',
  'constraint', 'done', 'symmetry', 'expect', ...LIVENESS_KEYS,
];

/** packed({...}) */
export const PACKED_KEYS: readonly string[] = ['name', 'params', 'layout', 'init', 'define', 'symmetry', 'expect', ...LIVENESS_KEYS];

/** What a packed spec's define(v, params) returns. */
export const PACKED_BEHAVIOUR_KEYS: readonly string[] = [
  'actions', 'invariants', 'sometimes', 'actionProperties', 'constraint', 'done', ...LIVENESS_KEYS,
];

/** protocol({...}) */
export const PROTOCOL_KEYS: readonly string[] = [
  'name', 'params', 'messages', 'observations', 'roles', 'nodes', 'faults', 'partitions', 'network',
  'recovery', 'time', 'constraint', 'done', 'invariants', 'actionProperties', 'sometimes', 'expect',
  'symmetry', ...LIVENESS_KEYS,
];

/** role({...}) */
export const ROLE_KEYS: readonly string[] = ['clock', 'durable', 'init', 'recover', 'on', 'timers', 'steps'];

/** A protocol's `time` (either mode). */
export const TIME_KEYS: readonly string[] = ['mode', 'maxTime', 'maxSkew', 'maxJump', 'maxDelay'];

/** A protocol's `network`. */
export const NETWORK_KEYS: readonly string[] = ['fifo', 'maxInFlight'];

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 1; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/** The valid name closest to `name`, if one is close enough to be a likely typo. */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const v of valid) {
    const dist = distance(name, v);
    if (dist < bestDistance) [best, bestDistance] = [v, dist];
  }
  if (bestDistance <= Math.max(2, Math.floor(name.length / 3))) return best;
  // One contains the other at an end: 'action' / 'actions', 'maxDepth' / 'depth'.
  const n = name.toLowerCase();
  const part = valid.find((v) => {
    const w = v.toLowerCase();
    return w.startsWith(n) || n.startsWith(w) || w.endsWith(n) || n.endsWith(w);
  });
  return name.length >= 3 ? part : undefined;
}

/** `did you mean "invariants"?` or the list of valid names. */
export function suggestion(name: string, valid: readonly string[]): string {
  const near = nearestName(name, valid);
  return near !== undefined ? `did you mean "${near}"?` : `valid: ${valid.join(', ')}`;
}

/**
 * Throws a SpecError for the first key of `obj` that is not in `valid`.
 * `where` names the definition: `spec "diehard"`, `protocol "lease": role client`.
 */
export function checkKeys(obj: object, valid: readonly string[], where: string, site: { role?: string; handler?: string } = {}): void {
  for (const key of Object.keys(obj)) {
    if (valid.includes(key)) continue;
    throw new SpecError(`${where}: unknown key "${key}"; ${suggestion(key, valid)}`, site);
  }
}
