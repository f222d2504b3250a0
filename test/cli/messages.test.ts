// Messages that help: a spec that does not load is one block; a fired timer is never
// "(no change)"; a wrong param, a property's odd return value, a file that is not a
// file and a small memory bound each say what they are.
import { describe, expect, it } from 'vitest';
import { check, messages, protocol, renderResult, spec } from '../../src/index.js';
import { faultline } from './run.js';

describe('a spec that fails to load prints one block', () => {
  it('the error and the file; no params line, no statistics of nothing', () => {
    const r = faultline(['check', 'test/fixtures/bad/typo-key.ts', '--no-typecheck']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      'typo-key (test/fixtures/bad/typo-key.ts)\n✗ spec error: spec "typo-key": unknown key "invariant"; did you mean "invariants"?\n  at file test/fixtures/bad/typo-key.ts\n',
    );
  });

  it('a file that is not a file says what it is', () => {
    const r = faultline(['check', '/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('/dev/null\n✗ spec error: not a spec file: /dev/null is not a regular file (a device, socket or pipe)\n  at file /dev/null\n');
  });
});

describe('a timer that fires and is not re-armed', () => {
  it('shows as fired (disarmed), not (no change)', () => {
    const p = protocol({
      name: 'timeout',
      messages: messages<{ Ping: object }>(),
      nodes: { a: 1 },
      roles: (role) => ({
        a: role({
          init: (ctx) => {
            ctx.setTimer('election');
            return { term: 0 };
          },
          timers: { election: (s) => s },
        }),
      }),
      invariants: { armed: (w) => w.node('a').timers.election !== undefined || 'the election timer is gone' },
    });
    const text = renderResult(check(p), { color: false });
    expect(text).toContain('a timer election fired (disarmed)');
    expect(text).not.toContain('(no change)');
  });
});

describe('params and property results name what they got', () => {
  const base = { name: 'c', init: () => 0, actions: { A: () => undefined }, invariants: { ok: () => true } };
  it('-p goal=2.5 on an integer param says "an integer"; NaN is NaN, not null', () => {
    const s = spec({ ...base, params: { goal: 4 } });
    expect(check(s, { params: { goal: '2.5' } }).error!.message).toBe('param goal of spec "c" must be an integer (default 4), got "2.5"');
    expect(check(s, { params: { goal: NaN } }).error!.message).toBe('param goal of spec "c" must be an integer (default 4), got NaN');
    expect(check(spec({ ...base, params: { n: NaN } })).error!.message).toBe(
      'spec "c": param n has the default NaN; a param is a finite number, a boolean, a string or a list',
    );
    expect(check(spec({ ...base, params: { ratio: 0.5 } }), { params: { ratio: '0.25' } }).verdict).toBe('ok');
  });

  it.each([
    [NaN, 'invariant ok returned NaN; return true when it holds, or false / a string explaining the violation'],
    [Promise.resolve(true), 'invariant ok returned a Promise (properties must be synchronous: no async, no await); return true when it holds, or false / a string explaining the violation'],
    [undefined, 'invariant ok returned undefined; return true when it holds, or false / a string explaining the violation'],
  ])('an invariant returning %s', (value, message) => {
    expect(check(spec({ ...base, invariants: { ok: () => value as never } })).error!.message).toBe(message);
  });

  it('an empty string is a violation that says it explains nothing', () => {
    const r = check(spec({ ...base, invariants: { ok: () => '' } }));
    expect(r.verdict).toBe('violation');
    expect(r.violation!.message).toBe('ok is violated (it returned an empty string, not an explanation)');
  });

  it('a small memory bound is shown in KiB, not as 0 MiB', () => {
    const r = faultline(['check', 'specs/two-phase-commit.fixed.ts', '--max-memory', '1k', '--no-typecheck']);
    expect(r.stdout).toContain('stopped at the memory bound (--max-memory 1 KiB)');
  });
});
