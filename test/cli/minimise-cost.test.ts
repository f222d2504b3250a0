// A trace costs what the search costs (issue 18, item 2): the fault-minimising
// searches are bounded by the check's own size unless --minimise faults, run only
// when an output shows the trace, report progress, and the stats line gives the
// command's whole time with its parts.
import { describe, expect, it, vi } from 'vitest';
import type { Spec } from '../../src/core/types.js';
import { check } from '../../src/check/check.js';
import { shrinkFaults } from '../../src/trace/shrink.js';
import { MINIMISE_MIN_STATES, minimiseBounds, traceProducts, traceShownBy } from '../../src/cli/report/trace-outputs.js';
import { checkSpecFile, type JobSettings } from '../../src/cli/jobs.js';
import endless from '../trace/fixtures/endless.js';
import shortcut from '../trace/fixtures/shortcut.js';
import { faultline } from './run.js';

// A spy on the shrinker: every call of withMinimised (what traceProducts calls) is counted.
const spy = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/trace/shrink.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../src/trace/shrink.js')>();
  return {
    ...orig,
    withMinimised: (...args: Parameters<typeof orig.withMinimised>) => {
      spy.calls++;
      return orig.withMinimised(...args);
    },
  };
});

const ENDLESS = 'test/trace/fixtures/endless.ts';
const SHORTCUT = 'test/trace/fixtures/shortcut.ts';

const settings: JobSettings = { params: {}, strategy: 'bfs', typecheck: false, progress: false, color: false, requireComplete: false, saveTrace: false };

describe('which outputs make the fault-minimal trace worth searching for', () => {
  it('the terminal report, --junit, --annotations and trace files do; --json alone and --trace none do not', () => {
    expect(traceShownBy({})).toBe(true);
    expect(traceShownBy({ trace: 'compact' })).toBe(true);
    expect(traceShownBy({ trace: 'none' })).toBe(false);
    expect(traceShownBy({ json: true })).toBe(false);
    expect(traceShownBy({ json: true, junit: 'r.xml' })).toBe(true);
    expect(traceShownBy({ json: true, annotations: 'github' })).toBe(true);
    expect(traceShownBy({ trace: 'none', junit: 'r.xml' })).toBe(false);
    for (const file of [{ traceOut: 't.json' }, { mermaid: 't.mmd' }, { html: 't.html' }]) {
      expect(traceShownBy({ trace: 'none', ...file })).toBe(true);
      expect(traceShownBy({ json: true, ...file })).toBe(true);
    }
  });

  it('traceProducts never calls the shrinker when nothing shows the trace (a spec whose minimisation never ends)', () => {
    const spec = endless as unknown as Spec;
    const result = check(spec);
    expect(result.verdict).toBe('violation');
    const before = spy.calls;
    // --minimise faults would never end here; were it called, the 2 s bound ends it (and the spy sees it).
    const out = traceProducts(spec, result, { minimiseSearch: 'full', minimiseTimeMs: 2000, traceShown: false });
    expect(spy.calls).toBe(before);
    expect(out.result.violation!.minimised).toBeUndefined();
    expect(out.minimiseMs).toBeUndefined();
  });

  it('traceProducts does call it when the trace is shown', () => {
    const spec = shortcut as unknown as Spec;
    const before = spy.calls;
    const out = traceProducts(spec, check(spec), { traceShown: true });
    expect(spy.calls).toBe(before + 1);
    expect(out.result.violation!.minimised).toMatchObject({ faults: 0, proven: true });
    expect(out.minimiseMs).toBeGreaterThanOrEqual(0);
  });

  it('a checked spec file: no shrinker, no minimised trace, no minimise time in the JSON document', async () => {
    const before = spy.calls;
    const o = await checkSpecFile(0, ENDLESS, { ...settings, trace: { minimiseSearch: 'full', minimiseTimeMs: 2000, traceShown: false } });
    expect(spy.calls).toBe(before);
    expect(o.exit).toBe(1);
    expect((o.json.violation as Record<string, unknown>).minimised).toBeUndefined();
    const timing = o.json.timing as Record<string, number>;
    expect(timing.minimiseMs).toBeUndefined();
    expect(timing.searchMs).toBe(o.result.stats.durationMs);
    expect(timing.totalMs).toBeGreaterThanOrEqual(timing.searchMs + timing.prepareMs!);
    expect(o.plain).toMatch(/depth 3, [\d.]+ s in all: load [\d.]+ s, search [\d.]+ s \([\d,]+ distinct states\/s\)\n/);
  });
});

