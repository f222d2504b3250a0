import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/cli/flags.js';

describe('--max-memory sizes', () => {
  it('parses units', () => {
    expect(parseSize('2g')).toBe(2 * 2 ** 30);
    expect(parseSize('512m')).toBe(512 * 2 ** 20);
    expect(parseSize('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseSize('100k')).toBe(102_400);
    expect(parseSize('4096')).toBe(4096);
  });
  it('rejects nonsense', () => {
    expect(() => parseSize('lots')).toThrow('--max-memory must be a size such as 2g or 512m, got "lots"');
    expect(() => parseSize('-1g')).toThrow();
  });
});
