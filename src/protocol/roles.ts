// Resolving a definition against its params: the roles with their handlers, the
// nodes with their ids, and the partition candidates. Everything here is checked
// once per compile, so the successor function can trust it.
import { SpecError } from '../core/errors.js';
import { ROLE_KEYS, checkKeys } from '../core/definition-keys.js';
import type { Params } from '../core/types.js';
import { userCodeError } from '../core/spec.js';
import type { ParamFn, RoleDefinition } from './define.js';
import { HAS_CLOCK, HAS_DURABLE, HAS_TIMERS, type Partition } from './world.js';

// The runtime sees handlers untyped.
export type AnyFn = (...args: any[]) => unknown;
export type AnyRoleDef = RoleDefinition<unknown, unknown, string, unknown, unknown, any>;

export interface RoleRt {
  readonly name: string;
  readonly index: number;
  readonly def: AnyRoleDef;
  /** Which optional node fields this role's nodes carry (world.ts). */
  readonly shape: number;
  readonly clock: boolean;
  /** Message type → index into `handlers` (compile.ts). */
  readonly on: Map<string, number>;
  readonly timerNames: readonly string[];
  readonly timerFns: readonly AnyFn[];
  readonly timerActions: number[];
  readonly stepNames: readonly string[];
  readonly stepFns: readonly AnyFn[];
  readonly stepActions: number[];
  restartAction: number;
  readonly nodes: number[];
}

export interface NodeRt {
  readonly id: string;
  readonly idx: number;
  readonly role: RoleRt;
  /** 1-based index within the role. */
  readonly index: number;
  /** Labels that do not depend on the state, built once. */
  readonly crashLabel: string;
  readonly pauseLabel: string;
  readonly resumeLabel: string;
  readonly restartLabel: string;
  readonly fireLabels: readonly string[];
  readonly stepLabels: readonly string[];
}

export interface HandlerRt {
  readonly role: RoleRt;
  readonly type: string;
  readonly fn: AnyFn;
  readonly action: number;
  readonly name: string;
}

export interface PartitionRt {
  readonly sides: Partition;
  /** Side (0 or 1) of each node, by node index. */
  readonly sideOf: Uint8Array;
  readonly label: string;
}

const NAME = /^[A-Za-z_][\w-]*$/;

export function resolveParamFn<P, T>(value: ParamFn<P, T> | undefined, params: P, what: string): T | undefined {
  if (typeof value !== 'function') return value;
  try {
    return (value as (p: P) => T)(params);
  } catch (e) {
    throw userCodeError(e, what, { handler: what });
  }
}

/** Checks one role definition; returns its runtime form (actions are filled in by compile). */
export function resolveRole(name: string, index: number, def: unknown, timed: boolean): RoleRt {
  const site = { role: name };
  if (!NAME.test(name)) throw new SpecError(`role name ${JSON.stringify(name)} must be an identifier (letters, digits, _ and -)`, site);
  if (typeof def !== 'object' || def === null) throw new SpecError(`role ${name} must be defined with role({ init, on, ... })`, site);
  const d = def as AnyRoleDef;
  checkKeys(d, ROLE_KEYS, `role ${name}`, site);
  if (typeof d.init !== 'function') throw new SpecError(`role ${name} needs init: (ctx) => initialState`, { role: name, handler: 'init' });
  for (const hook of ['durable', 'recover'] as const) {
    if (d[hook] !== undefined && typeof d[hook] !== 'function') {
      throw new SpecError(`role ${name}: ${hook} must be a function`, { role: name, handler: hook });
    }
  }
  if (d.recover !== undefined && d.durable === undefined) {
    throw new SpecError(`role ${name} has recover but no durable state: declare durable: (ctx) => initialDurableState`, {
      role: name,
      handler: 'recover',
    });
  }
  const table = (group: 'on' | 'timers' | 'steps'): [string, AnyFn][] => {
    const g = d[group] as Record<string, unknown> | undefined;
    if (g === undefined) return [];
    if (typeof g !== 'object' || g === null) throw new SpecError(`role ${name}: ${group} must be an object of handlers`, site);
    return Object.entries(g).map(([k, f]) => {
      if (typeof f !== 'function') {
        throw new SpecError(`role ${name}: ${group}.${k} must be a handler function`, { role: name, handler: `${group}.${k}` });
      }
      return [k, f as AnyFn];
    });
  };
  const on = table('on');
  const timers = table('timers');
  const steps = table('steps');
  const clock = timed && d.clock === true;
  const shape = (d.durable !== undefined ? HAS_DURABLE : 0) | (timers.length > 0 ? HAS_TIMERS : 0) | (clock ? HAS_CLOCK : 0);
  return {
    name,
    index,
    def: d,
    shape,
    clock,
    on: new Map(on.map(([k], i) => [k, -1 - i])), // filled with handler indices by compile
    timerNames: timers.map(([k]) => k),
    timerFns: timers.map(([, f]) => f),
    timerActions: [],
    stepNames: steps.map(([k]) => k),
    stepFns: steps.map(([, f]) => f),
    stepActions: [],
    restartAction: -1,
    nodes: [],
  };
}