describe('the bounds of the fault-minimising searches', () => {
  it('--minimise on: the check’s own size in states (at least 50,000), a time backstop; faults: --max-time only', () => {
    expect(minimiseBounds('bounded', { distinctStates: 10, durationMs: 5 })).toMatchObject({ stateBudget: MINIMISE_MIN_STATES, maxTimeMs: 10_000 });
    expect(minimiseBounds('bounded', { distinctStates: 2_000_000, durationMs: 60_000 })).toMatchObject({ stateBudget: 2_000_000, maxTimeMs: 60_000 });
    expect(minimiseBounds('bounded', { distinctStates: 10, durationMs: 5 }, { maxTimeMs: 3000 }).maxTimeMs).toBe(3000);
    expect(minimiseBounds('full', { distinctStates: 10, durationMs: 5 })).toMatchObject({ maxTimeMs: Infinity });
    expect(minimiseBounds('full', { distinctStates: 10, durationMs: 5 }).stateBudget).toBeUndefined();
    expect(minimiseBounds('full', { distinctStates: 10, durationMs: 5 }, { maxTimeMs: 3000 })).toMatchObject({ maxTimeMs: 3000 });
  });

  it('a state budget ends the searches, deterministically, and the result says it is not proven and how to prove it', () => {
    const spec = endless as unknown as Spec;
    const result = check(spec);
    const system = spec.compile(result.params);
    const out = shrinkFaults(system, result.violation!, { stateBudget: 500, maxTimeMs: Infinity, unprovenHint: '--minimise faults searches to the end' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.minimised).toMatchObject({ proven: false, sameAsShortest: true, distinctStates: 500 });
    expect(out.minimised.unproven).toBe(
      'the searches with at most 0 fault(s) stopped before they were complete (at the state bound); --minimise faults searches to the end',
    );
  });

  it('reports progress while it runs (here every poll: interval 0)', () => {
    const spec = endless as unknown as Spec;
    const result = check(spec);
    const seen: { budget: number; faults: number; distinctStates: number }[] = [];
    shrinkFaults(spec.compile(result.params), result.violation!, { stateBudget: 3000, maxTimeMs: Infinity, progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ budget: 0, faults: 1 });
    expect(seen.at(-1)!.distinctStates).toBeGreaterThan(seen[0]!.distinctStates);
  });
});

describe('progress of the fewest-faults search', () => {
  it('a checked spec file sends its progress lines through the job (a busy worker’s own stderr would hold them back)', async () => {
    const lines: string[] = [];
    const o = await checkSpecFile(0, ENDLESS, { ...settings, trace: { minimiseSearch: 'full', minimiseTimeMs: 500, minimiseProgressMs: 0 } }, { onStderr: (l) => lines.push(l) });
    expect(o.exit).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^faultline: endless: looking for a trace with fewer faults \(at most 0 of the shortest trace's 1\): [\d,]+ distinct states, [\d.]+ s \(--minimise off skips this\)\n$/);
  });
});

describe('check from the command line', () => {
  it('--json alone and --trace none skip the search (--minimise faults would never end on this spec)', () => {
    // (--max-time bounds it too: were it run, it would end and show in the report.)
    const json = faultline(['check', ENDLESS, '--no-typecheck', '--minimise', 'faults', '--max-time', '5', '--json']);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.violation.minimised).toBeUndefined();
    expect(doc.timing.minimiseMs).toBeUndefined();
    const none = faultline(['check', ENDLESS, '--no-typecheck', '--minimise', 'faults', '--max-time', '5', '--trace', 'none']);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/s in all: load [\d.]+ s, search [\d.]+ s \([\d,]+ distinct states\/s\)\n/);
    expect(none.stdout).not.toContain('fewest-faults search');
  });

  it('by default the search stops at the check’s own size and says so; the stats line gives its time apart', () => {
    const r = faultline(['check', ENDLESS, '--no-typecheck', '--no-chart']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Counterexample (3 steps, 1 fault, shortest):');
    expect(r.stdout).toMatch(
      /shortest: 3 steps, 1 fault; no trace with fewer faults found \(the searches with at most 0 fault\(s\) stopped before they were complete \(at the (state|time) bound\); --minimise on stops at the check's own size \(50,000 states\); --minimise faults searches to the end\)/,
    );
    expect(r.stdout).toMatch(/s in all: load [\d.]+ s, search [\d.]+ s \([\d,]+ distinct states\/s\), fewest-faults search [\d.]+ s\n/);
  });

  it('a spec that does not count faults (a core spec) has no fewest-faults search to time', () => {
    const r = faultline(['check', 'specs/diehard.ts', '--no-typecheck']);
    expect(r.code).toBe(0); // expect met
    expect(r.stdout).toMatch(/depth 6, [\d.]+ s in all: load [\d.]+ s, search [\d.]+ s \([\d,]+ distinct states\/s\)\n/);
  });

  it('--json with a trace file keeps violation.minimised and its time', () => {
    const r = faultline(['check', SHORTCUT, '--no-typecheck', '--json', '--mermaid', '/dev/null']);
    const doc = JSON.parse(r.stdout);
    expect(doc.violation.minimised).toMatchObject({ steps: 4, faults: 0, proven: true });
    expect(doc.timing.minimiseMs).toBeGreaterThanOrEqual(0);
    expect(doc.timing.searchMs).toBe(doc.stats.durationMs);
  });
});
