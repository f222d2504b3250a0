// world.ts: the compiled node-record replacer gives what a spread would.
import { describe, expect, test } from 'vitest';
import { nodeReplacer, type NodeRec } from '../../src/protocol/world.js';

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
