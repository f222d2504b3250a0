// The protocol layer under faultline's own explorer: the same counts and the same
// shortest traces as the independent BFS of oracle.ts, coverage per handler and
// fault, and the benchmark model run small.
import { describe, expect, test } from 'vitest';
import { check } from '../../src/check/check.js';
import type { Spec } from '../../src/core/types.js';
import leaseSpec from '../../specs/protocol-examples/lease.js';
import benchSpec from '../../bench/models/protocol-bench.js';
import { explore } from './oracle.js';
import { protocol, type ProtocolDefinition } from '../../src/protocol/index.js';

// The examples import 'faultline' (typed by the build; the source at run time).
const lease = leaseSpec as unknown as Spec<any>;
const bench = benchSpec as unknown as Spec<any>;

describe('check() agrees with the independent enumerator', () => {
  test('lease: holds without a pause, the same counts', () => {
    const r = check(lease, {});
    const o = explore(lease);
    expect(r.verdict).toBe('ok');
    expect(r.stats.distinctStates).toBe(o.distinct);
    expect(r.stats.generatedStates).toBe(o.generated);
    expect(r.stats.distinctStates).toBe(1351);
  });

  test('lease with --faults pause=1: violated, shortest trace with one pause', () => {
    const r = check(lease, { faults: { pause: 1 } });
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('writeWithinLease');
    const trace = r.violation!.trace.slice(1).map((s) => s.action);
    expect(trace).toEqual(explore(lease, { faults: { pause: 1 } }).violations.get('writeWithinLease')!.trace);
    expect(trace.filter((l) => l!.startsWith('pause'))).toEqual(['pause client1']);
  });

  test('coverage: per handler and per fault, with the fault flag', () => {
    const r = check(lease, { faults: { pause: 1 } });
    const byName = new Map(r.coverage.map((c) => [c.action, c]));
    expect([...byName.keys()]).toEqual([
      'deliver Acquire@lock',
      'deliver Granted@client',
      'deliver Denied@client',
      'fire retry@client',
      'step check@client',
      'step write@client',
      'deliver Write@storage',
      'resume',
      'tick',
      'pause',
    ]);
    expect(byName.get('pause')!.fault).toBe(true);
    expect(byName.get('tick')!.fault).toBe(false);
  });

  test('the benchmark model, small: same distinct and generated counts, holds', () => {
    for (const params of [
      { values: 1, maxInFlight: 2 },
      { values: 2, maxInFlight: 2, crashes: 0 },
    ] as Record<string, number>[]) {
      const r = check(bench, { params });
      const o = explore(bench, { params });
      expect(r.verdict).toBe('ok');
      expect(r.stats.distinctStates).toBe(o.distinct);
      expect(r.stats.generatedStates).toBe(o.generated);
      expect(r.coverage.filter((c) => c.count === 0)).toEqual([]); // every handler and fault fired
    }
  });

  test('the benchmark model breaks when a restarted follower ignores its durable log', () => {
    const def = (benchSpec as unknown as { definition: ProtocolDefinition<any, any, any, any> }).definition;
    const forgetful = protocol<any, any, any, any>({
      ...def,
      name: 'forgetful',
      roles: (role) => {
        const r = def.roles(role) as Record<string, object>;
        return { ...r, follower: { ...r.follower, recover: () => ({ len: 0 }) } };
      },
    });
    const r = check(forgetful, { params: { values: 1, maxInFlight: 2 } });
    expect(r.verdict).toBe('violation');
    expect(r.violation!.property).toBe('committedIsStored');
    const faults = r.violation!.trace.map((s) => s.action ?? '').filter((l) => /^(crash|drop) /.test(l));
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(/^crash follower[12]$/);
    // the original recovers from its durable log and holds (test above)
  });
});
