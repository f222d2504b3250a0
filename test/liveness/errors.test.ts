// Bad liveness input is an error result naming the property (and the trace when a
// predicate throws), never a stack trace or a silent "holds"; options that cannot be
// combined with liveness are refused with a clear message.
import { describe, expect, it } from 'vitest';
import { check, spec, type CheckResult } from '../../src/index.js';

interface S {
  readonly x: number;
}
const base = { name: 'counter', init: () => ({ x: 0 }), actions: { Inc: (s: S) => (s.x < 2 ? { x: s.x + 1 } : undefined) } };
const goal = { reachesTwo: (s: S) => s.x === 2 };

function error(r: CheckResult) {
  expect(r.verdict).toBe('error');
  return r.error!;
}

describe('bad liveness input', () => {
  it('a predicate that throws: the error names the property and carries the trace to the state', () => {
    const e = error(
      check(
        spec({
          ...base,
          fairness: 'weak',
          eventually: {
            boom: (s: S) => {
              if (s.x === 1) throw new Error('kaboom');
              return false;
            },
          },
        }),
      ),
    );
    expect(e).toMatchObject({ message: 'liveness property boom threw: kaboom', handler: 'boom' });
    expect(e.trace?.map((t) => t.state)).toEqual([{ x: 0 }, { x: 1 }]);
  });

  it('a predicate that returns neither true, false nor a string', () => {
    const e = error(check(spec({ ...base, fairness: 'weak', alwaysEventually: { u: (() => undefined) as never } })));
    expect(e.message).toBe('liveness property u returned undefined; return true when it holds, or false / a string');
  });

  it('malformed definitions: not a function, a leadsTo that is not [P, Q], a name used twice', () => {
    expect(error(check(spec({ ...base, eventually: { u: 3 as never } }))).message).toBe('spec "counter": eventually.u must be a function of the state');
    expect(error(check(spec({ ...base, leadsTo: { l: [() => true] as never } }))).message).toContain('leadsTo.l must be [P, Q] or { from: P, to: Q }');
    expect(error(check(spec({ ...base, invariants: { reachesTwo: () => true }, eventually: goal }))).message).toContain('the property name reachesTwo is used twice');
  });

  it('fairness that names no action, or is not a kind', () => {
    expect(error(check(spec({ ...base, eventually: goal, fairness: { Nope: 'weak' } as never }))).message).toContain('fairness.Nope names no action (actions: Inc');
    expect(error(check(spec({ ...base, eventually: goal, fairness: 'fair' as never }))).message).toContain(`fairness must be 'weak', 'strong' or 'none', got "fair"`);
    expect(error(check(spec({ ...base, eventually: goal, fairness: { Inc: 'often' } as never }))).message).toContain('fairness.Inc must be');
  });

  it('--symmetry and --strategy dfs are refused with liveness properties', () => {
    const s = spec({ ...base, eventually: goal, fairness: 'weak' });
    expect(error(check(s, { symmetry: true })).message).toContain('--symmetry cannot be used with liveness properties (reachesTwo)');
    expect(error(check(s, { strategy: 'dfs' })).message).toContain('drop --strategy dfs');
    // The same spec without those options is fine.
    expect(check(s).verdict).toBe('ok');
  });
});
