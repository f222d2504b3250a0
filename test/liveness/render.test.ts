// Lassos in every renderer, on the checker's own counterexamples: the terminal trace
// (the ↻ line right after the last step, then the property and why the loop is fair),
// the sequence chart (a final ↻ row), Mermaid (a note) and HTML (a .loop line). Golden
// files under test/golden/liveness/ hold the whole output; the structure is asserted
// too, so that rewriting a golden cannot hide a lost marker.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.js';
import type { Spec } from '../../src/core/types.js';
import type { CheckResult } from '../../src/explore/types.js';
import { traceModel } from '../../src/trace/model.js';
import { renderChart } from '../../src/trace/render/chart.js';
import { renderCounterexample } from '../../src/trace/render/counterexample.js';
import { renderHtml } from '../../src/trace/render/html.js';
import { renderMermaid } from '../../src/trace/render/mermaid.js';
import { columns, expectGolden } from '../trace/golden.js';
import toggle from '../fixtures/liveness/toggle.js';
import lossyRequest from '../../specs/lossy-request.buggy.js';
import splitVote from '../../specs/split-vote.buggy.js';

const plain = new Chalk({ level: 0 });

function lasso(spec: Spec): { r: CheckResult; system: ReturnType<Spec['compile']> } {
  const r = check(spec, { ignoreExpect: true });
  expect(r.violation?.kind).toBe('liveness');
  expect(r.violation?.loop).toBeTypeOf('number');
  return { r, system: spec.compile(r.params) };
}

function terminal(spec: Spec): { text: string; lines: string[]; r: CheckResult } {
  const { r, system } = lasso(spec);
  const lines = renderCounterexample(r.violation!, { color: plain, system, origin: 'shortest', width: 100 });
  return { text: lines.join('\n') + '\n', lines, r };
}

describe('the terminal trace of a lasso', () => {
  it('a core loop (toggle): the ↻ line follows the last step, then the property and the fairness lines', () => {
    const { text, lines } = terminal(toggle);
    expectGolden('liveness/toggle.txt', text);
    const loopAt = lines.findIndex((l) => l.startsWith('  ↻ '));
    expect(lines[loopAt]).toBe('  ↻ back to step 0: step 2 is step 0 again, so steps 1–2 repeat forever');
    expect(lines[loopAt - 1]).toBe('        x: 1 → 0'); // the last step's change, nothing unchanged
    expect(lines[loopAt + 1]).toMatch(/^ {2}✗ finished: finished never holds/);
    expect(lines.slice(loopAt + 2)).toEqual([
      '    fairness: per instance; weak: Flip',
      '    taken on the loop: Flip',
      '    every fair action enabled all along the loop is taken on it; unfair actions and faults are never obliged to happen',
    ]);
  });

  it('a protocol that halts (lossy-request.buggy): "stays at step 1 forever", and the chart ends with its ↻ row', () => {
    const { text, lines } = terminal(lossyRequest);
    expectGolden('liveness/lossy-request.buggy.txt', text);
    expect(lines[1]).toBe('Counterexample (1 step, 1 fault, shortest, halts and stays):');
    expect(lines).toContain('  ↻ stays at step 1 forever: nothing fair is left to happen there (the behaviour stutters)');
    expect(lines[lines.length - 1]).toMatch(/^\s+↻\s+┄+│┄ stays here forever\s+│┄+$/);
  });

  it('a protocol loop after a stem (split-vote.buggy): back to step 2, the chart row says so, the chart fits 100 columns', () => {
    const { text, lines, r } = terminal(splitVote);
    expectGolden('liveness/split-vote.buggy.txt', text);
    expect(r.violation!.loop).toBe(2);
    expect(r.violation!.trace).toHaveLength(21);
    expect(lines).toContain('  ↻ back to step 2: step 20 is step 2 again, so steps 3–20 repeat forever');
    expect(lines[lines.length - 1]).toMatch(/↻ +┄+│┄ back to 2, forever +│┄+$/);
    const chart = lines.slice(lines.indexOf('Sequence chart:'));
    for (const l of chart) expect(columns(l), l).toBeLessThanOrEqual(100);
  });
});

describe('the chart, Mermaid and HTML of a lasso', () => {
  it('renderChart: the ↻ row is the last, after step n, naming the loop', () => {
    const { r, system } = lasso(splitVote);
    const trace = r.violation!.trace;
    const model = traceModel(trace, { system });
    const rows = renderChart(trace, model, { color: plain, width: 98, loop: 2 });
    expect(rows[rows.length - 2]).toMatch(/^\s*20 /);
    expect(rows[rows.length - 1]).toContain('back to 2, forever');
    const without = renderChart(trace, model, { color: plain, width: 98 });
    expect(without).toEqual(rows.slice(0, -1)); // the row is all the loop adds
  });

  it('Mermaid: a note over every participant after the last message', () => {
    const { r, system } = lasso(splitVote);
    const trace = r.violation!.trace;
    const text = renderMermaid(trace, traceModel(trace, { system }), { title: 'split-vote.buggy: leaderElected violated', violation: { property: 'leaderElected', message: r.violation!.message }, loop: 2 });
    expectGolden('liveness/split-vote.buggy.mmd', text);
    const lines = text.trimEnd().split('\n');
    const note = lines.findIndex((l) => l.includes('↻'));
    expect(lines[note]).toBe('  Note over node1,node2: ↻ back to step 2: steps 3–20 repeat forever');
    expect(lines.slice(0, note).some((l) => l.includes('->>'))).toBe(true);
    expect(lines.slice(note + 1).some((l) => l.includes('->>'))).toBe(false);
  });

  it('Mermaid of a core lasso: the note is over the spec', () => {
    const { r, system } = lasso(toggle);
    const trace = r.violation!.trace;
    const text = renderMermaid(trace, traceModel(trace, { system }), { loop: r.violation!.loop });
    expect(text).toContain('  Note over spec: ↻ back to step 0: steps 1–2 repeat forever\n');
  });

  it('HTML: the .loop line after the steps, escaped, before the verdict', () => {
    for (const [spec, note] of [
      [splitVote, '↻ back to step 2: steps 3–20 repeat forever'],
      [lossyRequest, '↻ stays at step 1 forever'],
    ] as const) {
      const { r, system } = lasso(spec);
      const trace = r.violation!.trace;
      const html = renderHtml(trace, traceModel(trace, { system }), { title: 't', violation: { property: r.violation!.property, message: r.violation!.message }, loop: r.violation!.loop });
      expect(html).toContain(`</ol><div class="loop">${note}</div><div class="verdict">✗ ${r.violation!.property}: `);
      expect(html.match(/class="loop"/g)).toHaveLength(1);
    }
  });
});
