// Immutable.js for faultline's own modules, loaded with require rather than import.
// An ES module importing a CommonJS package makes Node scan it with its export lexer
// first (immutable.js is 212 KB), in every thread that loads faultline, each shard of
// --workers too, and the lexer runs hot enough to be compiled by TurboFan there.
// Measured, `faultline check specs/diehard.ts --no-typecheck` (medians of 5 runs,
// interleaved): one thread 0.80 -> 0.66 s, CPU 1.00 -> 0.82 s; 2 workers, CPU 1.86 ->
// 1.65 s. A spec's own import of 'immutable' gets this same module: Node keeps one
// CommonJS module per file (and immutable's package.json has no "exports" to split them).
import { createRequire } from 'node:module';
import type * as Immutable from 'immutable';

const immutable = createRequire(import.meta.url)('immutable') as typeof Immutable;

export const { List, Map, OrderedMap, OrderedSet, Set, Stack, isImmutable, isIndexed, isKeyed, isList, isOrderedMap, isOrderedSet, isRecord, isSet, isStack } = immutable;
export type List<T> = Immutable.List<T>;
export type Map<K, V> = Immutable.Map<K, V>;
export type Set<T> = Immutable.Set<T>;
