// The liveness pass: after a safety search that found no violation, each liveness
// property is decided on the recorded graph, in declaration order; the first one
// violated is reported with its lasso. A property that only bounded behaviours
// could violate makes the result incomplete, naming the bound.
import type { ParentLinks } from '../explore/reconstruct.js';
import { analyse } from './analyse.js';
import type { StateGraph } from '../explore/state-graph.js';
import { materialise, type Lasso } from './lasso.js';
import type { LivenessKind } from '../core/liveness.js';

export interface LivenessViolation {
  readonly property: string;
  readonly form: LivenessKind;
  readonly message: string;
  readonly lasso: Lasso;
}

export interface LivenessReport {
  readonly violation?: LivenessViolation;
  /** Properties that bounded behaviours could violate: property → bounds. */
  readonly bounded: readonly { readonly property: string; readonly bounds: readonly string[] }[];
}

export function livenessPass<S>(graph: StateGraph<S>, links: ParentLinks, initialCount: number): LivenessReport {
  const bounded: { property: string; bounds: readonly string[] }[] = [];
  for (let i = 0; i < graph.properties.length; i++) {
    const outcome = analyse(graph, i, initialCount);
    if (outcome.kind === 'holds') continue;
    if (outcome.kind === 'bounded') {
      bounded.push({ property: graph.properties[i]!.name, bounds: outcome.bounds });
      continue;
    }
    const lasso = materialise(graph, links, i, outcome.lasso);
    return { violation: { property: graph.properties[i]!.name, form: graph.properties[i]!.kind, message: describe(graph, i, lasso), lasso }, bounded };
  }
  return { bounded };
}

function describe<S>(graph: StateGraph<S>, index: number, lasso: Lasso): string {
  const p = graph.properties[index]!;
  const last = lasso.trace.length - 1;
  const stutters = lasso.loop === last;
  const forever = stutters ? `halts at step ${last} and stays there forever` : `loops forever over steps ${lasso.loop}–${last} (step ${last} is step ${lasso.loop} again)`;
  const what = {
    eventually: `${p.name} never holds: a fair behaviour ${forever}`,
    leadsTo: `${p.name}: its trigger holds at step ${triggerStep(lasso)}, and its goal never holds after it: a fair behaviour ${forever}`,
    alwaysEventually: `${p.name} stops holding for good: a fair behaviour ${forever} without it`,
    eventuallyAlways: `${p.name} never holds for good: a fair behaviour ${forever}${stutters ? ' without it' : ', failing it on the way round'}`,
  }[p.kind];
  const hint = '; no fairness is declared, so no action is obliged to happen (declare fairness, e.g. fairness: { Next: \'weak\' })';
  if (graph.fairness.none) return what + hint;
  return stutters ? what + '; no fair action is enabled there' : what;
}

/** The step where a leadsTo's trigger held: the end of the stem (the loop or the path to it follows). */
function triggerStep(lasso: Lasso): number {
  return lasso.stemLength - 1;
}