/** The nodes, in the order of the `nodes` declaration (then role order for the rest). */
export function resolveNodes(specName: string, roles: RoleRt[], declared: unknown): NodeRt[] {
  const byName = new Map(roles.map((r) => [r.name, r]));
  let decl: Record<string, unknown>;
  if (declared === undefined) decl = Object.fromEntries(roles.map((r) => [r.name, 1]));
  else if (typeof declared !== 'object' || declared === null) {
    throw new SpecError(`protocol "${specName}": nodes must map each role to a count or a list of ids`, { handler: 'nodes' });
  } else decl = declared as Record<string, unknown>;
  for (const k of Object.keys(decl)) {
    if (!byName.has(k)) {
      throw new SpecError(`protocol "${specName}": nodes names role "${k}", which is not defined; the roles are ${[...byName.keys()].join(', ')}`, {
        handler: 'nodes',
      });
    }
  }
  const nodes: NodeRt[] = [];
  const seen = new Set<string>();
  const order = [...Object.keys(decl), ...roles.map((r) => r.name).filter((n) => !(n in decl))];
  for (const roleName of order) {
    const role = byName.get(roleName)!;
    const v = decl[roleName];
    if (v === undefined) {
      throw new SpecError(`protocol "${specName}": nodes does not say how many nodes role ${roleName} has (use 0 for none)`, {
        role: roleName,
        handler: 'nodes',
      });
    }
    let ids: string[];
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0) {
        throw new SpecError(`protocol "${specName}": the node count of role ${roleName} must be a non-negative integer, got ${v}`, {
          role: roleName,
          handler: 'nodes',
        });
      }
      ids = v === 1 ? [roleName] : Array.from({ length: v }, (_, i) => `${roleName}${i + 1}`);
    } else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      ids = v as string[];
    } else {
      throw new SpecError(`protocol "${specName}": nodes.${roleName} must be a count or a list of node ids`, { role: roleName, handler: 'nodes' });
    }
    ids.forEach((id, i) => {
      if (!NAME.test(id)) throw new SpecError(`node id ${JSON.stringify(id)} must be an identifier (letters, digits, _ and -)`, { role: roleName, handler: 'nodes' });
      if (seen.has(id)) throw new SpecError(`protocol "${specName}": two nodes have the id ${id}`, { role: roleName, handler: 'nodes' });
      seen.add(id);
      const idx = nodes.length;
      role.nodes.push(idx);
      nodes.push({
        id,
        idx,
        role,
        index: i + 1,
        crashLabel: `crash ${id}`,
        pauseLabel: `pause ${id}`,
        resumeLabel: `resume ${id}`,
        restartLabel: `restart ${id}`,
        fireLabels: role.timerNames.map((t) => `fire ${id}.${t}`),
        stepLabels: role.stepNames.map((t) => `step ${id}.${t}`),
      });
    });
  }
  return nodes;
}

function makePartition(nodes: readonly NodeRt[], sideB: ReadonlySet<number>): PartitionRt {
  const sideOf = new Uint8Array(nodes.length);
  const a: string[] = [];
  const b: string[] = [];
  for (const n of nodes) {
    const inB = sideB.has(n.idx) !== sideB.has(0); // the side with the first node is side 0
    sideOf[n.idx] = inB ? 1 : 0;
    (inB ? b : a).push(n.id);
  }
  const sides: Partition = Object.freeze([Object.freeze(a), Object.freeze(b)] as const);
  return { sides, sideOf, label: `partition ${a.join(',')} | ${b.join(',')}` };
}

/** Every bipartition of the nodes, or the spec's candidates (each names one side). */
export function resolvePartitions(specName: string, nodes: readonly NodeRt[], roles: readonly RoleRt[], listed: unknown): PartitionRt[] {
  const n = nodes.length;
  if (listed === undefined) {
    if (n < 2) return [];
    if (n > 16) {
      throw new SpecError(
        `protocol "${specName}": ${n} nodes have ${2 ** (n - 1) - 1} bipartitions; list the partitions to explore (partitions: [[...one side...], ...])`,
        { handler: 'partitions' },
      );
    }
    const out: PartitionRt[] = [];
    for (let m = 1; m < 2 ** (n - 1); m++) {
      const sideB = new Set<number>();
      for (let i = 1; i < n; i++) if (m & (1 << (i - 1))) sideB.add(i);
      out.push(makePartition(nodes, sideB));
    }
    return out;
  }
  if (!Array.isArray(listed)) throw new SpecError(`protocol "${specName}": partitions must be a list of sides (lists of node ids or roles)`, { handler: 'partitions' });
  const byId = new Map(nodes.map((x) => [x.id, x.idx]));
  const byRole = new Map(roles.map((r) => [r.name, r.nodes]));
  const out: PartitionRt[] = [];
  const seen = new Set<string>();
  for (const side of listed) {
    if (!Array.isArray(side)) throw new SpecError(`protocol "${specName}": each partition candidate must list the node ids (or roles) of one side`, { handler: 'partitions' });
    const set = new Set<number>();
    for (const name of side) {
      const idx = byId.get(name);
      const group = byRole.get(name);
      if (idx !== undefined) set.add(idx);
      else if (group !== undefined) group.forEach((i) => set.add(i));
      else throw new SpecError(`protocol "${specName}": partition candidate names unknown node or role "${name}"`, { handler: 'partitions' });
    }
    if (set.size === 0 || set.size === n) {
      throw new SpecError(`protocol "${specName}": partition candidate [${side.join(', ')}] must leave nodes on both sides`, { handler: 'partitions' });
    }
    const p = makePartition(nodes, set);
    if (!seen.has(p.label)) {
      seen.add(p.label);
      out.push(p);
    }
  }
  return out;
}

export type { Params };
