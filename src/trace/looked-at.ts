// The values a violated invariant looked at in the final state, so the trace ends
// with the evidence: the invariant is run once more on that state, through a view
// that records what it reads (a protocol's world view: nodes, their fields,
// observations, messages in flight, faults, time; a core spec's state: its
// top-level fields).
import type { TransitionSystem } from '../core/types.js';
import { kindOf } from '../values/kinds.js';
import { isWorld, msgRef, type EnvelopeLike } from './model.js';

export interface LookedAt {
  /** What was read: `client1.state`, `observed("write")`, `inFlight({type: "Write"})`, `big`. */
  readonly what: string;
  readonly value: unknown;
}

const NODE_FIELDS = new Set(['status', 'state', 'durable', 'timers', 'clock']);

function argText(a: unknown): string {
  if (typeof a === 'string') return JSON.stringify(a);
  if (typeof a === 'function') return '…';
  try {
    return JSON.stringify(a) ?? String(a);
  } catch {
    return '…';
  }
}

/**
 * Runs invariant `property` on `state` and returns what it read, in the order it
 * read it (each thing once). Empty when that cannot be told (an action property,
 * a state that is not a plain record, an invariant that throws).
 */
export function valuesLookedAt(system: TransitionSystem<unknown>, property: string, state: unknown): LookedAt[] {
  const inv = system.invariants.find((p) => p.name === property);
  if (inv === undefined) return [];
  const seen = new Map<string, unknown>();
  const record = (what: string, value: unknown) => {
    if (!seen.has(what)) seen.set(what, value);
  };
  const sys = system as unknown as { view?: (w: unknown) => object };
  try {
    if (isWorld(state) && typeof sys.view === 'function') {
      const real = sys.view(state) as Record<string | symbol, unknown>;
      const nodeProxy = (n: Record<string, unknown>) =>
        new Proxy(n, {
          get(t, prop, recv) {
            const v = Reflect.get(t, prop, recv);
            if (typeof prop === 'string' && NODE_FIELDS.has(prop)) record(`${String(t.id)}.${prop}`, v);
            return v;
          },
        });
      const view = new Proxy(real, {
        get(t, prop) {
          const v = Reflect.get(t, prop, t);
          if (typeof prop !== 'string') return v;
          if (typeof v !== 'function') {
            if (prop === 'time' || prop === 'faults' || prop === 'faultsUsed' || prop === 'partition') record(prop, v);
            return v;
          }
          return (...args: unknown[]) => {
            const r = (v as (...a: unknown[]) => unknown).apply(t, args);
            switch (prop) {
              case 'node':
                return nodeProxy(r as Record<string, unknown>);
              case 'nodes':
              case 'live':
                return (r as Record<string, unknown>[]).map(nodeProxy);
              case 'observed':
                record(`observed(${argText(args[0])})`, r);
                return r;
              case 'inFlight':
                record(`inFlight(${args.map(argText).join(', ')})`, (r as EnvelopeLike[]).map((e) => msgRef(e).key));
                return r;
              case 'status':
                record(`${String(args[0])}.status`, r);
                return r;
              default:
                return r;
            }
          };
        },
      });
      const own = Object.prototype.hasOwnProperty.call(sys, 'view');
      const original = sys.view;
      sys.view = () => view;
      try {
        inv.check(state);
      } finally {
        if (own) sys.view = original;
        else delete sys.view;
      }
    } else if (kindOf(state) === 'record' && Object.getPrototypeOf(state) === Object.prototype) {
      const proxy = new Proxy(state as Record<string, unknown>, {
        get(t, prop, recv) {
          const v = Reflect.get(t, prop, recv);
          if (typeof prop === 'string' && Object.prototype.hasOwnProperty.call(t, prop)) record(prop, v);
          return v;
        },
      });
      inv.check(proxy);
    } else return [];
  } catch {
    return [];
  }
  return [...seen].map(([what, value]) => ({ what, value }));
}
