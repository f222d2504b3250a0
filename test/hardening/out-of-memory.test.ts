// Issue 19 (leftover of item 4): a spec whose code allocates more than its job worker's
// heap can hold made V8 abort the whole `check` process (exit 134, no JSON, no JUnit,
// V8's native stack on stderr); so did simulate. Each worker that runs the spec's code
// now runs in a process of its own (src/cli/worker-process.ts): the abort ends that
// process, the spec is an error (exit 2) naming its params, and the other specs and
// every report are complete.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';

const HUGE = 'test/fixtures/hardening/one-huge-allocation.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-oom-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What V8 prints when it aborts a process for lack of heap. */
const V8_DUMP = /FATAL ERROR|Last few GCs|Native stack trace/;

describe('check: a spec that exhausts its heap', () => {
  it('V8 aborting the job (heap limit below --max-memory): exit 2, the params named, the other spec, JSON and JUnit complete', () => {
    const junit = path.join(tmp, 'abort.xml');
    // Node's own heap limit of 300 MB caps the job worker's heap far below --max-memory
    // 2g: the 512 MB array fails in the heap, which V8 answers by aborting the process.
    const r = faultline(['check', HUGE, 'specs/diehard.ts', '--jobs', '1', '--no-typecheck', '--max-memory', '2g', '--json', '--junit', junit], {
      NODE_OPTIONS: '--max-old-space-size=300',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(V8_DUMP);
    const doc = JSON.parse(r.stdout) as { results: { spec: string; verdict: string; error?: { message: string } }[] };
    expect(doc.results.map((x) => [x.spec, x.verdict])).toEqual([
      ['one-huge-allocation', 'error'],
      ['diehard', 'violation'],
    ]);
    expect(doc.results[0]!.error!.message).toMatch(/^the check of test\/fixtures\/hardening\/one-huge-allocation\.ts ran out of memory \(params elements=64000000 \(the spec's defaults\)\): its JavaScript heap is limited to \d+ MB/);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="one-huge-allocation"');
    expect(xml).toContain('<testsuite name="diehard"');
  });

  it('the job process reaching --max-memory while the spec compiles (-p rms=100000000): exit 2 naming the params and the memory', () => {
    const r = faultline(['check', 'specs/two-phase.ts', '-p', 'rms=100000000', '--no-typecheck', '--max-memory', '400m', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(V8_DUMP);
    const doc = JSON.parse(r.stdout) as { verdict: string; error?: { message: string } };
    expect(doc.verdict).toBe('error');
    expect(doc.error!.message).toMatch(
      /^the check of specs\/two-phase\.ts ran out of memory \(params rms=100000000 \(set by -p; default 3\)\): its process reached \d+ MB, --max-memory 400 MB, while the spec's own code was running/,
    );
  });

  it('simulate, V8 aborting its worker: exit 2, a spec error naming the params', () => {
    const r = faultline(['simulate', HUGE, '--no-typecheck', '--max-memory', '2g', '--json'], { NODE_OPTIONS: '--max-old-space-size=300' });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(V8_DUMP);
    const doc = JSON.parse(r.stdout) as { verdict: string; error?: { message: string } };
    expect(doc.verdict).toBe('error');
    expect(doc.error!.message).toMatch(/^the simulation of test\/fixtures\/hardening\/one-huge-allocation\.ts ran out of memory \(the spec's default params\): its JavaScript heap is limited to \d+ MB/);
  });
});
