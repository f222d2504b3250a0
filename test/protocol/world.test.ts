// world.ts: the compiled node-record replacer gives what a spread would; the compiled
// reader and maker the codec uses give what keyed loads and stores would.
import { describe, expect, test } from 'vitest';
import { nodeAccess, nodeReplacer, type NodeRec } from '../../src/protocol/world.js';

describe('nodeReplacer', () => {
  const rec = (state: unknown): NodeRec => ({ status: 'up', state });

  test('replaces node i, shares the others, keeps the node order', () => {
    const ids = ['leader1', 'follower"1', 'ü-2'];
    const nodes = Object.fromEntries(ids.map((id, i) => [id, rec(i)]));
    const replace = nodeReplacer(ids);
    for (let i = 0; i < ids.length; i++) {
      const fresh = rec('new');
      const out = replace(nodes, i, fresh);
      expect(Object.keys(out)).toEqual(ids);
      expect(out).toEqual({ ...nodes, [ids[i]!]: fresh });
      ids.forEach((id, j) => expect(out[id]).toBe(j === i ? fresh : nodes[id]));
    }
  });

  test('a node id that is not a valid literal key as written still works', () => {
    const ids = ['__proto__', 'b'];
    const nodes = Object.defineProperty({ b: rec(1) } as Record<string, NodeRec>, '__proto__', { value: rec(0), enumerable: true });
    const out = nodeReplacer(ids)(nodes, 0, rec('x'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'b']);
  });
});

describe('nodeAccess', () => {
  const rec = (state: unknown): NodeRec => ({ status: 'up', state });

  test('reads the records in node order, and makes a nodes record of them in that order', () => {
    const ids = ['leader1', 'follower"1', 'ü-2'];
    const nodes = Object.fromEntries(ids.map((id, i) => [id, rec(i)]));
    const { read, make } = nodeAccess(ids);
    const into: NodeRec[] = [];
    read(nodes, into);
    expect(into).toEqual(ids.map((id) => nodes[id]));
    into.forEach((r, i) => expect(r).toBe(nodes[ids[i]!]));
    const made = make(into);
    expect(Object.keys(made)).toEqual(ids);
    ids.forEach((id) => expect(made[id]).toBe(nodes[id]));
  });

  test("a node named '__proto__' is an own property, not the prototype", () => {
    const ids = ['__proto__', 'b'];
    const recs = [rec(0), rec(1)];
    const { read, make } = nodeAccess(ids);
    const made = make(recs);
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(Object.keys(made)).toEqual(['__proto__', 'b']);
    const into: NodeRec[] = [];
    read(made, into);
    expect(into[0]).toBe(recs[0]);
    expect(into[1]).toBe(recs[1]);
  });
});
