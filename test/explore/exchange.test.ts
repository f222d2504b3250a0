// The exchange between shards (src/explore/parallel/exchange.ts) with protocol worlds:
// two compiled copies of one spec stand for two threads, each numbering its parts its
// own way. A world sent as words must decode to the same world on the other side, and
// an envelope must cross once per receiver, however many in-flight lists name it.
import { describe, expect, test } from 'vitest';
import type { TransitionSystem } from '../../src/core/types.js';
import { Inbox, Outbox, type Batch } from '../../src/explore/parallel/exchange.js';
import { messages, protocol } from '../../src/protocol/index.js';
import type { World } from '../../src/protocol/world.js';
import { fingerprint } from '../../src/values/fingerprint.js';
import type { StateCodec } from '../../src/values/state-codec.js';

type Coded = TransitionSystem<World> & { codec(): StateCodec<World> };

// A client that sends three kinds of request, each retried by a timer: in-flight lists
// of many orders and sizes, over few envelopes.
const spec = protocol({
  name: 'exchange',
  params: {},
  messages: messages<{ Req: { n: number }; Ack: { n: number } }>(),
  nodes: { client: 1, server: 1 },
  roles: (role) => ({
    client: role({
      init: (ctx) => {
        ctx.setTimer('retry');
        return { sent: 0, acked: 0 };
      },
      steps: {
        ask: (s, ctx) => {
          if (s.sent >= 3) return undefined;
          ctx.send('server', { type: 'Req', n: s.sent });
          return { ...s, sent: s.sent + 1 };
        },
      },
      timers: {
        retry: (s, ctx) => {
          if (s.sent > s.acked) ctx.send('server', { type: 'Req', n: s.acked });
          ctx.setTimer('retry');
          return s;
        },
      },
      on: { Ack: (s, m) => (m.n === s.acked ? { ...s, acked: s.acked + 1 } : s) },
    }),
    server: role({
      init: () => ({ seen: 0 }),
      on: {
        Req: (s, m, ctx) => {
          ctx.send('client', { type: 'Ack', n: m.n });
          return { seen: Math.max(s.seen, m.n + 1) };
        },
      },
    }),
  }),
  faults: { drop: 1 },
  constraint: (w) => w.inFlight.length <= 3,
});

/** Every world within the constraint, breadth first, up to `limit`. */
function worlds(system: Coded, limit: number): World[] {
  const seen = new Set<string>();
  const out: World[] = [];
  const queue = [...system.initialStates()];
  while (queue.length > 0 && out.length < limit) {
    const w = queue.shift()!;
    const key = fingerprint(w);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
    if (system.constraint?.(w) !== false) system.successors(w, (next) => void queue.push(next));
  }
  return out;
}

/** Worlds of `from`'s thread, sent to `to`'s in `batches` batches; what arrived, decoded there, and the batches. */
function send(from: StateCodec<World>, to: StateCodec<World>, sent: World[], batches: number): { got: World[]; crossed: Batch[] } {
  const box = new Outbox(from.words, from as StateCodec<unknown>);
  const inbox = new Inbox(to.words, to as StateCodec<unknown>);
  const words = new Int32Array(from.words);
  const got: World[] = [];
  const crossed: Batch[] = [];
  const per = Math.ceil(sent.length / batches);
  sent.forEach((w, i) => {
    from.encode(w, words, 0);
    box.push(0, 0, i, 0, words, 0);
    if ((i + 1) % per === 0 || i === sent.length - 1) {
      const batch = structuredClone(box.take(i === sent.length - 1));
      crossed.push(batch);
      inbox.receive(batch, (_a, _b, _parent, _ordinal, local) => void got.push(to.decode(local, 0)));
    }
  });
  return { got, crossed };
}

type Part = [table: number, id: number, data: unknown];

/** A batch's parts, in the order they crossed. */
function partsOf(batch: Batch): Part[] {
  return Array.from({ length: batch.parts.length / 3 }, (_, i) => batch.parts.slice(3 * i, 3 * i + 3) as Part);
}

