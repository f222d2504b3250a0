// Replay of saved traces, and the ITF they are saved as.
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { counterexampleItf } from '../../src/trace/itf.js';
import { replayExitCode, replayItf, replaySteps } from '../../src/trace/replay.js';
import { parseItfTrace } from '../../src/values/itf.js';
import diehard from '../../specs/diehard.js';
import lease from '../../specs/protocol-examples/lease.js';

const leaseSpec = lease as unknown as Spec;
const faults = { pause: 1 };

function leaseItf(): Record<string, unknown> {
  const r = check(leaseSpec, { faults });
  const v = r.violation!;
  return counterexampleItf(v.trace, { spec: r.spec, params: r.params, faults, property: v.property, kind: v.kind, message: v.message, trace: 'shortest', source: 'specs/protocol-examples/lease.ts' });
}

/** The ITF document as it is written and read: JSON text. */
function roundTrip(doc: unknown): Record<string, any> {
  return JSON.parse(JSON.stringify(doc));
}

describe('ITF output', () => {
  it('has the structure of the Informal Trace Format', () => {
    const doc = roundTrip(leaseItf());
    expect(Object.keys(doc)).toEqual(['#meta', 'vars', 'states']);
    expect(doc['#meta']).toMatchObject({
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'specs/protocol-examples/lease.ts',
      spec: 'lease',
      params: { clients: 2, lease: 2 },
      faults: { pause: 1 },
      property: 'writeWithinLease',
      kind: 'invariant',
    });
    expect(doc.vars).toEqual([...doc.vars].sort());
    expect(doc.states).toHaveLength(9);
    doc.states.forEach((s: Record<string, any>, i: number) => {
      expect(Object.keys(s).filter((k) => k !== '#meta').sort()).toEqual(doc.vars);
      expect(s['#meta'].index).toBe(i);
      if (i === 0) expect(s['#meta'].action).toBeUndefined();
      else expect(typeof s['#meta'].action).toBe('string');
      // Only JSON values and ITF's own forms: no undefined, no functions.
      const walk = (x: unknown): void => {
        if (x === null || ['string', 'number', 'boolean'].includes(typeof x)) return;
        if (Array.isArray(x)) return x.forEach(walk);
        expect(typeof x).toBe('object');
        for (const [k, y] of Object.entries(x as object)) {
          if (k.startsWith('#')) expect(['#meta', '#map', '#set', '#tup', '#bigint']).toContain(k);
          walk(y);
        }
      };
      walk(s);
    });
    const parsed = parseItfTrace(JSON.stringify(doc));
    expect(parsed.actions[4]).toBe('pause client1');
  });

  it('refuses a state that is not a record of variables', () => {
    expect(() => counterexampleItf([{ action: null, state: 3 }], { spec: 's', params: {}, property: 'P', kind: 'invariant', message: 'm' })).toThrow(/records of variables/);
  });
});

describe('replay', () => {
  it('reproduces the violation (exit 1), with the spec own states', () => {
    const r = replayItf(leaseSpec, JSON.stringify(leaseItf()));
    expect(r.outcome).toBe('reproduced');
    expect(replayExitCode(r)).toBe(1);
    expect(r.violation).toMatchObject({ property: 'writeWithinLease', kind: 'invariant', step: 8 });
    expect(r.trace).toHaveLength(9);
    expect(r.faults).toEqual({ pause: 1 });
    expect(r.saved?.property).toBe('writeWithinLease');
  });

  it('passes (exit 0) when every step replays and no property fails', () => {
    const doc = roundTrip(leaseItf());
    doc.states = doc.states.slice(0, 8);
    const r = replayItf(leaseSpec, doc);
    expect(r.outcome).toBe('passes');
    expect(replayExitCode(r)).toBe(0);
  });

  it('diverges (exit 4) at a step that is not enabled, listing what is', () => {
    const doc = roundTrip(leaseItf());
    doc.states[4]['#meta'].action = 'crash client1';
    const r = replayItf(leaseSpec, doc);
    expect(r.outcome).toBe('diverged');
    expect(replayExitCode(r)).toBe(4);
    expect(r.divergence).toMatchObject({ step: 4, action: 'crash client1', reason: 'not-enabled' });
    expect(r.divergence!.enabled).toContain('pause client1');
    expect(r.trace).toHaveLength(4);
  });

  it('diverges at a step that leads to a different state, with the diff', () => {
    const doc = roundTrip(leaseItf());
    doc.states[4]['#meta'].action = 'pause client2';
    const r = replayItf(leaseSpec, doc);
    expect(r.divergence).toMatchObject({ step: 4, reason: 'different-state' });
    expect(r.divergence!.changes.map((c) => `${c.path}: ${String(c.before)} → ${String(c.after)}`)).toEqual([
      '.nodes.client1.status: up → paused',
      '.nodes.client2.status: paused → up',
    ]);
  });

  it('diverges when the spec changed: the fault budget of the trace is overridden to 0', () => {
    const r = replayItf(leaseSpec, leaseItf(), { faults: { pause: 0 } });
    expect(r.outcome).toBe('diverged');
    expect(r.divergence!.reason).toBe('initial-state');
  });

  it('gives outcome error for malformed ITF or params the spec does not have', () => {
    expect(replayItf(leaseSpec, '{"vars": 3}').outcome).toBe('error');
    expect(replayItf(leaseSpec, 'not json').error!.message).toMatch(/not JSON/);
    const doc = roundTrip(leaseItf());
    doc['#meta'].params.nodes = 3;
    const r = replayItf(leaseSpec, doc);
    expect(r.outcome).toBe('error');
    expect(r.error!.message).toMatch(/unknown param "nodes"/);
    expect(replayExitCode(r)).toBe(2);
  });

  it('replays a core spec trace, and a trace without action labels (matched by state)', () => {
    const d = diehard as unknown as Spec;
    const res = check(d);
    const system = d.compile(res.params);
    const unlabeled = res.violation!.trace.map((s) => ({ action: null, state: JSON.parse(JSON.stringify(s.state)) }));
    const r = replaySteps(system, unlabeled);
    expect(r.outcome).toBe('reproduced');
    expect(r.trace.map((s) => s.action)).toEqual(res.violation!.trace.map((s) => s.action));
  });
});
