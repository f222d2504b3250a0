// The reference's own breadth-first search: worlds keyed by worldKey (sorted JSON
// of the documented contents), level by level, so the first level holding a
// violation gives the length of the shortest counterexample. For each world it
// keeps the fewest and the most faults over its shortest paths, so a reported
// trace's fault count can be checked whichever shortest path was taken.
import { initialWorlds, successors } from './semantics.js';
import { setup as makeSetup, type Definition, type Setup } from './setup.js';
import { canonicalInFlight, documented, worldKey, type Copy, type RWorld } from './world.js';
import { canon } from './canon.js';
import { worldView } from './view.js';

export interface ReferenceViolation {
  property: string;
  kind: 'invariant' | 'actionProperty' | 'sometimes';
  /** Actions in a shortest trace (0 for an initial state). */
  length: number;
  /** Fewest and most faults over the shortest traces to a violating world. */
  minFaults: number;
  maxFaults: number;
}

export interface ReferenceResult {
  setup: Setup;
  verdict: 'ok' | 'violation';
  distinct: number;
  /** Initial worlds plus every successor of every expanded world (duplicates included). */
  generated: number;
  /** Successors per coverage name (from expanded worlds, duplicates included). */
  coverage: Map<string, number>;
  /** Every violation of the shortest length, one entry per property. */
  violations: ReferenceViolation[];
}

const holds = (r: unknown) => r === true;

export function referenceCheck(
  def: Definition,
  opts: {
    params?: Record<string, unknown>;
    faults?: Record<string, number>;
    maxStates?: number;
    noProperties?: boolean;
    /** Explore the whole space even after a violation (the counts are then the full space's). */
    full?: boolean;
  } = {},
): ReferenceResult {
  const setup = makeSetup(def, opts);
  const invariants = opts.noProperties ? {} : (def.invariants ?? {});
  const actionProperties = opts.noProperties ? {} : (def.actionProperties ?? {});
  const sometimes = new Map(Object.entries(opts.noProperties ? {} : (def.sometimes ?? {})));
  const maxStates = opts.maxStates ?? 2_000_000;
  const index = new Map<string, number>();
  const worlds: RWorld[] = [];
  const minF: number[] = [];
  const maxF: number[] = [];
  const depth: number[] = [];
  let generated = 0;
  const coverage = new Map<string, number>();
  const found = new Map<string, ReferenceViolation>();
  const note = (property: string, kind: ReferenceViolation['kind'], length: number, lo: number, hi: number) => {
    const v = found.get(property);
    if (!v) found.set(property, { property, kind, length, minFaults: lo, maxFaults: hi });
    else if (v.length === length) (v.minFaults = Math.min(v.minFaults, lo)), (v.maxFaults = Math.max(v.maxFaults, hi));
  };
  /** Adds a world reached at depth d with lo..hi faults on the paths there; returns its index. */
  const reach = (w: RWorld, d: number, lo: number, hi: number): number => {
    generated++;
    const key = worldKey(setup, w);
    const known = index.get(key);
    if (known !== undefined) {
      if (depth[known] === d) (minF[known] = Math.min(minF[known]!, lo)), (maxF[known] = Math.max(maxF[known]!, hi));
      return known;
    }
    const i = worlds.length;
    if (i >= maxStates) throw new Error(`reference: more than ${maxStates} worlds`);
    index.set(key, i);
    worlds.push(w);
    minF.push(lo);
    maxF.push(hi);
    depth.push(d);
    return i;
  };
  for (const w of initialWorlds(setup)) reach(w, 0, 0, 0);
  const expandable = (w: RWorld, view: unknown) =>
    (setup.maxInFlight === undefined || w.inFlight.length <= setup.maxInFlight) && (!def.constraint || def.constraint(view));
  const checkWorld = (i: number) => {
    const view = worldView(setup, worlds[i]!);
    for (const [name, inv] of Object.entries(invariants)) if (!holds(inv(view))) note(name, 'invariant', depth[i]!, minF[i]!, maxF[i]!);
    for (const [name, p] of sometimes) if (holds(p(view))) sometimes.delete(name);
    return view;
  };
  // level by level: the worlds of depth d are all known (with final fault ranges)
  // once every world of depth d-1 has been expanded
  let levelStart = 0;
  let d = 0;
  while (levelStart < worlds.length) {
    const levelEnd = worlds.length;
    const views: unknown[] = [];
    for (let i = levelStart; i < levelEnd; i++) views.push(checkWorld(i));
    if (!opts.full && [...found.values()].some((v) => v.length === d)) break;
    for (let i = levelStart; i < levelEnd; i++) {
      const view = views[i - levelStart];
      if (!expandable(worlds[i]!, view)) continue;
      for (const s of successors(setup, worlds[i]!)) {
        const f = s.fault ? 1 : 0;
        coverage.set(s.action, (coverage.get(s.action) ?? 0) + 1);
        reach(s.world, d + 1, minF[i]! + f, maxF[i]! + f);
        if (Object.keys(actionProperties).length === 0) continue;
        const after = worldView(setup, s.world);
        for (const [name, p] of Object.entries(actionProperties)) {
          if (!holds(p(view, s.label, after))) note(name, 'actionProperty', d + 1, minF[i]! + f, maxF[i]! + f);
        }
      }
    }
    if (!opts.full && [...found.values()].some((v) => v.length === d + 1)) {
      // a shortest action-property violation ends at depth d+1: invariants there tie with it
      for (let i = levelEnd; i < worlds.length; i++) checkWorld(i);
      break;
    }
    levelStart = levelEnd;
    d++;
  }
  const shortest = Math.min(...[...found.values()].map((v) => v.length));
  const violations = [...found.values()].filter((v) => v.length === shortest);
  if (violations.length === 0) {
    for (const name of sometimes.keys()) violations.push({ property: name, kind: 'sometimes', length: 0, minFaults: 0, maxFaults: 0 });
  }
  // As TLC counts: a world outside maxInFlight or the constraint is checked, not counted.
  const distinct = worlds.filter((w) => expandable(w, worldView(setup, w))).length;
  return { setup, verdict: violations.length > 0 ? 'violation' : 'ok', distinct, generated, coverage, violations };
}

