// Bad specs give clear errors that name the action and show the trace to the
// state where it happened; they never give a verdict.
import { Map as IMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { check, spec } from '../../src/index.js';

/** A counter 0..3; `broken` is the action under test, enabled at n === 2. */
function counter<S>(broken: (s: { n: number }) => S) {
  return spec({
    name: 'counter',
    init: () => ({ n: 0 }),
    actions: {
      Inc: (s: { n: number }) => (s.n < 3 ? { n: s.n + 1 } : undefined),
      Broken: (s: { n: number }) => (s.n === 2 ? (broken(s) as unknown as { n: number }) : undefined),
    },
  });
}

function errorOf(r: ReturnType<typeof check>) {
  expect(r.verdict).toBe('error');
  return r.error!;
}

describe('spec errors', () => {
  it('an action that throws: names it and gives the trace to the state', () => {
    const e = errorOf(check(counter(() => { throw new Error('boom'); })));
    expect(e.message).toBe('action Broken threw: boom');
    expect(e.handler).toBe('Broken');
    expect(e.trace!.map((s) => s.state)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });

  it('a function inside a state: names the action and the path', () => {
    const e = errorOf(check(counter((s) => ({ n: s.n, f: () => 1 }))));
    expect(e.message).toContain('action Broken produced a value that is not a state value: state.f is a function');
    expect(e.trace!.at(-1)!.action).toBe('Broken');
  });

  it('a class instance deep inside an Immutable Map: the path says where', () => {
    class Point { constructor(readonly x: number) {} }
    const e = errorOf(check(counter(() => ({ n: 9, m: IMap({ a: [1, new Point(1)] }) }))));
    expect(e.message).toContain('state.m.get("a")[1] is an instance of class Point');
  });

  it('undefined and NaN inside a state', () => {
    expect(errorOf(check(counter(() => ({ n: undefined })))).message).toContain('state.n is undefined');
    expect(errorOf(check(counter(() => ({ n: NaN })))).message).toContain('state.n is NaN');
  });

  it('a cycle', () => {
    const e = errorOf(check(counter(() => { const o: Record<string, unknown> = { n: 1 }; o.self = o; return o; })));
    expect(e.message).toContain('state.self is a reference back to state (a cycle)');
  });

  it('an action that mutates the state it was given', () => {
    const e = errorOf(check(counter((s) => { (s as { n: number }).n = 7; return s; })));
    expect(e.message).toMatch(/^action Broken mutated the state it was given/);
    expect(e.handler).toBe('Broken');
    expect(e.trace!).toHaveLength(3);
  });

  it('a nondeterministic action (Math.random)', () => {
    const s = spec({
      name: 'random',
      init: () => ({ n: 0 }),
      actions: { Roll: (st: { n: number }) => (st.n < 50 ? { n: st.n + 1 + Math.floor(Math.random() * 1000) * 100 } : undefined) },
    });
    const e = errorOf(check(s, { recheckRate: 1 }));
    expect(e.message).toMatch(/^action Roll is nondeterministic/);
    expect(e.handler).toBe('Roll');
  });

  it('an invariant that throws, and one that returns neither boolean nor string', () => {
    const throws = spec({ name: 't', init: () => ({ n: 0 }), actions: { Inc: (s: { n: number }) => (s.n < 2 ? { n: s.n + 1 } : undefined) }, invariants: { Bad: (s) => { if (s.n === 2) throw new Error('no'); return true; } } });
    const e = errorOf(check(throws));
    expect(e.message).toBe('invariant Bad threw: no');
    expect(e.trace!.map((x) => x.action)).toEqual([null, 'Inc', 'Inc']);
    const undef = spec({ name: 'u', init: () => ({ n: 0 }), actions: {}, invariants: { Nothing: () => undefined as unknown as boolean } });
    expect(errorOf(check(undef)).message).toMatch(/invariant Nothing returned undefined/);
  });

  it('init that returns nothing', () => {
    const s = spec({ name: 'i', init: () => [] as { n: number }[], actions: {} });
    expect(errorOf(check(s)).message).toBe('init returned no initial state');
  });

  it('unknown param and a value of the wrong type', () => {
    const s = spec({ name: 'p', params: { n: 3, who: 'a', list: ['x'] }, init: () => ({ n: 0 }), actions: {} });
    expect(errorOf(check(s, { params: { m: 1 } })).message).toBe('unknown param "m" for spec "p"; its params are: n, who, list');
    expect(errorOf(check(s, { params: { n: 'three' } })).message).toContain('param n of spec "p" must be an integer');
    expect(errorOf(check(s, { params: { n: '2.5' } })).message).toContain('must be an integer');
    const ok = check(s, { params: { n: '4', who: 'b', list: 'x,y' } });
    expect(ok.params).toEqual({ n: 4, who: 'b', list: ['x', 'y'] });
  });

  it('spec() rejects a malformed definition at once', () => {
    expect(() => spec({ name: '', init: () => 1, actions: {} })).toThrow('spec() needs a name');
    expect(() => spec({ name: 'x', init: () => 1, actions: { A: 3 as never } })).toThrow('action A must be a function or forEach(...)');
  });
});
