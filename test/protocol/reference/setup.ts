// Reads a protocol() definition the way docs/protocol.md ("The definition")
// describes it, for one choice of params and fault budgets: node ids, roles,
// budgets, time, network and partition candidates. Nothing here comes from
// src/protocol: only the user's definition object (spec.definition) is read.

export const FAULTS = ['drop', 'duplicate', 'crash', 'pause', 'partition', 'delay', 'clockJump'] as const;
export type Fault = (typeof FAULTS)[number];

export interface RoleDef {
  clock?: boolean;
  durable?: (ctx: unknown) => unknown;
  init: (ctx: unknown) => unknown;
  recover?: (durable: unknown, ctx: unknown) => unknown;
  on?: Record<string, (s: unknown, m: unknown, ctx: unknown) => unknown>;
  timers?: Record<string, (s: unknown, ctx: unknown) => unknown>;
  steps?: Record<string, (s: unknown, ctx: unknown) => unknown>;
}

export interface NodeInfo {
  id: string;
  role: string;
  /** 1-based index in its role. */
  index: number;
  def: RoleDef;
}

export interface Setup {
  name: string;
  params: Record<string, unknown>;
  nodes: NodeInfo[];
  byId: Map<string, NodeInfo>;
  roleNodes: Map<string, string[]>;
  budgets: Record<Fault, number>;
  timed: boolean;
  maxTime: number;
  maxSkew: number;
  maxJump: number;
  /** undefined: no synchronous network bound. */
  maxDelay: number | undefined;
  fifo: boolean;
  maxInFlight: number | undefined;
  crashRecover: boolean;
  /** Each candidate as its first side (the side holding the first node), ids in node order. */
  partitions: string[][];
  def: Definition;
}

export interface Definition {
  name: string;
  params?: Record<string, unknown>;
  roles: (role: (d: unknown) => unknown) => Record<string, RoleDef>;
  nodes?: unknown;
  faults?: unknown;
  partitions?: unknown;
  network?: unknown;
  recovery?: 'crash-recover' | 'crash-stop';
  time?: unknown;
  constraint?: (w: unknown) => boolean;
  done?: (w: unknown) => boolean;
  invariants?: Record<string, (w: unknown) => unknown>;
  actionProperties?: Record<string, (b: unknown, a: string, after: unknown) => unknown>;
  sometimes?: Record<string, (w: unknown) => unknown>;
}

const valueOf = (x: unknown, p: Record<string, unknown>): any => (typeof x === 'function' ? x(p) : x);

export function setup(def: Definition, overrides: { params?: Record<string, unknown>; faults?: Record<string, number> } = {}): Setup {
  const params = { ...(def.params ?? {}), ...(overrides.params ?? {}) };
  const roles = def.roles((d) => d);
  const counts: Record<string, number | readonly string[]> =
    valueOf(def.nodes, params) ?? Object.fromEntries(Object.keys(roles).map((r) => [r, 1]));
  const nodes: NodeInfo[] = [];
  const roleNodes = new Map<string, string[]>();
  for (const [role, c] of Object.entries(counts)) {
    const ids = Array.isArray(c) ? [...c] : c === 1 ? [role] : Array.from({ length: c as number }, (_, i) => `${role}${i + 1}`);
    roleNodes.set(role, ids);
    ids.forEach((id, i) => nodes.push({ id, role, index: i + 1, def: roles[role]! }));
  }
  for (const role of Object.keys(roles)) if (!roleNodes.has(role)) roleNodes.set(role, []);
  const fromSpec: Record<string, number> = valueOf(def.faults, params) ?? {};
  const budgets = Object.fromEntries(FAULTS.map((f) => [f, overrides.faults?.[f] ?? fromSpec[f] ?? 0])) as Record<Fault, number>;
  const time = valueOf(def.time, params) ?? { mode: 'async' };
  const network = valueOf(def.network, params) ?? {};
  const ids = nodes.map((n) => n.id);
  const sideOf = (listed: readonly string[]): string[] => {
    const members = new Set(listed.flatMap((x) => roleNodes.get(x) ?? [x]));
    const side = ids.filter((id) => members.has(id));
    // a partition is named by the side that holds the first node
    return side.includes(ids[0]!) ? side : ids.filter((id) => !members.has(id));
  };
  let partitions: string[][];
  const listed = valueOf(def.partitions, params) as string[][] | undefined;
  if (listed) {
    const seen = new Set<string>();
    partitions = [];
    for (const l of listed) {
      const side = sideOf(l);
      if (!seen.has(side.join())) (seen.add(side.join()), partitions.push(side));
    }
  } else {
    // every bipartition: the subsets that contain the first node, but not all nodes
    partitions = [];
    const rest = ids.slice(1);
    for (let mask = 0; mask < 2 ** rest.length - 1; mask++) {
      partitions.push([ids[0]!, ...rest.filter((_, i) => mask & (1 << i))]);
    }
  }
  return {
    name: def.name,
    params,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    roleNodes,
    budgets,
    timed: time.mode === 'timed',
    maxTime: time.maxTime ?? 0,
    maxSkew: time.maxSkew ?? 0,
    maxJump: time.maxJump ?? 0,
    maxDelay: time.mode === 'timed' ? time.maxDelay : undefined,
    fifo: network.fifo === true,
    maxInFlight: network.maxInFlight,
    crashRecover: (def.recovery ?? 'crash-recover') === 'crash-recover',
    partitions,
    def,
  };
}
