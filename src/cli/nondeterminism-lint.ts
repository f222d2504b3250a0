// A static warning for a spec whose source reads a clock, randomness or the
// environment: an action, init or property doing that is nondeterministic, which the
// search detects only when a re-executed expansion happens to differ (determinism.ts).
// A warning, not an error: the call may sit outside the actions (a param default).
import fs from 'node:fs';

const SOURCES: readonly [RegExp, string][] = [
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/\bcrypto\.\w+/, 'crypto'],
  [/\bprocess\.env\b/, 'process.env'],
];

/** Blanks comments and string contents, keeping line numbers. */
function code(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, '')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, (m) => m[0] + ' '.repeat(Math.max(0, m.length - 2)) + m[0]);
}

/** `file:line: reads X` for each use in the spec file's own source. */
export function nondeterminismWarnings(file: string): string[] {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = code(source).split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    for (const [re, what] of SOURCES) {
      if (re.test(line)) {
        out.push(
          `warning: ${file}:${i + 1} reads ${what}: if an action, init or property calls it, the spec is nondeterministic ` +
            '(each state must have the same successors every time); model time and choices in the state instead',
        );
      }
    }
  });
  return out;
}
