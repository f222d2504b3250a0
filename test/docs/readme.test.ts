// The README's spec examples are real spec files: each TypeScript block that imports
// faultline must appear verbatim in a file under specs/, which the tests check.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../cli/run.js';

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /from 'faultline'/.test(b));

function specFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? specFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

describe('README examples', () => {
  const sources = specFiles(path.join(root, 'specs')).map((f) => fs.readFileSync(f, 'utf8'));
  it('has spec examples', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  blocks.forEach((block, i) => {
    it(`example ${i + 1} is a spec file in specs/`, () => {
      expect(sources.some((s) => s.includes(block.trim()))).toBe(true);
    });
  });
});
