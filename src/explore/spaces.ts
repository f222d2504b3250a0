// Which representation a search keeps its states in: packed words for packed specs
// (except under symmetry, whose representatives are computed on plain values, or
// with action properties, checked on plain values), else JS values (value-space.ts).
import type { ParamValue, Spec } from '../core/types.js';
import type { TransitionSystem } from './system.js';
import { PackedSpace } from './packed-space.js';
import type { Search } from './search.js';
import type { ShardSpace } from './parallel/shard.js';
import { withSymmetry } from './symmetry.js';
import { ValueSpace } from './value-space.js';

export function usesPackedSearch(system: TransitionSystem<unknown>): boolean {
  return system.packed !== undefined && system.canonical === undefined && system.packed.actionProperties.length === 0;
}

/**
 * The space for `search`. `words`: every state queued as words, whatever its shape,
 * as the parallel search needs (its hand-over and its shards move words).
 */
export function spaceFor(search: Search<unknown>, words = false): ShardSpace {
  const { system } = search;
  return usesPackedSearch(system) && search.checker.graph === undefined ? new PackedSpace(search, system.packed!) : ValueSpace.for(search, words);
}

/** The system a search explores: compiled with the run's params and fault budgets, under symmetry when asked. */
export function systemFor(
  spec: Spec,
  params: Readonly<Record<string, ParamValue>>,
  options: { readonly faults?: Readonly<Record<string, number>>; readonly symmetry?: boolean },
): TransitionSystem<unknown> {
  const compiled = spec.compile(params as Record<string, ParamValue>, { faults: options.faults });
  return options.symmetry ? withSymmetry(compiled) : compiled;
}
