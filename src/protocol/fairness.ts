// Protocol fairness: the partially synchronous system model. Faults are never
// obliged to happen and are budgeted, so every behaviour has a last fault; after
// it, each ordinary action is weakly fair per instance: a message to an up node is
// eventually delivered, an armed timer fires, an enabled step happens, a paused
// node resumes, a partition heals, a crashed node restarts, time advances.
import { SpecError } from '../core/errors.js';
import type { ActionInfo } from '../core/types.js';
import { FAIRNESS_KINDS, type Fairness, type FairnessKind } from '../core/liveness.js';

export const protocolFairnessKeys = ['deliver', 'fire', 'step', 'restart', 'resume', 'heal', 'tick'] as const;

/** The kind of ordinary action an action of the compiled protocol is (its coverage name's first word). */
function kindOf(a: ActionInfo): string {
  if (a.name.startsWith('restart@')) return 'restart';
  return a.name.split(' ')[0]!;
}

/** ` (choose: …)` ends a label whose handler chose among options: all branches are one instance. */
const CHOICE = ' (choose: ';

/**
 * `roles` lets an override name an action of a role that this run does not have (a
 * restart under `--faults crash=0`, say): it is then simply unused.
 */
export function protocolFairness(where: string, decl: Readonly<Record<string, FairnessKind>> | undefined, actions: readonly ActionInfo[], roles: readonly string[] = []): Fairness {
  const overrides = new Map<string, FairnessKind>();
  for (const [key, kind] of Object.entries(decl ?? {})) {
    if (!FAIRNESS_KINDS.includes(kind)) {
      throw new SpecError(`${where}: fairness.${key} must be 'weak', 'strong' or 'none', got ${JSON.stringify(kind)}`, { handler: 'fairness' });
    }
    const isKind = (protocolFairnessKeys as readonly string[]).includes(key);
    const isAction = actions.some((a) => !a.fault && a.name === key);
    const roleAction = /^(?:(?:deliver|fire|step) \S+@|restart@)(\S+)$/.exec(key);
    if (!isKind && !isAction && !(roleAction !== null && roles.includes(roleAction[1]!))) {
      const faults = actions.filter((a) => a.fault).map((a) => a.name);
      throw new SpecError(
        faults.includes(key) || ['drop', 'duplicate', 'crash', 'pause', 'partition', 'delay', 'clockJump'].includes(key)
          ? `${where}: fairness.${key}: faults are never fair (they are budgeted, so every behaviour has a last fault)`
          : `${where}: fairness.${key} is neither a kind of action (${protocolFairnessKeys.join(', ')}) nor one of this protocol's actions (${actions
              .filter((a) => !a.fault)
              .map((a) => a.name)
              .join(', ')})`,
        { handler: 'fairness' },
      );
    }
    overrides.set(key, kind);
  }
  const actionKinds = actions.map((a) => (a.fault ? 'none' : (overrides.get(a.name) ?? overrides.get(kindOf(a)) ?? 'weak')));
  const changed = [...overrides].map(([k, v]) => `${k}: ${v}`);
  return {
    actionKinds,
    instanceKey: (action, label) => {
      if (actions[action]!.idle) return 'tick';
      const c = label.indexOf(CHOICE);
      return c < 0 ? label : label.slice(0, c);
    },
    summary: `weak per instance on every ordinary action, none on faults${changed.length > 0 ? `; overridden: ${changed.join(', ')}` : ''}`,
    none: actionKinds.every((k) => k === 'none'),
  };
}
