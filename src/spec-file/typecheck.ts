// Type-checks a spec file with the TypeScript compiler API before it is loaded, so
// a typo in a message type or a state field is reported before any search.
import path from 'node:path';
import ts from 'typescript';
import { isJavaScript } from './format.js';

export interface TypeDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** TypeScript's error number (TS1295 → 1295); 0 for faultline's own. */
  readonly code: number;
}

const defaults: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  allowImportingTsExtensions: true,
};

/** The compiler options of the spec's nearest tsconfig.json, or strict defaults. */
function optionsFor(file: string): ts.CompilerOptions {
  const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
  if (!config) return defaults;
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) return defaults;
  // Named, so that `types` and type roots resolve from the config's folder, not from
  // wherever faultline was started (else: "Cannot find type definition file for 'node'").
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config), undefined, config);
  return { ...parsed.options, skipLibCheck: true };
}

/** Errors in the spec file and the project files it imports (not in node_modules). */
export function typecheckSpec(file: string): TypeDiagnostic[] {
  return typecheckSpecs([file]).get(file) ?? [];
}

/**
 * Type-checks several spec files in one compiler program (most of the cost is the
 * shared libraries, paid once). Each file gets its own errors plus those in the
 * project files outside node_modules that are not themselves specs (shared libs).
 */
export function typecheckSpecs(files: readonly string[]): Map<string, TypeDiagnostic[]> {
  const result = new Map<string, TypeDiagnostic[]>(files.map((f) => [f, []]));
  if (files.length === 0) return result;
  const base = optionsFor(files[0]!);
  // A JavaScript spec is checked as JavaScript (its JSDoc and what it calls), not refused
  // for want of the allowJs the project never needed.
  const js = files.some(isJavaScript) ? { allowJs: true, checkJs: base.checkJs ?? true } : {};
  const options = { ...base, ...js, noEmit: true, allowImportingTsExtensions: true };
  const program = ts.createProgram([...files], options);
  const byName = new Map(files.map((f) => [path.resolve(f), f]));
  const shared: TypeDiagnostic[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) {
      shared.push({ file: files[0]!, line: 0, column: 0, message, code: d.code });
      continue;
    }
    if (d.file.fileName.includes('/node_modules/')) continue;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const diagnostic = { file: d.file.fileName, line: line + 1, column: character + 1, message, code: d.code };
    const root = byName.get(path.resolve(d.file.fileName));
    if (root !== undefined) result.get(root)!.push(diagnostic);
    else shared.push(diagnostic);
  }
  for (const errors of result.values()) errors.push(...shared);
  return result;
}

/**
 * TS1286/1287/1295: `import`/`export` in a file that the package makes CommonJS while the
 * tsconfig sets verbatimModuleSyntax — what `npm init -y` followed by `tsc --init` gives.
 * The user's own tsc refuses these files too, so faultline says what to change.
 */
const ESM_SYNTAX_IN_COMMONJS = new Set([1286, 1287, 1295]);
const ESM_SYNTAX_IN_COMMONJS_FIX =
  '  fix: this package is CommonJS ("type" in package.json is not "module") and tsconfig.json sets verbatimModuleSyntax, so `import`/`export` are refused here; name the spec `.mts`, or set "type": "module" in package.json, or turn verbatimModuleSyntax off';

/** The one-paragraph error for a spec that does not type-check. */
export function typeErrorMessage(file: string, errors: readonly TypeDiagnostic[]): string {
  const shown = errors
    .slice(0, 10)
    .map((d) => `  ${path.relative(process.cwd(), d.file)}:${d.line}:${d.column} ${d.message.split('\n').join('\n    ')}`);
  const more = errors.length > 10 ? [`  … and ${errors.length - 10} more`] : [];
  const fix = errors.some((d) => ESM_SYNTAX_IN_COMMONJS.has(d.code)) ? [ESM_SYNTAX_IN_COMMONJS_FIX] : [];
  return `spec ${file} does not type-check (${errors.length} error${errors.length > 1 ? 's' : ''}; --no-typecheck skips this):\n${[...shown, ...more, ...fix].join('\n')}`;
}
