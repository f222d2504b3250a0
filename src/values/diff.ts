// What changed between two states, as a list of paths, for trace rendering.
// Successor states share structure with their parents, so every sub-value that is
// the same object on both sides is skipped without looking inside it.
import { compareValues, equalValues, sortedMapEntries, sortedSetItems } from './compare.js';
import { kindOf, recordEntries, seqItems } from './kinds.js';
import { indexSegment, keySegment, mapKeySegment } from './path.js';

export interface Change {
  /** Where, from the state's root: `.rmState.r1`, `.nodes.get("n1").log[2]`; '' is the root. */
  readonly path: string;
  /**
   * `changed`: the value at path differs (before → after). `added`/`removed`: a
   * record key, map key or seq element appeared/disappeared (path names it), or a
   * set element did (path names the set; before/after is the element).
   */
  readonly kind: 'changed' | 'added' | 'removed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * The differences from `before` to `after`, in canonical order (record keys sorted,
 * map keys and set elements in compareValues order). Records and maps are compared
 * key by key, recursively. Seqs of equal length are compared index by index; when
 * the length differs and the seqs agree except for elements inserted or removed in
 * one place (an append, a dequeue), those elements are reported as added (indices
 * in `after`) or removed (indices in `before`); otherwise the whole seq has changed.
 */
export function diffValues(before: unknown, after: unknown): Change[] {
  const changes: Change[] = [];
  diff(before, after, '', changes);
  return changes;
}

function diff(a: unknown, b: unknown, path: string, out: Change[]): void {
  if (a === b) return;
  const kind = kindOf(a);
  if (kind !== kindOf(b) || kind === 'invalid') {
    out.push({ path, kind: 'changed', before: a, after: b });
    return;
  }
  switch (kind) {
    case 'record':
      diffRecords(a as object, b as object, path, out);
      return;
    case 'map':
      diffMaps(a as object, b as object, path, out);
      return;
    case 'seq':
      diffSeqs(a as object, b as object, path, out);
      return;
    case 'set':
      diffSets(a as object, b as object, path, out);
      return;
    default:
      // Primitives of one kind: -0 and 0 are the same value.
      if (!equalValues(a, b)) out.push({ path, kind: 'changed', before: a, after: b });
  }
}

function diffRecords(a: object, b: object, path: string, out: Change[]): void {
  const before = new Map(recordEntries(a));
  const after = new Map(recordEntries(b));
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const k of keys) {
    if (!before.has(k)) out.push({ path: path + keySegment(k), kind: 'added', after: after.get(k) });
    else if (!after.has(k)) out.push({ path: path + keySegment(k), kind: 'removed', before: before.get(k) });
    else if (before.get(k) !== after.get(k)) diff(before.get(k), after.get(k), path + keySegment(k), out);
  }
}

// Keys and elements are matched canonically, by walking both sides in compareValues
// order, not with Immutable's own equality: that tells a Set key from an OrderedSet
// key, and plain-object keys (records, or anything decoded from ITF) by identity.
function diffMaps(a: object, b: object, path: string, out: Change[]): void {
  const xs = sortedMapEntries(a);
  const ys = sortedMapEntries(b);
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    const c = i === xs.length ? 1 : j === ys.length ? -1 : compareValues(xs[i]![0], ys[j]![0]);
    if (c < 0) {
      out.push({ path: path + mapKeySegment(xs[i]![0]), kind: 'removed', before: xs[i]![1] });
      i++;
    } else if (c > 0) {
      out.push({ path: path + mapKeySegment(ys[j]![0]), kind: 'added', after: ys[j]![1] });
      j++;
    } else {
      // Checked here too, to skip rendering the key into a path.
      if (xs[i]![1] !== ys[j]![1]) diff(xs[i]![1], ys[j]![1], path + mapKeySegment(ys[j]![0]), out);
      i++;
      j++;
    }
  }
}

function diffSets(a: object, b: object, path: string, out: Change[]): void {
  const xs = sortedSetItems(a);
  const ys = sortedSetItems(b);
  const added: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < xs.length || j < ys.length) {
    const c = i === xs.length ? 1 : j === ys.length ? -1 : compareValues(xs[i], ys[j]);
    if (c < 0) out.push({ path, kind: 'removed', before: xs[i++] });
    else if (c > 0) added.push(ys[j++]);
    else {
      i++;
      j++;
    }
  }
  for (const x of added) out.push({ path, kind: 'added', after: x });
}

function diffSeqs(seqA: object, seqB: object, path: string, out: Change[]): void {
  const a = seqItems(seqA);
  const b = seqItems(seqB);
  if (a.length === b.length) {
    for (let i = 0; i < a.length; i++) diff(a[i], b[i], path + indexSegment(i), out);
    return;
  }
  // Common prefix and suffix (not overlapping); what remains must be empty on one side.
  const n = Math.min(a.length, b.length);
  let pre = 0;
  while (pre < n && equalValues(a[pre], b[pre])) pre++;
  let suf = 0;
  while (suf < n - pre && equalValues(a[a.length - 1 - suf], b[b.length - 1 - suf])) suf++;
  if (pre + suf < n) {
    out.push({ path, kind: 'changed', before: seqA, after: seqB });
    return;
  }
  for (let i = pre; i < a.length - suf; i++) out.push({ path: path + indexSegment(i), kind: 'removed', before: a[i] });
  for (let i = pre; i < b.length - suf; i++) out.push({ path: path + indexSegment(i), kind: 'added', after: b[i] });
}
