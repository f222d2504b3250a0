import spec from '/work/main/test/trace/fixtures/ring6.js';
import { isWorld } from '/work/main/src/trace/model.js';
import { kindOf } from '/work/main/src/values/kinds.js';
const system = spec.compile(spec.params, {});
const s: any = system.initialStates()[0];
console.log(isWorld(s), Object.keys(s), kindOf(s), Object.getPrototypeOf(s) === Object.prototype, typeof s.time, Array.isArray(s.inFlight), kindOf(s.nodes));
