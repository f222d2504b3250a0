// The label of the action a spec is running, kept up to date by the compiled
// system (one property store per action call: too cheap to measure), so that when
// an action never returns, the watchdog's diagnosis can say which one and with
// which arguments (src/cli/call-limit.ts).
export const currentCall = { label: '' };
