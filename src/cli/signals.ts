// SIGINT and SIGTERM from the first instruction: bin/faultline.js installs this
// before it loads the rest of the CLI, so a signal during start-up or type-checking
// is remembered (not fatal) and `check` still reports every spec as not checked,
// with exit 130 / 143. A command that handles signals itself takes them over with
// onSignal(); the others exit at once with 130 / 143.

export type StopSignal = 'SIGINT' | 'SIGTERM';

export const signalExit = (sig: StopSignal): number => (sig === 'SIGTERM' ? 143 : 130);

let received: StopSignal | undefined;
let handler: ((sig: StopSignal) => void) | undefined;
let installed = false;
const onInt = (): void => on('SIGINT');
const onTerm = (): void => on('SIGTERM');

function on(sig: StopSignal): void {
  if (handler) return handler(sig);
  if (received !== undefined) process.exit(signalExit(sig)); // a second one while starting up
  received = sig;
}

/** Installs the process's SIGINT/SIGTERM listeners (idempotent). */
export function installSignalLatch(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
}

/**
 * Gives signals back to Node's default (the process dies at once): for commands that
 * run the spec's code on the main thread (list, replay), where a JavaScript listener
 * could not run while that code spins.
 */
export function releaseSignals(): void {
  if (!installed) return;
  installed = false;
  process.off('SIGINT', onInt);
  process.off('SIGTERM', onTerm);
}

/** The signal received before any command took signals over, if any. */
export function earlySignal(): StopSignal | undefined {
  return received;
}

/** Routes signals to `h` (undefined: back to remembering them); returns whether the latch is installed. */
export function onSignal(h: ((sig: StopSignal) => void) | undefined): boolean {
  handler = h;
  return installed;
}