/**
 * Replays a trace reported by faultline (labels and documented states) in the
 * reference: its first state must be an initial world, and each step a successor
 * with the same label and the same documented state. Returns null if it replays,
 * else what went wrong; also the number of fault steps it took.
 */
export function replayInReference(
  setup: Setup,
  trace: readonly { action: string | null; state: unknown }[],
): { problem: string | null; faults: number } {
  const same = (w: RWorld, state: unknown) => canon(documented(setup, w)) === canonOfReported(setup, state);
  let current = initialWorlds(setup).find((w) => same(w, trace[0]!.state));
  if (!current) return { problem: `the first state is not an initial world of the reference:\n${canonOfReported(setup, trace[0]!.state)}`, faults: 0 };
  let faults = 0;
  for (let k = 1; k < trace.length; k++) {
    const step = trace[k]!;
    const options = successors(setup, current);
    // the printing of a chosen value is not documented (only "(choose: 3)"): labels are
    // compared without it; the state reached still has to be the same
    const next = options.find((s) => withoutChoice(s.label) === withoutChoice(step.action!) && same(s.world, step.state));
    if (!next) {
      const byState = options.filter((s) => same(s.world, step.state)).map((s) => s.label);
      return {
        problem:
          `step ${k} "${step.action}" is not a reference successor` +
          (byState.length > 0 ? ` (the same state is reached by: ${byState.join('; ')})` : `; the reference offers: ${options.map((s) => s.label).join('; ')}`),
        faults,
      };
    }
    if (next.fault) faults++;
    current = next.world;
  }
  return { problem: null, faults };
}

const withoutChoice = (label: string) => label.replace(/ \(choose: .*\)$/, '');

/** A state as faultline reports it, in the reference's canonical form (in-flight copies reordered canonically). */
export function canonOfReported(setup: Setup, state: unknown): string {
  const s = { ...(state as Record<string, unknown>) };
  s.inFlight = canonicalInFlight(s.inFlight as Copy[], setup.fifo);
  return canon(s);
}
