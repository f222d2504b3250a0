// What a finished search found, in a form two searches of one spec can be compared
// by (the coded and compact-frontier tests run each spec both ways).
import type { Search } from '../../src/explore/search.js';
import { fingerprint } from '../../src/values/fingerprint.js';

export function outcomeOf<S>(s: Search<S>) {
  const v = s.violation();
  return {
    distinct: s.links.size,
    generated: s.counts.generated,
    depth: s.counts.depth,
    stopped: s.stopped,
    coverage: [...s.counts.coverage],
    violation: v && { property: v.property, kind: v.kind, message: v.message, trace: v.trace.map((t) => t.action), last: fingerprint(v.trace.at(-1)!.state) },
    error: s.error && { message: s.error.message, handler: s.error.handler, trace: s.error.trace?.map((t) => t.action) },
  };
}
