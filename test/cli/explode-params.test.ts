// Issue 18, item 4: a param that makes the state space explode is named. When a
// search stops at --max-states, --max-memory or --max-time, or its worker runs out
// of heap, the message gives the params in force and which ones -p set.
import { describe, expect, it } from 'vitest';
import { paramsInForce } from '../../src/cli/report/params-note.js';
import { faultline } from './run.js';

const HOG = 'test/fixtures/hardening/heap-hog.ts';

describe('paramsInForce', () => {
  it('puts the -p ones first, with their defaults', () => {
    expect(paramsInForce({ nodes: 3, maxTime: 40 }, { maxTime: 40 }, { nodes: 3, maxTime: 6 })).toBe('params maxTime=40 (set by -p; default 6) nodes=3');
    expect(paramsInForce({ nodes: ['a', 'b'] }, {}, { nodes: ['a', 'b'] })).toBe("params nodes=a,b (the spec's defaults)");
    expect(paramsInForce({}, {}, {})).toBe('no params (the spec has none to make smaller)');
  });
});

describe('a search stopped by a bound names the params', () => {
  it('--max-states: the params in force, the one -p set first', () => {
    const r = faultline(['check', HOG, '--no-typecheck', '-p', 'width=6', '--max-states', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('heap-hog (test/fixtures/hardening/heap-hog.ts)  params: width=6 limit=3');
    expect(r.stdout).toContain(
      '⚠ INCOMPLETE — stopped at the state bound (--max-states 50) before exploring every state, with params width=6 (set by -p; default 2) limit=3. No violation found so far',
    );
  });

  it("without -p it says they are the spec's defaults (not `params: none`)", () => {
    const r = faultline(['check', HOG, '--no-typecheck', '--max-states', '5', '--json']);
    expect(JSON.parse(r.stdout).incomplete.message).toBe("stopped at the state bound (--max-states 5) before exploring every state, with params width=2 limit=3 (the spec's defaults)");
  });

  it('a job worker that runs out of heap: the params in force and which -p set', () => {
    const r = faultline(['check', HOG, '--no-typecheck', '-p', 'width=5000', '--max-memory', '256m']);
    expect(r.code).toBe(2);
    // Whichever comes first, the job process's share of --max-memory while the spec's code runs or its heap limit.
    expect(r.stdout).toContain(`✗ spec error: the check of ${HOG} ran out of memory (params width=5000 (set by -p; default 2) limit=3): its `);
    expect(r.stdout).toMatch(/its (process reached \d+ MB, --max-memory 256 MB|JavaScript heap is limited to 256 MB)/);
  });
});
