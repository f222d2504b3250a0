// Liveness of protocols: the default fairness of the partially synchronous model (and
// what an override changes), bad `fairness` entries, and bounds — maxTime in timed
// mode and network.maxInFlight — that make a verdict incomplete, naming the bound,
// and never a violation.
import { describe, expect, it } from 'vitest';
import { check, messages, protocol } from '../../src/index.js';
import timedRequest from '../fixtures/liveness/timed-request.js';
import { faultline } from '../cli/run.js';

type Fairness = Record<string, 'weak' | 'strong' | 'none'>;

/** A client whose timer, once it fires, sends a request that the server answers. */
const ping = (fairness?: Fairness) =>
  protocol({
    name: 'ping',
    messages: messages<{ Request: {}; Response: {} }>(),
    nodes: () => ({ client: 1, server: 1 }),
    roles: (role) => ({
      client: role({
        init: (ctx) => {
          ctx.setTimer('go', 1);
          return { answered: false };
        },
        timers: {
          go: (s, ctx) => {
            ctx.send('server', { type: 'Request' });
            return s;
          },
        },
        on: { Response: (s) => ({ ...s, answered: true }) },
      }),
      server: role({
        init: () => ({}),
        on: {
          Request: (s, _m, ctx) => {
            ctx.send('client', { type: 'Response' });
            return s;
          },
        },
      }),
    }),
    eventually: { answered: (w) => w.node('client').state?.answered === true },
    ...(fairness ? { fairness } : {}),
  });

describe('protocol fairness: the defaults and their overrides', () => {
  it('by default every timer fires and every message is delivered: answered holds', () => {
    const r = check(ping());
    expect(r.verdict).toBe('ok');
    expect(r.liveness?.properties).toEqual(['answered']);
  });

  it("fairness: { fire: 'none' } lets the timer never fire: the behaviour halts at step 0", () => {
    const r = check(ping({ fire: 'none' }));
    expect(r.verdict).toBe('violation');
    expect(r.violation).toMatchObject({ kind: 'liveness', property: 'answered', loop: 0 });
    expect(r.violation!.trace).toHaveLength(1);
    expect(r.violation!.message).toBe('answered never holds: a fair behaviour halts at step 0 and stays there forever; no fair action is enabled there');
    expect(r.violation!.liveness!.fairness).toBe('weak per instance on every ordinary action, none on faults; overridden: fire: none');
  });

  it("one action by name ('fire go@client': 'none') changes it as the kind does", () => {
    const r = check(ping({ 'fire go@client': 'none' }));
    expect(r.violation).toMatchObject({ kind: 'liveness', property: 'answered', loop: 0 });
    expect(check(ping({ 'deliver Request@server': 'weak' })).verdict).toBe('ok');
  });

  it("fairness: { deliver: 'none' }: the request may stay in flight forever (after the timer fired)", () => {
    const r = check(ping({ deliver: 'none' }));
    expect(r.violation).toMatchObject({ kind: 'liveness', property: 'answered', loop: 1 });
    expect(r.violation!.trace.map((s) => s.action)).toEqual([null, 'fire client.go']);
  });

  it('an unknown key or a fault in fairness is a spec error naming it', () => {
    const bogus = check(ping({ bogus: 'weak' }));
    expect(bogus.verdict).toBe('error');
    expect(bogus.error!.message).toBe(
      `protocol "ping": fairness.bogus is neither a kind of action (deliver, fire, step, restart, resume, heal, tick) nor one of this protocol's actions (deliver Response@client, fire go@client, deliver Request@server)`,
    );
    expect(bogus.error!.handler).toBe('fairness');
    for (const fault of ['drop', 'crash', 'partition']) {
      const r = check(ping({ [fault]: 'weak' }));
      expect(r.verdict).toBe('error');
      expect(r.error!.message).toBe(`protocol "ping": fairness.${fault}: faults are never fair (they are budgeted, so every behaviour has a last fault)`);
    }
    const kind = check(ping({ fire: 'often' as never }));
    expect(kind.error!.message).toBe(`protocol "ping": fairness.fire must be 'weak', 'strong' or 'none', got "often"`);
  });
});

describe('timed mode: time advances fairly up to maxTime, and maxTime is a bound', () => {
  it('met before maxTime on every behaviour: holds (ok, complete)', () => {
    const r = check(timedRequest, { faults: { drop: 0 } });
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
    expect(r.incomplete).toBeUndefined();
  });

  it('not met before maxTime on some behaviour: incomplete, reason liveness, naming maxTime=4 — never a violation', () => {
    const r = check(timedRequest);
    expect(r.verdict).toBe('incomplete');
    expect(r.violation).toBeUndefined();
    expect(r.incomplete?.reason).toBe('liveness');
    expect(r.incomplete?.message).toBe(
      'answered could not be decided: some behaviour that has not met it yet is cut off by maxTime=4; a behaviour stopped by a bound is not a counterexample. Raise the bound',
    );
  });

  it('from the CLI: ⚠ INCOMPLETE naming maxTime=4; exit 0, or 3 with --require-complete', () => {
    const r = faultline(['check', 'test/fixtures/liveness/timed-request.ts', '--no-typecheck']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⚠ INCOMPLETE — answered could not be decided: some behaviour that has not met it yet is cut off by maxTime=4');
    expect(r.stdout).not.toContain('✗');
    expect(faultline(['check', 'test/fixtures/liveness/timed-request.ts', '--no-typecheck', '--require-complete']).code).toBe(3);
  });
});

/** A sender that may send again and again; the receiver counts up to 3. */
const flood = (maxInFlight: number, withGotThree = true) =>
  protocol({
    name: 'flood',
    messages: messages<{ M: {} }>(),
    roles: (role) => ({
      a: role({
        init: () => ({ sent: false }),
        steps: {
          send: (_s, ctx) => {
            ctx.send('b', { type: 'M' });
            return { sent: true };
          },
        },
      }),
      b: role({ init: () => ({ got: 0 }), on: { M: (s) => ({ got: Math.min(s.got + 1, 3) }) } }),
    }),
    network: { maxInFlight },
    eventually: {
      sentOnce: (w) => w.node('a').state?.sent === true,
      ...(withGotThree ? { gotThree: (w: any) => (w.node('b').state?.got ?? 0) >= 3 } : {}),
    },
  });

describe('network.maxInFlight cut-offs', () => {
  it('a property that a cut-off behaviour has not met is undecided, naming maxInFlight=N, never violated', () => {
    for (const n of [1, 2]) {
      const r = check(flood(n));
      expect(r.verdict, `maxInFlight=${n}`).toBe('incomplete');
      expect(r.violation).toBeUndefined();
      expect(r.incomplete?.reason).toBe('liveness');
      expect(r.incomplete?.message).toContain(`gotThree could not be decided: some behaviour that has not met it yet is cut off by maxInFlight=${n}`);
    }
  });

  it('a property met before the cut on every behaviour is decided: sentOnce alone holds', () => {
    const r = check(flood(2, false));
    expect(r.verdict).toBe('ok');
    expect(r.complete).toBe(true);
  });
});
