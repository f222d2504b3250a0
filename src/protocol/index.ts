// The protocol layer's public surface (re-exported by src/index.ts).
export { protocol } from './protocol.js';
export { messages, observations } from './define.js';
export type {
  Context,
  MessageContext,
  Message,
  MessageMap,
  ObservationMap,
  NodeStatus,
  RoleDefinition,
  Role,
  RoleFactory,
  ProtocolDefinition,
  ProtocolSpec,
  TimeOptions,
  TimedOptions,
  NetworkOptions,
  FaultBudgets,
  StateOf,
  DurableOf,
  Roles,
  ParamFn,
  HandlerResult,
  StateLiteralContext,
  KnownKeys,
  NotAKey,
  AnyValue,
  Primitive,
  RoleKey,
  ProtocolKey,
  TimerNames,
} from './define.js';
export type { WorldView, NodeView, LiveNodeView, InFlightMessage, ClockView } from './define.js';
export type { World, NodeRec, Partition } from './world.js';
export type { CompiledProtocol } from './compile.js';
export { FAULT_NAMES, type FaultName } from './faults.js';
