// Compiles a protocol definition (with its params fixed) to a core transition
// system over worlds: the resolved model (model.ts), its transitions
// (transitions.ts), and the properties, which receive the world view (view.ts).
import { SpecError } from '../core/errors.js';
import type { ActionInfo, CompileOptions, Emit, NamedProperty, Params, PropertyResult, TransitionSystem } from '../core/types.js';
import { userCodeError } from '../core/spec.js';
import type { Budgets } from './faults.js';
import { Model, type AnyDef } from './model.js';
import { Transitions } from './transitions.js';
import { WorldCodec } from './codec.js';
import { HandlerCache, HandlerMemo } from './handler-memo.js';
import type { WorldView } from './define.js';
import { WorldViewImpl } from './view.js';
import type { World } from './world.js';
import { livenessProperties, type Fairness, type LivenessDefinition, type LivenessProperty } from '../core/liveness.js';
import { protocolFairness } from './fairness.js';

export interface CompiledProtocol extends TransitionSystem<World> {
  /** The world view that properties receive (for tests and tools). */
  view(w: World): WorldView;
  /** Node ids in order. */
  readonly nodeIds: readonly string[];
  /** Each node's role, by node id (for tools that show nodes, e.g. the explorer). */
  readonly nodeRoles: Readonly<Record<string, string>>;
  readonly budgets: Budgets;
}

export function compileProtocol(
  def: AnyDef,
  roleDefs: Readonly<Record<string, unknown>>,
  params: Params,
  options: CompileOptions = {},
): CompiledProtocol {
  return new ProtocolSystem(def, roleDefs, params, options);
}

class ProtocolSystem implements CompiledProtocol {
  readonly name: string;
  readonly params: Params;
  readonly actions: readonly ActionInfo[];
  readonly nodeIds: readonly string[];
  readonly nodeRoles: Readonly<Record<string, string>>;
  readonly budgets: Budgets;
  readonly invariants: NamedProperty<(s: World) => PropertyResult>[];
  readonly actionProperties: NamedProperty<(s: World, label: string, next: World) => PropertyResult>[];
  readonly sometimes: NamedProperty<(s: World) => PropertyResult>[];
  readonly constraint?: (s: World) => boolean;
  readonly done?: (s: World) => boolean;
  readonly symmetry?: readonly (readonly string[])[];
  readonly expect;
  readonly liveness: readonly LivenessProperty<World>[];
  readonly fairness: Fairness;
  private readonly model: Model;
  private readonly transitions: Transitions;
  /** Worlds as words of interned parts, for the coded BFS. */
  private readonly words: WorldCodec;
  private lastWorld: World | undefined;
  private lastView: WorldViewImpl | undefined;

  constructor(def: AnyDef, roleDefs: Readonly<Record<string, unknown>>, params: Params, options: CompileOptions) {
    this.name = def.name;
    this.params = params;
    this.expect = def.expect;
    this.model = new Model(def, roleDefs, params, options);
    // The handler-outcome cache wraps the handler runs of the worlds the codec decodes,
    // keyed by the codec's record numbers; installed here, so the transitions a search
    // runs do not change with who asked for the codec. One codec per compiled system:
    // a second search reuses its interned parts and remembered outcomes (same numbers).
    const memo = new HandlerMemo(this.model.nodeIds.length);
    this.words = new WorldCodec(this.model);
    this.transitions = new Transitions(this.model, new HandlerCache(this.words, memo));
    this.actions = this.model.actions;
    this.nodeIds = this.model.nodeIds;
    this.nodeRoles = Object.fromEntries(this.model.nodes.map((n) => [n.id, n.role.name]));
    this.budgets = this.model.budgets;
    this.symmetry = def.symmetry?.map((role) => {
      const rt = this.model.roleByName.get(role);
      if (rt === undefined) {
        throw new SpecError(`protocol "${def.name}": symmetry names role "${role}", which is not one of its roles (${[...this.model.roleByName.keys()].join(', ')})`);
      }
      return this.model.nodes.filter((n) => n.role === rt).map((n) => n.id);
    });

    // Properties receive the world view.
    const wrap = <F extends (...a: any[]) => unknown>(group: string, fns: Readonly<Record<string, F>> | undefined, call: (f: F) => (...a: any[]) => any) =>
      Object.entries(fns ?? {}).map(([name, f]) => {
        const run = call(f);
        return {
          name,
          check: (...a: unknown[]) => {
            try {
              return run(...a);
            } catch (e) {
              throw userCodeError(e, `${group} ${name}`, { handler: name });
            }
          },
        };
      });
    this.invariants = wrap('invariant', def.invariants, (f) => (s: World) => f(this.view(s)));
    this.sometimes = wrap('sometimes', def.sometimes, (f) => (s: World) => f(this.view(s)));
    this.actionProperties = wrap(
      'action property',
      def.actionProperties,
      (f) => (s: World, label: string, t: World) => f(new WorldViewImpl(this.model, s), label, new WorldViewImpl(this.model, t)),
    );
    this.liveness = livenessProperties<World, WorldView>(
      `protocol "${def.name}"`,
      def as LivenessDefinition<WorldView>,
      (f, name) => (s: World) => {
        try {
          return f(this.view(s), undefined);
        } catch (e) {
          throw userCodeError(e, `liveness property ${name}`, { handler: name });
        }
      },
      [...this.invariants, ...this.sometimes, ...this.actionProperties].map((p) => p.name),
    );
    this.fairness = protocolFairness(`protocol "${def.name}"`, def.fairness, this.actions, [...this.model.roleByName.keys()]);
    const maxInFlight = this.model.maxInFlight;
    const userConstraint = def.constraint;
    if (maxInFlight !== undefined || userConstraint !== undefined) {
      this.constraint = (s: World) => {
        if (maxInFlight !== undefined && s.inFlight.length > maxInFlight) return false;
        if (userConstraint === undefined) return true;
        try {
          return userConstraint(this.view(s)) === true;
        } catch (e) {
          throw userCodeError(e, 'constraint', { handler: 'constraint' });
        }
      };
    }
    const done = def.done;
    if (done !== undefined) {
      this.done = (s: World) => {
        try {
          return done(this.view(s)) === true;
        } catch (e) {
          throw userCodeError(e, 'done', { handler: 'done' });
        }
      };
    }
  }

  /** maxTime held back the tick of the world just expanded. */
  boundCut(w: World): string | undefined {
    return this.transitions.cutByMaxTime === w ? `maxTime=${this.model.time.maxTime}` : undefined;
  }

  constraintName(w: World): string {
    const max = this.model.maxInFlight;
    return max !== undefined && w.inFlight.length > max ? `maxInFlight=${max}` : 'constraint';
  }

  view(w: World): WorldViewImpl {
    if (w !== this.lastWorld) {
      this.lastWorld = w;
      this.lastView = new WorldViewImpl(this.model, w);
    }
    return this.lastView!;
  }

  faultsUsed(s: World): number {
    let n = 0;
    const f = s.faults;
    if (f !== undefined) for (const k in f) n += f[k]!;
    return n;
  }

  /** Worlds as words of interned parts, for the coded BFS (their handler runs are cached: see the constructor). */
  codec(): WorldCodec {
    return this.words;
  }

  initialStates(): World[] {
    return this.transitions.initialStates();
  }

  successors(w: World, emit: Emit<World>): void {
    this.transitions.successors(w, emit);
  }

  /** The notes of the transition `label` from `state` (handler note()s, lost messages). */
  notes(state: World, label: string, next: World): readonly string[] {
    return this.transitions.notes(state, label, next);
  }
}
