// Golden files under test/golden/: `expectGolden(name, text)` compares text with
// test/golden/<name>; UPDATE_GOLDEN=1 (re)writes the file instead.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const goldenDir = fileURLToPath(new URL('../golden/', import.meta.url));

export function expectGolden(name: string, text: string): void {
  const file = path.join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === '1' || !fs.existsSync(file)) {
    if (!fs.existsSync(file) && process.env.CI) throw new Error(`golden file ${name} is missing (run the test with UPDATE_GOLDEN=1 to create it)`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return;
  }
  expect(text, `differs from test/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(fs.readFileSync(file, 'utf8'));
}

/** Width in columns of a line of plain text (every glyph faultline draws is one column). */
export function columns(line: string): number {
  return [...line].length;
}
