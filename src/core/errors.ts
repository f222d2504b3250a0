// Errors in the user's spec (as opposed to bugs in faultline). Each names where it
// happened; the explorer adds the trace that reached the state.

const SPEC_ERROR = Symbol.for('faultline.specError');

export interface TraceStep {
  readonly action: string | null;
  readonly state: unknown;
}

export class SpecError extends Error {
  readonly [SPEC_ERROR] = true;
  file?: string;
  role?: string;
  handler?: string;
  /** The trace from an initial state to the state where the error happened. */
  trace?: TraceStep[];
  /** The label of the transition being taken when it happened, if any. */
  action?: string;

  constructor(message: string, site: { role?: string; handler?: string; cause?: unknown } = {}) {
    super(message, site.cause === undefined ? undefined : { cause: site.cause });
    this.name = 'SpecError';
    this.role = site.role;
    this.handler = site.handler;
  }
}

export function isSpecError(e: unknown): e is SpecError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[SPEC_ERROR] === true;
}

/** A message for an arbitrary thrown value. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : e.name + ': '}${e.message}`;
  // Anything can be thrown, even a value String() cannot convert (Object.create(null)).
  try {
    return String(e);
  } catch {
    try {
      return `a value that is not an Error (${JSON.stringify(e) ?? typeof e})`;
    } catch {
      return `a value that is not an Error (${typeof e})`;
    }
  }
}

/**
 * What user code threw, as a SpecError naming it ("invariant X threw: …"). A SpecError
 * thrown inside is wrapped too (cli/call-limit.ts's unwrapTooLong reads that wording).
 */
export function thrownError(what: string, site: { role?: string; handler: string }, e: unknown): SpecError {
  return new SpecError(`${what} threw: ${describeThrown(e)}`, { ...site, cause: e });
}
