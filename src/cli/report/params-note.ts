// Which params a search that ran out of room was checked with, and which of them the
// command line set: the state space grows with the params, so the one to make
// smaller is usually one the user raised with -p.
import type { ParamValue } from '../../core/types.js';

function text(v: ParamValue | undefined): string {
  return Array.isArray(v) ? v.join(',') : String(v);
}

/**
 * `params maxTime=40 (set by -p; default 6) nodes=3 timeout=3`, or `no params`. `given`
 * are the -p values, `defaults` the spec's own.
 */
export function paramsInForce(
  inForce: Readonly<Record<string, ParamValue>>,
  given: Readonly<Record<string, ParamValue>>,
  defaults: Readonly<Record<string, ParamValue>>,
): string {
  const names = Object.keys(inForce);
  if (names.length === 0) return 'no params (the spec has none to make smaller)';
  // The ones set by -p first: they are the likely cause.
  const set = names.filter((k) => k in given);
  const rest = names.filter((k) => !(k in given));
  const parts = [
    ...set.map((k) => `${k}=${text(inForce[k])} (set by -p; default ${text(defaults[k])})`),
    ...rest.map((k) => `${k}=${text(inForce[k])}`),
  ];
  return `params ${parts.join(' ')}${set.length === 0 ? " (the spec's defaults)" : ''}`;
}
