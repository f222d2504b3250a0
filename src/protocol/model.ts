// A protocol definition resolved against its params: roles, nodes, network,
// budgets, partition candidates, the action table (coverage) and the shape of
// its worlds. Checked once per compile, so the successor function can trust it.
import { SpecError } from '../core/errors.js';
import { NETWORK_KEYS, checkKeys } from '../core/definition-keys.js';
import type { ActionInfo, CompileOptions, Params } from '../core/types.js';
import type { Runtime } from './context.js';
import type { MessageMap, ObservationMap, ProtocolDefinition, Roles } from './define.js';
import { FAULT_NAMES, resolveBudgets, type Budgets, type FaultName } from './faults.js';
import { Network, type InFlight } from './network.js';
import {
  resolveNodes,
  resolveParamFn,
  resolvePartitions,
  resolveRole,
  type AnyFn,
  type HandlerRt,
  type NodeRt,
  type PartitionRt,
  type RoleRt,
} from './roles.js';
import { range, resolveTime, type ResolvedTime } from './time.js';
import { makeWorld, nodeReplacer, WORLD_FAULTS, WORLD_PARTITION, WORLD_TIME, type NodeRec, type Partition, type WithNode, type World } from './world.js';

export type AnyDef = ProtocolDefinition<Params, MessageMap, ObservationMap, Roles>;

export class Model implements Runtime {
  readonly specName: string;
  readonly params: Params;
  readonly actions: ActionInfo[] = [];
  readonly roles: RoleRt[];
  readonly roleByName: Map<string, RoleRt>;
  readonly nodes: NodeRt[];
  readonly nodeIds: string[];
  /** The nodes record with node i's record replaced. */
  readonly withNode: WithNode;
  readonly idIndex: Map<string, number>;
  readonly handlers: HandlerRt[] = [];
  readonly network: Network;
  readonly maxInFlight: number | undefined;
  readonly time: ResolvedTime;
  readonly timed: boolean;
  readonly maxDelay: number | undefined;
  readonly budgets: Budgets;
  readonly crashRecover: boolean;
  readonly partitions: PartitionRt[];
  private readonly partitionBySides = new Map<Partition, PartitionRt>();
  /** `tick (t=N)` by N. */
  readonly tickLabels: string[] = [];
  /** The fault counters of an initial world. */
  readonly faults0: Readonly<Record<string, number>>;
  /** Which optional fields the worlds carry (world.ts). */
  readonly worldShape: number;
  /** Action index of each fault (-1: budget 0), and of the role-less ordinary actions. */
  readonly faultAction: Record<FaultName, number>;
  readonly resumeAction: number = -1;
  readonly healAction: number = -1;
  readonly tickAction: number = -1;
  readonly clockNodes: NodeRt[];
  /** The offsets a clockJump may set: -maxJump..maxJump. */
  readonly jumps: number[];

