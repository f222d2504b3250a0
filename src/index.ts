// faultline's public API. Spec files import from here: `import { spec } from 'faultline'`.
export { spec, forEach, ids } from './core/spec.js';
export type { SpecDefinition, ActionDef, ParamAction, Successors } from './core/spec.js';
export type {
  Spec,
  Params,
  ParamValue,
  PropertyResult,
  Expectation,
  TransitionSystem,
  ActionInfo,
  Emit,
} from './core/types.js';
export { packed } from './packed/spec.js';
export type { PackedDefinition, PackedBehaviour, PackedAction } from './packed/spec.js';
export { bool, oneOf, int, perKey, list } from './packed/layout.js';
export type { Slot, Slots, ValueOf, Decl } from './packed/layout.js';
export type { PackedState } from './packed/state.js';
export { SpecError } from './core/errors.js';
export { UsageError } from './core/params.js';
export type { TraceStep } from './core/errors.js';
export { check, checkAsync, simulate } from './check/check.js';
export type { SimulateOptions, SimulateResult } from './check/check.js';
export type { CheckOptions, CheckResult, Stats, Violation, ViolationKind, Verdict } from './explore/types.js';
export { renderResult } from './cli/report/text.js';
export { toJsonReport } from './cli/report/json.js';
export { fingerprint } from './values/fingerprint.js';
export * from './protocol/index.js';
export type { FairnessKind, FairnessDeclaration, LivenessKind } from './core/liveness.js';
