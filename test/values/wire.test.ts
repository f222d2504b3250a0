import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromWire, internalize, toWire } from '../../src/values/wire.js';

describe('wire: strings from another thread', () => {
  it('come back as the same values', () => {
    const v = { status: 'working', peers: ['n1', 'n2'], '__proto__x': 'p', '7': 'seven' };
    expect(fromWire(structuredClone(toWire(v)))).toEqual(v);
    expect(internalize('__proto__')).toBe('__proto__');
    expect(internalize('42')).toBe('42');
  });

  // A copied string is compared character by character against a spec's literals
  // (V8's StringEqual): 1 s of two-phase rms=8 with 2 workers before fromWire
  // internalized them. The fixture's `copied` shows the copy is not internalized.
  it('are internalized, as a spec literal is', () => {
    const script = fileURLToPath(new URL('./fixtures/internalized-strings.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ copied: false, status: true, peers: [true, true], equal: true });
  });
});
