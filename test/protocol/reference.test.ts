// faultline's protocol layer against an independent reference semantics
// (test/protocol/reference/: an interpreter of docs/protocol.md's tables with its
// own BFS, sharing no code with src/protocol). Every protocol spec of the catalogue,
// at small params, and 112 small random protocols under every fault alone and every
// pair of faults: whole-space counts and successors per action, verdicts, and
// faultline's shortest traces replayed in the reference.
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { check, protocol, type Spec } from '../../src/index.js';
import { crossCheck, type CrossCheckOptions } from './reference/crosscheck.js';
import { FAULT_SETS, randomProtocol } from './reference/random.js';

const specsDir = new URL('../../specs/', import.meta.url);

// Small params and budgets per spec: each runs in a few seconds in the reference.
// A protocol spec added to specs/ must get a line here (the first test says so).
const CATALOGUE: Record<string, CrossCheckOptions[]> = {
  'protocol-examples/echo.ts': [{}, { faults: { drop: 2, crash: 1 } }],
  'protocol-examples/lease.ts': [{}, { faults: { pause: 1 }, params: { clients: 1 } }],
  'clock-jump.buggy.ts': [{}],
  'clock-jump.fixed.ts': [{}, { faults: { clockJump: 2 }, params: { maxJump: 1, maxSkew: 1, maxTime: 3 } }],
  'failure-detector.buggy.ts': [{}],
  // a crash while paused, and a crash of a node with durable state
  'failure-detector.fixed.ts': [{}, { faults: { crash: 1, delay: 0, pause: 1 }, params: { maxTime: 2 } }],
  'lease-pause.buggy.ts': [{}],
  'lease-pause.fixed.ts': [{}],
  'lww-skew.buggy.ts': [{}],
  'lww-skew.fixed.ts': [{}],
  'retry-payment.buggy.ts': [{}],
  'retry-payment.fixed.ts': [{}, { faults: { drop: 0, delay: 0, duplicate: 1, crash: 1 } }],
  'split-brain.buggy.ts': [{ params: { maxTime: 3 } }],
  'split-brain.fixed.ts': [{ params: { maxTime: 3 } }],
  'two-phase-commit.buggy.ts': [{ params: { maxInFlight: 2 } }],
  'two-phase-commit.fixed.ts': [{ params: { maxInFlight: 2 } }],
  'paxos.buggy.ts': [{ faults: { drop: 0, duplicate: 0 } }],
  'paxos.fixed.ts': [{ faults: { drop: 0, duplicate: 0 } }],
  // The liveness pairs: their safety semantics only (the reference decides no liveness property).
  'convergence.buggy.ts': [{}],
  'convergence.fixed.ts': [{}],
  'crash-detection.buggy.ts': [{}],
  'crash-detection.fixed.ts': [{}],
  'lock-holder-crash.buggy.ts': [{}],
  'lock-holder-crash.fixed.ts': [{}],
  'lossy-request.buggy.ts': [{}],
  'lossy-request.fixed.ts': [{ faults: { drop: 2 }, params: { attempts: 3 } }],
  'split-vote.buggy.ts': [{}],
  'split-vote.fixed.ts': [{}],
};

async function protocolSpecs(): Promise<Map<string, Spec<any>>> {
  const files = [
    ...readdirSync(specsDir).filter((f) => f.endsWith('.ts')),
    ...readdirSync(new URL('protocol-examples/', specsDir)).map((f) => `protocol-examples/${f}`),
  ];
  const out = new Map<string, Spec<any>>();
  for (const f of files.sort()) {
    const spec = (await import(new URL(f, specsDir).href)).default as Spec<any> & { kind?: string };
    if (spec.kind === 'protocol') out.set(f, spec);
  }
  return out;
}

describe('the catalogue against the reference semantics', async () => {
  const specs = await protocolSpecs();

  test('every protocol spec in specs/ is cross-checked', () => {
    expect([...specs.keys()].sort()).toEqual(Object.keys(CATALOGUE).sort());
  });

  for (const [file, runs] of Object.entries(CATALOGUE)) {
    for (const opts of runs) {
      test(`${file} ${JSON.stringify(opts)}`, () => {
        const result = crossCheck(specs.get(file)!, opts);
        expect(result.problems).toEqual([]);
        // a buggy spec still shows its bug in these small spaces (a liveness bug is not the reference's)
        const liveness = (specs.get(file)!.describe().liveness ?? []).length > 0;
        if (file.includes('.buggy.') && !liveness) expect(result.verdict).toBe('violation');
      });
    }
  }
});

