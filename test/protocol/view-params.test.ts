// Properties, constraints and `done` read the spec's params through the world view.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/check.js';
import { messages, protocol } from '../../src/protocol/index.js';
import type { Spec } from '../../src/core/types.js';

/** a counts its own steps up to `max`; the invariant and constraint take their bounds from params. */
const counter = protocol({
  name: 'counter',
  params: { max: 5, limit: 3, cut: 10 },
  messages: messages<{}>(),
  roles: (role) => ({
    a: role({ init: () => ({ n: 0 }), steps: { inc: (s, ctx) => (s.n < ctx.params.max ? { n: s.n + 1 } : undefined) } }),
  }),
  constraint: (w) => w.node('a').state!.n < w.params.cut,
  invariants: { belowLimit: (w) => w.node('a').state!.n < w.params.limit || `n reached ${w.params.limit}` },
}) as unknown as Spec;

describe('w.params', () => {
  test('invariants read params', () => {
    const r = check(counter);
    expect(r.violation?.message).toBe('n reached 3');
    expect(r.violation!.trace).toHaveLength(4);
    expect(check(counter, { params: { limit: 9 } }).stats.distinctStates).toBe(6);
  });

  test('constraints read params', () => {
    const r = check(counter, { params: { limit: 9, cut: 2 } });
    expect(r.verdict).toBe('ok');
    expect(r.constraintInForce).toBe(true);
    expect(r.stats.distinctStates).toBe(2); // n = 0, 1 (2 is checked, not expanded, not counted: TLC's count)
  });
});
