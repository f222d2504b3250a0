// Renaming symbols inside a state value: every string equal to a key of `names`
// (as a value, a record key, a Map key or a Set element) is replaced by its image.
// Symmetry reduction uses it to map a state onto a representative of its orbit.
import { List, Map as IMap, Set as ISet } from './immutable.js';
import { isLastingValue, kindOf, mapEntries, recordEntries, seqItems, setItems } from './kinds.js';

/**
 * `memo`, when given, keeps by identity the renaming of every frozen plain value or
 * Immutable collection met, for callers that rename many states sharing parts with
 * one mapping; `seal` is then called on each such renaming as it is made.
 */
export function renameSymbols(value: unknown, names: ReadonlyMap<string, string>, memo?: WeakMap<object, unknown>, seal?: (renamed: unknown) => void): unknown {
  const kind = kindOf(value);
  if (kind === 'string') return names.get(value as string) ?? value;
  if (kind !== 'seq' && kind !== 'record' && kind !== 'map' && kind !== 'set') return value;
  const lasting = memo !== undefined && isLastingValue(value as object);
  if (lasting) {
    const known = memo.get(value as object);
    if (known !== undefined) return known;
  }
  const rename = (x: unknown) => renameSymbols(x, names, memo, seal);
  let out: unknown;
  switch (kind) {
    case 'seq': {
      const items = seqItems(value as object).map(rename);
      out = Array.isArray(value) ? items : List(items);
      break;
    }
    case 'record': {
      const record: Record<string, unknown> = {};
      for (const [k, v] of recordEntries(value as object)) record[names.get(k) ?? k] = rename(v);
      out = record;
      break;
    }
    case 'map':
      out = IMap(mapEntries(value as object).map(([k, v]) => [rename(k), rename(v)]));
      break;
    default:
      out = ISet(setItems(value as object).map(rename));
  }
  if (lasting) {
    seal?.(out);
    memo.set(value as object, out);
  }
  return out;
}