  constructor(def: AnyDef, roleDefs: Readonly<Record<string, unknown>>, params: Params, options: CompileOptions) {
    this.specName = def.name;
    this.params = params;
    this.time = resolveTime(def.name, resolveParamFn(def.time, params, 'time'));
    this.timed = this.time.timed;
    this.maxDelay = this.time.maxDelay;
    this.crashRecover = (def.recovery ?? 'crash-recover') === 'crash-recover';

    this.roles = Object.entries(roleDefs).map(([name, d], i) => resolveRole(name, i, d, this.timed));
    this.roleByName = new Map(this.roles.map((r) => [r.name, r]));
    this.nodes = resolveNodes(def.name, this.roles, resolveParamFn(def.nodes, params, 'nodes'));
    this.nodeIds = this.nodes.map((n) => n.id);
    this.withNode = nodeReplacer(this.nodeIds);
    this.idIndex = new Map(this.nodes.map((n) => [n.id, n.idx]));
    this.clockNodes = this.nodes.filter((n) => n.role.clock);

    const net = resolveParamFn(def.network, params, 'network') ?? {};
    if (typeof net !== 'object' || net === null) throw new SpecError(`protocol "${def.name}": network must be { fifo?, maxInFlight? }`, { handler: 'network' });
    checkKeys(net, NETWORK_KEYS, `protocol "${def.name}": network`, { handler: 'network' });
    if (net.maxInFlight !== undefined && (!Number.isInteger(net.maxInFlight) || net.maxInFlight < 0)) {
      throw new SpecError(`protocol "${def.name}": network.maxInFlight must be a non-negative integer, got ${JSON.stringify(net.maxInFlight)}`, {
        handler: 'network',
      });
    }
    this.network = new Network(net.fifo === true, this.maxDelay, this.nodes.length);
    this.maxInFlight = net.maxInFlight;

    this.budgets = resolveBudgets(def.name, resolveParamFn(def.faults, params, 'faults'), options.faults, {
      timed: this.timed,
      maxDelay: this.maxDelay,
      maxJump: this.time.maxJump,
      clockNodes: this.clockNodes.length,
    });
    this.jumps = this.budgets.clockJump > 0 ? range(this.time.maxJump!) : [];
    this.partitions =
      this.budgets.partition > 0 ? resolvePartitions(def.name, this.nodes, this.roles, resolveParamFn(def.partitions, params, 'partitions')) : [];
    for (const p of this.partitions) this.partitionBySides.set(p.sides, p);

    // Actions (coverage): one per role × handler, then the role-less ordinary actions, then the faults.
    const action = (name: string, fault = false): number => this.actions.push(fault ? { name, fault } : { name }) - 1;
    const canCrash = this.budgets.crash > 0;
    for (const role of this.roles) {
      for (const [type] of role.on) {
        const fn = (role.def.on as Record<string, AnyFn>)[type]!;
        role.on.set(type, this.handlers.length);
        this.handlers.push({ role, type, fn, action: action(`deliver ${type}@${role.name}`), name: `on.${type}` });
      }
      role.timerNames.forEach((t) => role.timerActions.push(action(`fire ${t}@${role.name}`)));
      role.stepNames.forEach((t) => role.stepActions.push(action(`step ${t}@${role.name}`)));
      if (canCrash && this.crashRecover) role.restartAction = action(`restart@${role.name}`);
    }
    if (this.budgets.pause > 0) this.resumeAction = action('resume');
    if (this.budgets.partition > 0) this.healAction = action('heal');
    if (this.timed) {
      this.tickAction = this.actions.push({ name: 'tick', idle: true }) - 1;
      for (let t = 0; t <= this.time.maxTime; t++) this.tickLabels.push(`tick (t=${t})`);
    }
    this.faultAction = {} as Record<FaultName, number>;
    const faults0: Record<string, number> = {};
    for (const f of FAULT_NAMES) {
      this.faultAction[f] = this.budgets[f] > 0 ? action(f, true) : -1;
      if (this.budgets[f] > 0) faults0[f] = 0;
    }
    this.faults0 = Object.freeze(faults0);
    this.worldShape =
      (this.timed ? WORLD_TIME : 0) |
      (Object.keys(faults0).length > 0 ? WORLD_FAULTS : 0) |
      (this.budgets.partition > 0 ? WORLD_PARTITION : 0);
  }

  /** A world of this protocol's shape. */
  world(
    time: number,
    nodes: Readonly<Record<string, NodeRec>>,
    inFlight: InFlight,
    observed: Readonly<Record<string, readonly unknown[]>>,
    faults: Readonly<Record<string, number>> | undefined,
    partition: Partition | null | undefined,
  ): World {
    return makeWorld(this.worldShape, time, nodes, inFlight, observed, faults, partition);
  }

  /** The partition candidate a world's partition value is. */
  partitionOf(p: Partition | null | undefined): PartitionRt | null {
    if (p === null || p === undefined) return null;
    const rt = this.partitionBySides.get(p);
    if (rt === undefined) throw new Error('internal: a partition that this compiled protocol did not create');
    return rt;
  }
}
