// Renaming symbols inside a state value: every string equal to a key of `names`
// (as a value, a record key, a Map key or a Set element) is replaced by its image.
// Symmetry reduction uses it to map a state onto a representative of its orbit.
import { List, Map as IMap, Set as ISet } from 'immutable';
import { kindOf, mapEntries, recordEntries, seqItems, setItems } from './kinds.js';

export function renameSymbols(value: unknown, names: ReadonlyMap<string, string>): unknown {
  switch (kindOf(value)) {
    case 'string':
      return names.get(value as string) ?? value;
    case 'seq': {
      const items = seqItems(value as object).map((x) => renameSymbols(x, names));
      return Array.isArray(value) ? items : List(items);
    }
    case 'record': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of recordEntries(value as object)) out[names.get(k) ?? k] = renameSymbols(v, names);
      return out;
    }
    case 'map':
      return IMap(mapEntries(value as object).map(([k, v]) => [renameSymbols(k, names), renameSymbols(v, names)]));
    case 'set':
      return ISet(setItems(value as object).map((x) => renameSymbols(x, names)));
    default:
      return value;
  }
}
