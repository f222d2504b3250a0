// A typo is an error, not a pass: unknown definition keys, an expectation naming no
// property, fault budgets on a core spec, overlapping symmetry sets and wrong library
// options each give an error that names the mistake (and the nearest valid name).
import { describe, expect, it } from 'vitest';
import {
  NETWORK_KEYS,
  PACKED_BEHAVIOUR_KEYS,
  PACKED_KEYS,
  PROTOCOL_KEYS,
  ROLE_KEYS,
  SPEC_KEYS,
  TIME_KEYS,
  nearestName,
} from '../../src/core/definition-keys.js';
import { SpecError, UsageError, check, checkAsync, int, messages, packed, protocol, simulate, spec } from '../../src/index.js';
import { faultline } from '../cli/run.js';

type S = { x: number };
const base = {
  name: 'counter',
  init: (): S => ({ x: 0 }),
  actions: { Inc: (s: S) => (s.x < 5 ? { x: s.x + 1 } : undefined) },
  invariants: { Below3: (s: S) => s.x < 3 },
};
/** A definition with an extra key the types would refuse (as plain JavaScript would pass it). */
const withKey = <T extends object>(def: T, key: string, value: unknown = {}): T => ({ ...def, [key]: value }) as T;

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('unknown keys in a definition are spec errors naming the nearest valid key', () => {
  it('spec(): invariant → invariants', () => {
    const e = thrown(() => spec(withKey({ ...base, invariants: undefined }, 'invariant', base.invariants)));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.message).toBe('spec "counter": unknown key "invariant"; did you mean "invariants"?');
  });

  it('spec(): a key far from every valid one lists the valid keys', () => {
    const e = thrown(() => spec(withKey(base, 'zzzzzzzz')));
    expect(e.message).toMatch(/^spec "counter": unknown key "zzzzzzzz"; valid: name, params, init, actions, invariants, /);
  });

  it('packed(): its definition and what define() returns', () => {
    const def = {
      name: 'p',
      layout: { x: int(0, 5) },
      init: () => ({ x: 0 }),
      define: (v: { x: { get(s: unknown): number } }) => ({ actions: {}, invarients: { ok: () => true } }),
    };
    expect(thrown(() => packed(withKey(def as never, 'expects', 'holds'))).message).toBe('packed spec "p": unknown key "expects"; did you mean "expect"?');
    const r = check(packed(def as never));
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toBe('packed spec "p": what define returns: unknown key "invarients"; did you mean "invariants"?');
  });

  const proto = (extra: Record<string, unknown> = {}, roleExtra: Record<string, unknown> = {}) =>
    protocol({
      name: 'ping',
      messages: messages<{ Ping: object }>(),
      nodes: { a: 1 },
      roles: (role: (d: never) => object) => ({ a: role({ init: () => ({ n: 0 }), ...roleExtra } as never) }),
      invariants: { ok: () => true },
      ...extra,
    } as never);

  it('protocol(), role(), time and network', () => {
    expect(thrown(() => proto({ invariant: {} })).message).toBe('protocol "ping": unknown key "invariant"; did you mean "invariants"?');
    const role = check(proto({}, { step: {} }));
    expect(role.error).toMatchObject({ message: 'role a: unknown key "step"; did you mean "steps"?', role: 'a' });
    const time = check(proto({ time: { mode: 'timed', maxTme: 3 } }));
    expect(time.error!.message).toBe('protocol "ping": time: unknown key "maxTme"; did you mean "maxTime"?');
    const asyncTime = check(proto({ time: { mode: 'async', maxTme: 3 } }));
    expect(asyncTime.error!.message).toBe('protocol "ping": time: unknown key "maxTme"; did you mean "maxTime"?');
    const net = check(proto({ network: { maxInflight: 2 } }));
    expect(net.error!.message).toBe('protocol "ping": network: unknown key "maxInflight"; did you mean "maxInFlight"?');
  });

  it('accepts every key the definitions document, and the liveness keys to come', () => {
    for (const keys of [SPEC_KEYS, PACKED_KEYS, PACKED_BEHAVIOUR_KEYS, PROTOCOL_KEYS]) {
      expect(keys).toEqual(expect.arrayContaining(['eventually', 'leadsTo', 'alwaysEventually', 'eventuallyAlways', 'fairness']));
    }
    expect(ROLE_KEYS).toEqual(['clock', 'durable', 'init', 'recover', 'on', 'timers', 'steps']);
    expect(TIME_KEYS).toContain('maxDelay');
    expect(NETWORK_KEYS).toEqual(['fifo', 'maxInFlight']);
    expect(check(spec({ ...base, expect: { violates: 'Below3' }, constraint: () => true, done: () => false })).verdict).toBe('violation');
  });

  it('the nearest name: typos, plurals, case', () => {
    expect(nearestName('invarients', SPEC_KEYS)).toBe('invariants');
    expect(nearestName('action', SPEC_KEYS)).toBe('actions');
    expect(nearestName('Sometimes', SPEC_KEYS)).toBe('sometimes');
    expect(nearestName('actionProperty', SPEC_KEYS)).toBe('actionProperties');
    expect(nearestName('q', SPEC_KEYS)).toBeUndefined();
  });

  it('from the CLI with --no-typecheck: exit 2 and the message, not "every property holds"', () => {
    const r = faultline(['check', 'test/fixtures/bad/typo-key.ts', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('✗ spec error: spec "typo-key": unknown key "invariant"; did you mean "invariants"?');
    expect(r.stdout).not.toContain('holds');
  });
});

describe('an expectation must name a property of the spec', () => {
  it('{ violates: NoSuchProp } is a spec error, with the nearest property', () => {
    const r = check(spec({ ...base, expect: { violates: 'Below5' } }));
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toBe('spec "counter": expect: { violates: "Below5" } names no property of the spec; did you mean "Below3"?');
    expect(r.expectation).toBeUndefined();
  });

  it("'deadlock', sometimes and action properties are properties; --ignore-expect skips the check", () => {
    expect(check(spec({ ...base, expect: { violates: 'deadlock' } })).verdict).not.toBe('error');
    expect(check(spec({ ...base, sometimes: { Five: (s: S) => s.x === 5 }, expect: { violates: 'Five' } })).verdict).not.toBe('error');
    expect(check(spec({ ...base, actionProperties: { Up: () => true }, expect: { violates: 'Up' } })).verdict).not.toBe('error');
    expect(check(spec({ ...base, expect: { violates: 'Nope' } }), { ignoreExpect: true }).verdict).toBe('violation');
  });

  it('a malformed expectation says what it must be', () => {
    const r = check(spec({ ...base, expect: 'hold' as never }));
    expect(r.error!.message).toBe('spec "counter": expect must be \'holds\' or { violates: \'PropertyName\' }, got "hold"');
  });
});

describe('fault budgets on a core spec, symmetry sets', () => {
  it('faults on a spec() spec: an error (exit 2 from the CLI)', () => {
    const r = check(spec(base), { faults: { drop: 1 } });
    expect(r.verdict).toBe('error');
    expect(r.error!.message).toBe(
      'fault budgets (--faults drop=1) apply to protocol() specs only; "counter" is a spec()/packed() spec, whose actions are all it does',
    );
    const cli = faultline(['check', 'specs/diehard.ts', '--faults', 'drop=1', '--no-typecheck']);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toContain('apply to protocol() specs only');
  });

  const sym = (sets: string[][]) => spec({ ...base, init: () => ({ x: 0 }), symmetry: () => sets });
  it('a value twice in a set, or in two sets, is a spec error', () => {
    expect(check(sym([['a', 'b', 'a']]), { symmetry: true }).error!.message).toBe('spec "counter": symmetry: set 1 lists "a" twice [a, b, a]');
    expect(check(sym([['a', 'b'], ['b', 'c']])).error!.message).toBe(
      'spec "counter": symmetry: "b" is in set 1 [a, b] and in set 2 [b, c]; a value is interchangeable within one set only',
    );
    expect(check(sym([['a', 'b'], ['c', 'd']]), { symmetry: true }).verdict).toBe('violation');
  });
});

describe('the library API checks its arguments', () => {
  const s = spec(base);
  const usage = (f: () => unknown) => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(UsageError);
    return e.message;
  };
  it.each([
    [{ maxDepth: NaN }, 'check(spec, options): maxDepth must be a non-negative integer, got number NaN'],
    [{ workers: 0 }, 'check(spec, options): workers must be an integer ≥ 1, got number 0'],
    [{ strategy: 'bogus' }, "check(spec, options): strategy must be 'bfs' or 'dfs', got the string \"bogus\""],
    [{ maxDepht: 3 }, 'check(spec, options): unknown option "maxDepht"; did you mean "maxDepth"?'],
    [{ faults: { drop: -1 } }, 'check(spec, options): faults must be an object of fault name → non-negative integer, got an object'],
    [{ params: 'n=3' }, 'check(spec, options): params must be an object of name → value, got the string "n=3"'],
    ['fast', 'check(spec, options): options must be an object such as { maxDepth: 10 }, got the string "fast"'],
  ])('check(spec, %j)', (options, message) => {
    expect(usage(() => check(s, options as never))).toBe(message);
  });

  it('check(file name), check(42), simulate and checkAsync', async () => {
    expect(usage(() => check('file.ts' as never))).toBe(
      'check(spec, options) needs a spec (the value spec({...}), packed({...}) or protocol({...}) returns), got the string "file.ts"; to check a spec file, import its default export, or run `faultline check file.ts`',
    );
    expect(usage(() => check(42 as never))).toMatch(/needs a spec .*, got number 42$/);
    expect(usage(() => simulate(s, { walks: -1 }))).toBe('simulate(spec, options): walks must be a non-negative integer, got number -1');
    expect(usage(() => simulate(s, { maxDepth: 3 } as never))).toBe('simulate(spec, options): unknown option "maxDepth"; did you mean "depth"?');
    await expect(checkAsync(s, { workers: 1.5 })).rejects.toThrow('checkAsync(spec, options): workers must be an integer ≥ 1, got number 1.5');
  });

  it('undefined options, as the CLI passes them, are fine', () => {
    expect(check(s, { maxDepth: undefined, faults: undefined, onProgress: undefined }).verdict).toBe('violation');
  });
});