/** The tables that batches' parts are in and that no word of a state names (the envelopes'). */
function subTables(codec: StateCodec<World>, batches: Batch[]): number[] {
  const named = new Set(Array.from({ length: codec.words }, (_, k) => codec.tableOf!(new Int32Array(codec.words), 0, k)));
  return [...new Set(batches.flatMap(partsOf).map(([t]) => t))].filter((t) => !named.has(t));
}

describe('the exchange of protocol worlds between threads', () => {
  // Worlds are made of their own compiled protocol's envelopes: the sender's.
  const system = spec.compile({}) as Coded;
  const sender = system.codec();
  const receiver = (spec.compile({}) as Coded).codec();
  const sent = worlds(system, 400);

  test('every world arrives as the same value, in order, across batches', () => {
    expect(sent.length).toBe(400);
    expect(new Set(sent.map((w) => w.inFlight.length)).size).toBeGreaterThan(2); // lists of several sizes cross
    const { got } = send(sender, receiver, sent, 7);
    expect(got.map((w) => fingerprint(w))).toEqual(sent.map((w) => fingerprint(w)));
  });

  test('an envelope crosses once per receiver, and in-flight lists cross as their envelopes\' numbers', () => {
    const { crossed } = send(system.codec(), (spec.compile({}) as Coded).codec(), sent, 7);
    const parts = crossed.flatMap(partsOf);
    const subs = subTables(sender, crossed);
    expect(subs.length).toBe(1);
    const envelopeTable = subs[0];
    const envelopes = parts.filter(([t]) => t === envelopeTable).map(([, id]) => id);
    const LISTS = 2; // tables: client, server, then in-flight lists
    const lists = parts.filter(([t]) => t === LISTS);
    expect(envelopes.length).toBeGreaterThan(3);
    expect(new Set(envelopes).size).toBe(envelopes.length);
    expect(lists.length).toBeGreaterThan(envelopes.length);
    for (const [, , data] of lists) {
      expect(Array.isArray(data)).toBe(true);
      for (const n of data as unknown[]) expect(envelopes).toContain(n);
    }
    // Some list sent after the first batch names an envelope sent in an earlier one.
    const firstBatchEnvelopes = partsOf(crossed[0]!).filter(([t]) => t === envelopeTable).map(([, id]) => id);
    const later = crossed.slice(1).flatMap(partsOf).filter(([t]) => t === LISTS).map(([, , data]) => data as number[]);
    expect(later.some((l) => l.some((n) => firstBatchEnvelopes.includes(n)))).toBe(true);
  });

  test('a checkpoint keeps the self-contained form: a list exported alone rebuilds in a fresh codec', () => {
    const fresh = (spec.compile({}) as Coded).codec();
    const withList = sent.find((w) => w.inFlight.length >= 2)!;
    const words = new Int32Array(sender.words);
    sender.encode(withList, words, 0);
    const parts = words.map((id, k) => fresh.importPart!(sender.tableOf!(words, 0, k), structuredClone(sender.exportPart!(sender.tableOf!(words, 0, k), id))));
    expect(fingerprint(fresh.decode(parts, 0))).toBe(fingerprint(withList));
  });

  test('a list whose envelope never arrived is an internal error, not a wrong world', () => {
    const box = new Outbox(sender.words, sender as StateCodec<unknown>);
    const withList = sent.find((w) => w.inFlight.length >= 1)!;
    const words = new Int32Array(sender.words);
    sender.encode(withList, words, 0);
    box.push(0, 0, 0, 0, words, 0);
    const batch = box.take(true);
    const [envelopeTable, ...others] = subTables(sender, [batch]);
    expect(envelopeTable).toBeDefined();
    expect(others).toEqual([]);
    const parts = partsOf(batch).filter(([t]) => t !== envelopeTable).flat();
    const inbox = new Inbox(receiver.words, receiver as StateCodec<unknown>);
    expect(() => inbox.receive({ ...batch, parts }, () => {})).toThrow(/arrived before its definition/);
  });
});
