import { Chalk } from 'chalk';
import spec from '/work/main/test/trace/fixtures/ring6.js';
import { traceModel } from '/work/main/src/trace/model.js';
import { renderChart } from '/work/main/src/trace/render/chart.js';
import { renderWorldSteps } from '/work/main/src/trace/render/world-steps.js';
const system = spec.compile(spec.params, {});
const trace: any[] = [{ action: null, state: system.initialStates()[0] }];
for (let i = 1; i <= 40; i++) {
  const succ: any[] = [];
  system.successors(trace[i - 1].state, (n: any, _a: any, l: any) => succ.push({ action: typeof l === 'function' ? l() : l, state: n }));
  if (succ.length === 0) break;
  trace.push(succ[(i * 7 + 3) % succ.length]);
}
const model = traceModel(trace, { system });
const c = new Chalk({ level: 0 });
console.log(renderWorldSteps(trace, model, { color: c }).join('\n'));
console.log(renderChart(trace, model, { color: c, width: 100 }).join('\n'));
