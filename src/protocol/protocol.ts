// protocol(): a distributed protocol as one state machine per role, compiled to
// a core transition system in which every fault is an ordinary labelled action.
import { livenessNames, type LivenessDefinition } from '../core/liveness.js';
import { SpecError } from '../core/errors.js';
import { userCodeError } from '../core/spec.js';
import { brandSpec, type CompileOptions, type Params } from '../core/types.js';
import { compileProtocol } from './compile.js';
import {
  validateDefinition,
  type KnownKeys,
  type MessageMap,
  type ObservationMap,
  type ProtocolDefinition,
  type ProtocolSpec,
  type Roles,
} from './define.js';
import { FAULT_NAMES } from './faults.js';
import { resolveParamFn } from './roles.js';

const role = <T>(def: T): T => def;

/**
 * Defines a protocol. Message and state types are inferred: declare the messages
 * with `messages: messages<{ ... }>()` and write the roles with the `role` helper:
 *
 * ```ts
 * export default protocol({
 *   name: 'ping',
 *   messages: messages<{ Ping: { n: number } }>(),
 *   roles: (role) => ({ a: role({ init: (ctx) => { ctx.send('b', { type: 'Ping', n: 1 }); return {}; } }),
 *                       b: role({ init: () => ({ got: 0 }), on: { Ping: (s, m) => ({ got: m.n }) } }) }),
 *   invariants: { small: (w) => w.node('b').state!.got <= 1 },
 * });
 * ```
 */
export function protocol<
  P extends Params = Record<string, never>,
  M extends MessageMap = MessageMap,
  O extends ObservationMap = ObservationMap,
  R extends Roles = Roles,
  K extends PropertyKey = never,
>(def: ProtocolDefinition<P, M, O, R> & KnownKeys<K, ProtocolDefinition<P, M, O, R>, 'protocol() has no key', Roles extends R ? false : true>): ProtocolSpec<P, M, O, R> {
  const d = def as unknown as ProtocolDefinition<Params, MessageMap, ObservationMap, Roles>;
  validateDefinition(d);
  let roleDefs: Record<string, unknown>;
  try {
    roleDefs = d.roles(role as never) as Record<string, unknown>;
  } catch (e) {
    throw userCodeError(e, `protocol "${d.name}": roles`, { handler: 'roles' });
  }
  if (typeof roleDefs !== 'object' || roleDefs === null || Object.keys(roleDefs).length === 0) {
    throw new SpecError(`protocol "${d.name}": roles must return an object with at least one role: (role) => ({ client: role({...}) })`, {
      handler: 'roles',
    });
  }
  const params = (d.params ?? {}) as P;
  const spec = {
    name: d.name,
    kind: 'protocol' as const,
    params,
    expect: d.expect,
    definition: def,
    describe() {
      const actions: string[] = [];
      for (const [name, r] of Object.entries(roleDefs)) {
        const rd = r as { on?: object; timers?: object; steps?: object };
        for (const t of Object.keys(rd.on ?? {})) actions.push(`deliver ${t}@${name}`);
        for (const t of Object.keys(rd.timers ?? {})) actions.push(`fire ${t}@${name}`);
        for (const t of Object.keys(rd.steps ?? {})) actions.push(`step ${t}@${name}`);
      }
      let faults: Record<string, number> = {};
      try {
        faults = (resolveParamFn(d.faults, params, 'faults') ?? {}) as Record<string, number>;
      } catch {
        // described without budgets
      }
      const time = (() => {
        try {
          return resolveParamFn(d.time, params, 'time');
        } catch {
          return undefined;
        }
      })();
      return {
        actions: [...actions, ...FAULT_NAMES.filter((f) => (faults[f] ?? 0) > 0)],
        invariants: Object.keys(d.invariants ?? {}),
        actionProperties: Object.keys(d.actionProperties ?? {}),
        sometimes: Object.keys(d.sometimes ?? {}),
        liveness: livenessNames(d as LivenessDefinition<never, never>),
        extra: {
          roles: Object.keys(roleDefs),
          faults: Object.fromEntries(FAULT_NAMES.map((f) => [f, faults[f] ?? 0])),
          time: time?.mode ?? 'async',
          recovery: d.recovery ?? 'crash-recover',
        },
      };
    },
    compile(p: P, options?: CompileOptions) {
      return compileProtocol(d, roleDefs, p, options);
    },
  };
  return brandSpec(spec) as unknown as ProtocolSpec<P, M, O, R>;
}
