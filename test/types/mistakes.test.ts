// One type mistake gives one type error (issue 18, item 4). The fixtures are the
// election of test/fixtures/types/election.ts, once correct and once per mistake a new
// user made in a trial; each is type-checked as the user's own `tsc --noEmit` does under
// the tsconfig that `tsc --init` writes (strict, declaration emit on), importing
// faultline from its built declarations (dist/, as from the installed package).
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { faultline, root } from '../cli/run.js';

/** What `tsc --init` (TypeScript 5.9) writes, less the options that concern emit only. */
const options: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ESNext,
  types: [],
  strict: true,
  declaration: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: true,
  noEmit: true,
};

const fixture = (name: string) => path.join(root, 'test/fixtures', name);
const mistakes = ['unknown-protocol-key', 'unknown-role-key', 'unknown-handler-key', 'union-typo', 'wrong-field-type', 'send-typo'];
const files = [fixture('types/election.ts'), fixture('types/phases.ts'), ...[...mistakes, 'spec-unknown-key'].map((m) => fixture(`bad/types/${m}.ts`))];

// One program for all of them (the libraries are read once). Declaration diagnostics
// are asked for too: TS2742 ("cannot be named without a reference to …/define.js") is one.
const program = ts.createProgram(files, options);
function errors(file: string): { code: number; text: string }[] {
  const source = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source), ...program.getDeclarationDiagnostics(source)]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({ code: d.code, text: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
}

describe('the types of protocol()', () => {
  it('accept a literal-union field set without `as const`, and spread-built mutable arrays', () => {
    expect(errors(fixture('types/election.ts'))).toEqual([]);
  });

  it.each([
    ['unknown-protocol-key', /^Type .* is not assignable to type 'NotAKey<"protocol\(\) has no key 'invariant' \(did you mean 'invariants'\?\)">/],
    ['unknown-role-key', /^Type .* is not assignable to type 'NotAKey<"a role has no key 'timer' \(did you mean 'timers'\?\)">/],
    ['unknown-handler-key', /^Type .* is not assignable to type .*NotAKey<"a handler for no message type: 'Voet'">/],
    ['union-typo', /Types of property 'role' are incompatible\.\n\s*Type '"lader"' is not assignable to type '"follower" \| "candidate" \| "leader"'/],
    ['wrong-field-type', /Types of property 'term' are incompatible\.\n\s*Type 'string' is not assignable to type 'number'/],
    ['send-typo', /^Type '"Voted"' is not assignable to type '"RequestVote" \| "Vote"'/],
  ])('%s: exactly one error, naming the mistake', (name, names) => {
    const found = errors(fixture(`bad/types/${name}.ts`));
    expect(found.map((e) => e.text)).toHaveLength(1);
    expect(found[0]!.text).toMatch(names);
  });
});

describe('the types of spec()', () => {
  it('accept a literal-union field set without `as const`, in one successor or a list', () => {
    expect(errors(fixture('types/phases.ts'))).toEqual([]);
  });

  it('give one error for an unknown key, naming it', () => {
    const found = errors(fixture('bad/types/spec-unknown-key.ts'));
    expect(found).toHaveLength(1);
    expect(found[0]!.text).toMatch(/^Type .* is not assignable to type 'NotAKey<"spec\(\) has no key 'invariant' \(did you mean 'invariants'\?\)">/);
  });
});

describe('`faultline check` on a mistake', () => {
  it('prints the one error', () => {
    const r = faultline(['check', 'test/fixtures/bad/types/unknown-role-key.ts']);
    expect(r.code).toBe(2); // a spec error
    expect(r.stdout + r.stderr).toContain('does not type-check (1 error;');
    expect(r.stdout + r.stderr).toContain(`a role has no key 'timer' (did you mean 'timers'?)`);
  });
});
