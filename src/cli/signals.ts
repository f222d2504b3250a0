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

/** Installs the process's SIGINT/SIGTERM listeners (idempotent). */
export function installSignalLatch(): void {
  if (installed) return;
  installed = true;
  const on = (sig: StopSignal): void => {
    if (handler) return handler(sig);
    if (received !== undefined) process.exit(signalExit(sig)); // a second one while starting up
    received = sig;
  };
  process.on('SIGINT', () => on('SIGINT'));
  process.on('SIGTERM', () => on('SIGTERM'));
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
