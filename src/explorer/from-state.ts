// "Find the shortest violation from here": the spec's transition system with one
// initial state, the one the student reached. A wrapper, so the checker's code is
// untouched: the search from it is the ordinary BFS, and its first violation is the
// shortest from here.
import { brandSpec, type Spec, type TransitionSystem } from '../core/types.js';

/** `system`, except that its initial states are `states` (the one reached, or all of the spec's at step 0). */
export function startingAt<S>(system: TransitionSystem<S>, states: readonly S[]): TransitionSystem<S> {
  // Object.create keeps the compiled system's methods (it may be a class instance).
  // `packed` goes: the packed BFS starts from the spec's own initial words, not from
  // initialStates(); the plain BFS searches a packed spec's decoded states instead.
  // `sometimes` goes too: it asks about every state reachable from the spec's initial
  // states, and a part of that space proves nothing about it.
  return Object.create(system, {
    initialStates: { value: () => [...states] },
    packed: { value: undefined },
    sometimes: { value: [] },
  }) as TransitionSystem<S>;
}

/** A spec whose compile() gives `system` as is (its params already resolved), for check(). */
export function specOf(name: string, system: TransitionSystem<unknown>): Spec {
  return brandSpec({
    name,
    kind: 'core' as const,
    params: system.params,
    describe: () => ({
      actions: system.actions.map((a) => a.name),
      invariants: system.invariants.map((p) => p.name),
      actionProperties: system.actionProperties.map((p) => p.name),
      sometimes: system.sometimes.map((p) => p.name),
    }),
    compile: () => system,
  });
}
