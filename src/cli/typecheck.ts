// Type-checks a spec file with the TypeScript compiler API before it is loaded, so
// a typo in a message type or a state field is reported before any search.
import path from 'node:path';
import ts from 'typescript';

export interface TypeDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
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
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(config));
  return { ...parsed.options, skipLibCheck: true };
}

/** Errors in the spec file and the project files it imports (not in node_modules). */
export function typecheckSpec(file: string): TypeDiagnostic[] {
  const options = { ...optionsFor(file), noEmit: true, allowImportingTsExtensions: true };
  const program = ts.createProgram([file], options);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const out: TypeDiagnostic[] = [];
  for (const d of diagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) {
      out.push({ file, line: 0, column: 0, message });
      continue;
    }
    if (d.file.fileName.includes('/node_modules/')) continue;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    out.push({ file: d.file.fileName, line: line + 1, column: character + 1, message });
  }
  return out;
}