describe('random small protocols against the reference semantics', () => {
  const PER_SET = 3;
  // Protocols whose whole space exceeds this are skipped for the next seed (they
  // would only make the reference slow; the semantics is the same at any size).
  const MAX_STATES = 1500;
  const tally = { checked: 0, violations: 0, withFaultsInTrace: 0, skipped: 0 };

  for (const [k, faults] of FAULT_SETS.entries()) {
    test(`${faults.join(' + ')}`, () => {
      let checked = 0;
      for (let seed = 100 * k; checked < PER_SET && seed < 100 * k + 40; seed++) {
        const def = randomProtocol(seed, faults);
        const size = check(protocol({ ...def, invariants: undefined, actionProperties: undefined, sometimes: undefined } as never) as Spec<any>, {
          maxStates: MAX_STATES,
        });
        if (size.verdict !== 'ok') {
          tally.skipped++;
          continue;
        }
        const result = crossCheck(protocol(def as never) as Spec<any>, {});
        expect(result.problems, `${def.name as string}: ${JSON.stringify({ time: def.time, network: def.network, faults: def.faults })}`).toEqual([]);
        checked++;
        tally.checked++;
        if (result.verdict === 'violation') tally.violations++;
        if ((result.faults ?? 0) > 0) tally.withFaultsInTrace++;
      }
      expect(checked).toBe(PER_SET);
    });
  }

  // (measured before FIFO + delay protocols were included, when faultline still missed states there:
  // 84 checked, 54 violated, 22 shortest traces with a fault, 69 seeds skipped as too big)
  test('the random protocols are not vacuous: some hold, some are violated, some need a fault', () => {
    expect(tally.checked).toBe(PER_SET * FAULT_SETS.length);
    expect(tally.violations).toBeGreaterThan(10);
    expect(tally.checked - tally.violations).toBeGreaterThan(10);
    expect(tally.withFaultsInTrace).toBeGreaterThan(10);
  });
});

// FIFO channels holding equal copies apart ([P, Q, P]): dropping or duplicating the
// first P and the last P are different worlds (the random protocols above never
// hold three copies in one channel).
describe('FIFO: equal copies at different places in one channel', () => {
  const pqp = (faults: Record<string, number>) => ({
    name: 'fifo-pqp',
    messages: {},
    roles: (role: (d: object) => object) => ({
      a: role({
        init: (ctx: { send(to: string, m: object): void }) => {
          for (const type of ['P', 'Q', 'P']) ctx.send('b', { type });
          return {};
        },
      }),
      b: role({ init: () => ({ got: '' }), on: { P: (s: { got: string }) => ({ got: `${s.got}P` }), Q: (s: { got: string }) => ({ got: `${s.got}Q` }) } }),
    }),
    network: { fifo: true },
    faults,
    invariants: { notQP: (w: { node(id: string): { state: { got: string } } }) => w.node('b').state.got !== 'QP' || 'b got Q then P' },
  });
  test('drop: the first P or the last', () => {
    const result = crossCheck(protocol(pqp({ drop: 1 }) as never) as Spec<any>, {});
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ verdict: 'violation', length: 3, faults: 1 }); // drop the first P
  });
  test('duplicate: each copy right behind its original', () => {
    const result = crossCheck(protocol(pqp({ duplicate: 1 }) as never) as Spec<any>, {});
    expect(result.problems).toEqual([]);
    expect(result.verdict).toBe('ok');
  });
});

// A bug the reference found (faultline counts fewer states than docs/protocol.md
// allows). With `network: { fifo: true }`, two equal copies in one channel are
// different places in a queue: delaying the first gives [delayed, due], delaying
// the second [due, delayed] — a different world (the due copy may be delivered and
// time move on while the delayed one stays). faultline offers `delay` once per run
// of equal neighbours (network.distinct(), right for drop and duplicate, not for
// delay), so the second world and everything after it are never explored. This
// test passes while the bug is there; when it is fixed, drop `.fails` and the
// KNOWN BUG exclusion above.
describe('known bug: FIFO delay of the second of two equal copies', () => {
  const fifoDelay = {
    name: 'fifo-delay',
    messages: {},
    roles: (role: (d: object) => object) => ({
      a: role({
        init: (ctx: { send(to: string, m: object): void }) => {
          ctx.send('b', { type: 'Ping' });
          ctx.send('b', { type: 'Ping' });
          return {};
        },
      }),
      b: role({ init: () => ({ got: 0 }), on: { Ping: (s: { got: number }) => ({ got: s.got + 1 }) } }),
    }),
    network: { fifo: true },
    time: { mode: 'timed', maxTime: 1, maxDelay: 1 },
    faults: { delay: 1 },
    invariants: {
      delayedCopyIsFirst: (w: { inFlight(): { deliverBy?: number | null }[] }) => {
        const c = w.inFlight();
        return !(c.length === 2 && c[0]!.deliverBy !== null && c[1]!.deliverBy === null) || 'a due copy is ahead of a delayed one';
      },
    },
  };

  // Found by this reference: faultline skipped delaying the second of two equal copies
  // in a FIFO channel (14 distinct / 22 generated against the reference's 16 / 27, and
  // an invariant that can fail reported as holding). Fixed in transitions.ts.
  test('faultline explores delaying either copy (same counts and verdict as the reference)', () => {
    const result = crossCheck(protocol(fifoDelay as never) as Spec<any>, {});
    expect(result.problems).toEqual([]);
  });
});
