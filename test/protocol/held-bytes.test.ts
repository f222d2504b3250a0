// The bytes a state that the reports give (bench/measure.js, the CLI's summary) count the
// interned parts by what their tables say they hold: measured in a fresh process with
// gc exposed, those figures must stay near the heap's own.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

describe('interned parts: the bytes reported are the bytes held', () => {
  test('node records, ghost histories and in-flight lists: within 15% of the heap after gc', () => {
    const script = fileURLToPath(new URL('./fixtures/held-bytes.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' });
    const kinds = JSON.parse(out) as Record<string, { reported: number; real: number }>;
    expect(Object.keys(kinds)).toEqual(['records', 'histories', 'inFlight']);
    for (const [kind, { reported, real }] of Object.entries(kinds)) {
      expect(real, kind).toBeGreaterThan(20_000 * 30); // 20,000 parts each: at least 30 bytes a part held
      expect(reported / real, kind).toBeGreaterThan(0.85);
      expect(reported / real, kind).toBeLessThan(1.15);
    }
  }, 60_000);
});
