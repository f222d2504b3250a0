// A time limit on each call of a spec's code (init, an action, an invariant...),
// used to name the call that never returns. The job watchdog (jobs.ts) notices a
// search that stopped making progress and terminates its worker; a fresh worker then
// re-runs the check with every call of the spec's code run under node:vm's timeout,
// which interrupts a runaway call with an exception we can catch. That turns the
// hang into a spec error naming the action, its arguments (they are in the label)
// and, through the search, the trace that reached the state. The limit costs a
// watchdog thread per call, so it is only used to diagnose, never in a normal run.
import vm from 'node:vm';
import { currentCall } from '../core/current-call.js';
import { SpecError } from '../core/errors.js';
import type { Spec, TransitionSystem } from '../core/types.js';

const context = vm.createContext({ call: undefined as (() => unknown) | undefined });
const script = new vm.Script('call()');

/** The message of a call that ran past the limit. */
export function tooLongMessage(what: string, limitMs: number, flag: '--call-timeout' | '--load-timeout' = '--call-timeout'): string {
  return `${what} ran longer than ${limitMs / 1000} s (${flag})${TOO_LONG}`;
}
const TOO_LONG = ': it never returns, or is far too slow for a model checker';

type Site = () => { what: string; handler: string; action?: string };

/**
 * Calls nest (the search checks invariants inside an action's emit). When the outer
 * limit fires, the inner vm call either ends with a timeout error too (then it names
 * itself in `diagnosed`, which the outer calls re-throw), or is unwound without
 * running its `catch`/`finally` (then it is still the last entry of `running`).
 */
let diagnosed: SpecError | undefined;
const running: Site[] = [];

/**
 * An expansion gets more time than the calls inside it (the invariants of its
 * successors), so that an inner call that never returns runs out first, inside the
 * search's emit: the error then carries the successor, and the trace reaches it. With
 * equal limits the expansion, started a moment earlier, won that race or lost it by
 * chance (a fresh-clone CI run at dde2a93 reported a looping invariant at its parent state).
 */
const expansionSlack = (limitMs: number) => Math.max(250, limitMs / 2);

/** Called as each limited call starts (a heartbeat for a watchdog on the main thread); see withCallLimit. */
let beat: (() => void) | undefined;

/** Runs `fn` under `timeoutMs`; a call that runs out is reported as running longer than `limitMs`. */
function limited<T>(fn: () => T, limitMs: number, what: Site, timeoutMs = limitMs): T {
  beat?.();
  const depth = running.length;
  if (depth === 0) diagnosed = undefined;
  running.push(what);
  const previous = context.call;
  context.call = fn;
  try {
    return script.runInContext(context, { timeout: timeoutMs }) as T;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw e;
    if (diagnosed === undefined) {
      const w = running[running.length - 1]!();
      diagnosed = new SpecError(tooLongMessage(w.what, limitMs), { handler: w.handler });
      if (w.action !== undefined) diagnosed.action = w.action;
    }
    throw diagnosed;
  } finally {
    running.length = depth;
    context.call = previous;
  }
}

/** The system with each call of the spec's code limited to `limitMs`; searched by the plain BFS/DFS. */
function limitedSystem<S>(system: TransitionSystem<S>, limitMs: number): TransitionSystem<S> {
  const props = <F extends (...a: never[]) => unknown>(kind: string, list: readonly { name: string; check: F }[]) =>
    list.map((p) => ({ ...p, check: ((...a: never[]) => limited(() => p.check(...a), limitMs, () => ({ what: `${kind} ${p.name}`, handler: p.name }))) as unknown as F }));
  const optional = <F extends (s: S) => unknown>(name: string, f: F | undefined): F | undefined =>
    f && (((s: S) => limited(() => f(s), limitMs, () => ({ what: name, handler: name }))) as F);
  return Object.create(system, {
    initialStates: { value: () => limited(() => system.initialStates(), limitMs, () => ({ what: 'init', handler: 'init' })) },
    successors: {
      value: (state: S, emit: Parameters<TransitionSystem<S>['successors']>[1]) => {
        currentCall.label = '';
        limited(
          () => system.successors(state, emit),
          limitMs,
          () => {
            const label = currentCall.label;
            return label ? { what: `action ${label}`, handler: label, action: label } : { what: 'an action', handler: 'successors' };
          },
          limitMs + expansionSlack(limitMs),
        );
      },
    },
    invariants: { value: props('invariant', system.invariants) },
    actionProperties: { value: props('action property', system.actionProperties) },
    sometimes: { value: props('sometimes', system.sometimes) },
    constraint: { value: optional('constraint', system.constraint) },
    done: { value: optional('done', system.done) },
    // The plain search, which calls the methods above (not the packed or coded one).
    packed: { value: undefined },
    codec: { value: undefined },
  }) as TransitionSystem<S>;
}

/**
 * The spec, compiled into systems whose every call of the spec's code is limited to
 * `limitMs`. `onCall` runs as each call starts (a watchdog's heartbeat: spec-thread.ts).
 */
export function withCallLimit(spec: Spec, limitMs: number, onCall?: () => void): Spec {
  if (onCall) beat = onCall;
  return Object.create(spec, {
    describe: { value: () => limited(() => spec.describe(), limitMs, () => ({ what: 'describing the spec (its actions and properties)', handler: 'describe' })) },
    compile: {
      value: (params: Record<string, unknown>, options?: Parameters<Spec['compile']>[1]) => {
        const named = Object.entries(params ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ');
        const what = `compiling the spec with params ${named || '(defaults)'} (the action domains, symmetry...)`;
        return limitedSystem(limited(() => spec.compile(params as never, options), limitMs, () => ({ what, handler: 'params' })), limitMs);
      },
    },
  }) as Spec;
}

/**
 * The spec, compiled into systems that call `onCall` before each expansion (and
 * before init): a heartbeat for a watchdog on the main thread, which then notices a
 * call of the spec's code that never returns without the cost of limiting each call
 * (spec-thread.ts; simulate). Everything else is the spec's own system.
 */
export function withHeartbeat(spec: Spec, onCall: () => void): Spec {
  return Object.create(spec, {
    compile: {
      value: (params: Record<string, unknown>, options?: Parameters<Spec['compile']>[1]) => {
        const system = spec.compile(params as never, options);
        return Object.create(system, {
          initialStates: { value: () => (onCall(), system.initialStates()) },
          successors: { value: (state: unknown, emit: Parameters<TransitionSystem<unknown>['successors']>[1]) => (onCall(), system.successors(state, emit)) },
        }) as TransitionSystem<unknown>;
      },
    },
  }) as Spec;
}

/**
 * A search wraps what a property threw ("invariant X threw: SpecError: invariant X ran
 * longer than…"): a result whose error is that says the message of the limit itself.
 * Read from the message: the search may call the spec again (a trace's replay) before
 * the result is reported, so `diagnosed` may be gone by then.
 */
export function unwrapTooLong<R extends { readonly error?: { readonly message: string } }>(result: R): R {
  const message = result.error?.message;
  const wrapped = ' threw: SpecError: '; // core/errors.ts's thrownError, around a SpecError
  const inner = message?.indexOf(wrapped) ?? -1;
  if (inner < 0 || !message!.endsWith(TOO_LONG)) return result;
  return { ...result, error: { ...result.error, message: message!.slice(inner + wrapped.length) } };
}
