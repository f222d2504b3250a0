import { describe, expect, test } from 'vitest';
import { InFlightTable } from '../../src/protocol/in-flight-table.js';
import { Network, type Envelope, type InFlight } from '../../src/protocol/network.js';

function envelopes(net: Network, n: number): Envelope[] {
  return Array.from({ length: n }, (_, i) => net.intern('a', 0, 'b', 1, { type: 'M' }, `M{k:${i}}`, 0, null));
}

describe('in-flight lists as runs of envelope numbers', () => {
  test('a list comes back as the same envelopes in the same order, and equal lists share a number', () => {
    const net = new Network(false, undefined, 2);
    const [x, y, z] = envelopes(net, 3) as [Envelope, Envelope, Envelope];
    const t = new InFlightTable(net);
    const lists: InFlight[] = [net.empty, [x], [x, x], [x, y], [y, x], [x, y, z], [z]];
    const ids = lists.map((l) => t.id(l));
    expect(new Set(ids).size).toBe(lists.length);
    lists.forEach((l, i) => {
      expect(t.list(ids[i]!)).toEqual(l);
      expect(Object.isFrozen(t.list(ids[i]!))).toBe(true);
      expect(t.id([...l])).toBe(ids[i]); // built apart: the same number
    });
    expect(t.list(ids[0]!)).toBe(net.empty);
    expect(t.size).toBe(lists.length);
  });

  test('numbers hold as the table grows and its pool widens past 255 and 65,535 envelopes', () => {
    const net = new Network(false, undefined, 2);
    const envs = envelopes(net, 70_000);
    const t = new InFlightTable(net);
    const made: InFlight[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const l = [envs[i % 200]!, envs[(i * 7) % 300]!, envs[(i * 31) % 70_000]!];
      made.push(l);
      ids.push(t.id(l));
      if (i === 1000) expect(t.bytes).toBeGreaterThan(1000 * 3); // a byte a message at least
    }
    expect(new Set(ids).size).toBe(3000);
    for (let i = 0; i < 3000; i += 7) {
      expect(t.id(made[i]!)).toBe(ids[i]);
      expect(t.list(ids[i]!)).toEqual(made[i]);
    }
    // Another table (another thread's) numbers them otherwise, but hashes them alike.
    const other = new InFlightTable(net);
    for (let i = 2999; i >= 0; i -= 13) {
      const id = other.id(made[i]!);
      expect([other.laneA(id), other.laneB(id)]).toEqual([t.laneA(ids[i]!), t.laneB(ids[i]!)]);
    }
  });
});
