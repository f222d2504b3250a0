// Golden terminal traces (plain text, no colour) of catalogue specs, the protocol
// example and a core spec, and the sequence chart of a 6-node, 40-step walk.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../src/core/errors.js';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { traceModel } from '../../src/trace/model.js';
import { renderChart } from '../../src/trace/render/chart.js';
import { renderCounterexample } from '../../src/trace/render/counterexample.js';
import { renderWorldSteps } from '../../src/trace/render/world-steps.js';
import { withMinimised } from '../../src/trace/shrink.js';
import { columns, expectGolden } from './golden.js';
import diehard from '../../specs/diehard.js';
import lease from '../../specs/protocol-examples/lease.js';
import leasePause from '../../specs/lease-pause.buggy.js';
import splitBrain from '../../specs/split-brain.buggy.js';
import retryPayment from '../../specs/retry-payment.buggy.js';
import failureDetector from '../../specs/failure-detector.buggy.js';
import ring6 from './fixtures/ring6.js';

const plain = new Chalk({ level: 0 });

function counterexample(spec: Spec, faults?: Record<string, number>, detail: 'compact' | 'full' = 'compact'): string {
  const result = withMinimised(spec, check(spec, { faults }), { faults });
  expect(result.verdict).toBe('violation');
  const system = spec.compile(result.params, { faults });
  return renderCounterexample(result.violation!, { color: plain, system, detail, origin: 'shortest' }).join('\n') + '\n';
}

describe('terminal trace (golden, plain)', () => {
  const cases: [string, Spec, Record<string, number>?][] = [
    ['lease-pause.buggy', leasePause as unknown as Spec],
    ['split-brain.buggy', splitBrain as unknown as Spec],
    ['retry-payment.buggy', retryPayment as unknown as Spec],
    ['failure-detector.buggy', failureDetector as unknown as Spec],
    ['protocol-examples-lease.pause1', lease as unknown as Spec, { pause: 1 }],
  ];
  for (const [name, spec, faults] of cases) {
    it(name, () => {
      const text = counterexample(spec, faults);
      expectGolden(`trace/${name}.txt`, text);
      // Fits 100 columns (the chart is indented by 2), except the property's own message.
      for (const line of text.split('\n')) if (!line.startsWith('  ✗ ')) expect(columns(line), line).toBeLessThanOrEqual(100);
    });
  }

  it('full detail shows every change, values whole', () => {
    const text = counterexample(lease as unknown as Spec, { pause: 1 }, 'full');
    expectGolden('trace/protocol-examples-lease.pause1.full.txt', text);
    expect(text).toContain('- in flight Acquire client1→lock (delivered)');
    expect(text).toContain('time: 0 → 1');
  });

  it('a core spec keeps the plain step list (no chart)', () => {
    const text = counterexample(diehard as unknown as Spec);
    expectGolden('trace/diehard.txt', text);
    expect(text).not.toContain('Sequence chart');
    expect(text).toContain('  1  FillBig');
  });
});

/** A deterministic walk: at step i, successor (7i + 3) mod n. */
function walk(spec: Spec, steps: number): { trace: TraceStep[]; system: ReturnType<Spec['compile']> } {
  const system = spec.compile(spec.params, {});
  const trace: TraceStep[] = [{ action: null, state: system.initialStates()[0] }];
  for (let i = 1; i <= steps; i++) {
    const succ: TraceStep[] = [];
    system.successors(trace[i - 1]!.state, (next, _a, l) => succ.push({ action: typeof l === 'function' ? l() : l, state: next }));
    if (succ.length === 0) break;
    trace.push(succ[(i * 7 + 3) % succ.length]!);
  }
  return { trace, system };
}

describe('sequence chart', () => {
  it('6 nodes and 40 steps fit 100 columns, with every kind of marker', () => {
    const { trace, system } = walk(ring6 as unknown as Spec, 40);
    expect(trace).toHaveLength(41);
    const model = traceModel(trace, { system });
    const chart = renderChart(trace, model, { color: plain, width: 100 });
    const steps = renderWorldSteps(trace, model, { color: plain });
    expectGolden('chart/ring6-walk40.txt', [...steps, '', ...chart].join('\n') + '\n');
    for (const line of chart) expect(columns(line), line).toBeLessThanOrEqual(100);
    const text = chart.join('\n');
    for (const mark of ['✗crash', '↻restart', '◷ping', '▶', '◀', '≈', 'heal', '×2', '╌']) expect(text).toContain(mark);
    // One row per step (a run of ticks would share one), plus the header and the initial lanes.
    expect(chart).toHaveLength(2 + 40);
  });

  it('message lives: sent, delivered, dropped, duplicated', () => {
    const { trace, system } = walk(ring6 as unknown as Spec, 40);
    const model = traceModel(trace, { system });
    const dropped = model.messages.filter((m) => m.end === 'dropped');
    expect(dropped.length).toBe(2);
    const dup = model.messages.find((m) => m.duplicateOf !== undefined)!;
    expect(dup.sentAt).toBe(model.messages[dup.duplicateOf!]!.sentAt);
    for (const s of model.steps) if (s.verb === 'deliver') expect(model.messages[s.delivered!]!.endAt).toBe(s.index);
  });

  it('colour is only decoration: the coloured chart has the plain one as its text', () => {
    const { trace, system } = walk(ring6 as unknown as Spec, 12);
    const model = traceModel(trace, { system });
    const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
    const coloured = renderChart(trace, model, { color: new Chalk({ level: 1 }) });
    expect(coloured.map(strip)).toEqual(renderChart(trace, model, { color: plain }));
    expect(coloured.join('')).toMatch(/\u001b\[/);
  });
});
