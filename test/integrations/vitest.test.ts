// The vitest matchers of 'faultline/vitest': passing, failing (the failure message
// carries the plain-text counterexample), negated, with options.
import { describe, expect, it } from 'vitest';
import 'faultline/vitest';
import diehard from '../../specs/diehard.js';
import twoPhase from '../../specs/two-phase.js';
import holds from '../fixtures/ci/1-holds.js';

/** The message of the assertion error `f` throws. */
function failureOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

describe('toHold', () => {
  it('passes when every property holds on the whole reachable space', () => {
    expect(twoPhase).toHold();
    expect(holds).toHold();
    expect(diehard).toHold({ params: { goal: 6 } }); // the big jug never holds 6 gallons
  });

  it('fails on a violation with the rendered counterexample, plain text', () => {
    const message = failureOf(() => expect(diehard).toHold());
    expect(message).toMatch(/^expected spec diehard to hold, but it violates NotSolved: the big jug holds 4 gallons\n\n/);
    expect(message).toContain('diehard  params: goal=4');
    expect(message).toContain('Counterexample (6 steps, shortest):');
    expect(message).toMatch(/ {2}6 {2}BigToSmall\n\s+big: 5 → 4\n\s+small: 2 → 3\n\s+✗ NotSolved: the big jug holds 4 gallons/);
    expect(message).toContain('14 distinct states, 73 generated, depth 6');
    expect(message).not.toMatch(/\u001b\[/);
    // The spec's own `expect` is not the matcher's business: no expectation line.
    expect(message).not.toContain('expectation');
  });

  it('fails on an incomplete search: a bound is not a proof', () => {
    const message = failureOf(() => expect(twoPhase).toHold({ maxStates: 10 }));
    expect(message).toContain('expected spec two-phase to hold, but the search was incomplete: stopped at the state bound (--max-states 10)');
    expect(message).toContain('⚠ INCOMPLETE');
  });

  it('.not passes on a violation, fails on a spec that holds', () => {
    expect(diehard).not.toHold();
    expect(failureOf(() => expect(twoPhase).not.toHold())).toMatch(/^expected spec two-phase not to hold, but it holds on all 288 reachable states/);
  });
});

describe('toViolate', () => {
  it('passes when the search finds a violation of that property', () => {
    expect(diehard).toViolate('NotSolved');
    expect(diehard).toViolate('NotSolved', { params: { goal: 3 } });
  });

  it('fails when the spec holds', () => {
    const message = failureOf(() => expect(twoPhase).toViolate('TCConsistent'));
    expect(message).toMatch(/^expected spec two-phase to violate TCConsistent, but it holds on all 288 reachable states\n\n/);
    expect(message).toContain('✓ every property holds on all 288 reachable states');
  });

  it('fails when another property is violated, showing that counterexample', () => {
    const message = failureOf(() => expect(diehard).toViolate('TypeOK'));
    expect(message).toMatch(/^expected spec diehard to violate TypeOK, but it violates NotSolved: the big jug holds 4 gallons/);
    expect(message).toContain('Counterexample (6 steps, shortest):');
  });

  it('.not', () => {
    expect(twoPhase).not.toViolate('TCConsistent');
    expect(diehard).not.toViolate('TypeOK');
    expect(failureOf(() => expect(diehard).not.toViolate('NotSolved'))).toMatch(/^expected spec diehard not to violate NotSolved, but it violates NotSolved/);
  });

  it('rejects what is not a spec, and a missing property name', () => {
    expect(failureOf(() => expect({ name: 'x' }).toHold())).toContain('needs a faultline spec');
    expect(failureOf(() => expect(diehard).toViolate(''))).toContain('needs the name of the property');
  });
});
