/**
 * Reading src/ as a tree of modules, for the tests that check its structure
 * (src/architecture.test.ts, src/core/purity.test.ts).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Every non-test .ts/.tsx file under `dir` (declaration files left out), sorted. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      if (!/\.tsx?$/.test(name) || /\.d\.ts$/.test(name)) return [];
      return /\.test\.tsx?$/.test(name) ? [] : [path];
    });
}

/**
 * Every module specifier of `text`, read by the TypeScript compiler's own pre-processor:
 * static imports, `import type`, `export … from`, side-effect imports, `import()` and
 * `require()`.
 */
export function moduleSpecifiers(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/**
 * The module specifiers of `text` whose code loads with it: static imports and `export … from`
 * that bring in a value, or that run the module (`import './x'`). Left out: `import type`,
 * imports and re-exports of types only, and `import()` (which loads later, on demand).
 */
export function staticValueSpecifiers(text: string, tsx = false): string[] {
  const source = ts.createSourceFile(
    tsx ? 'x.tsx' : 'x.ts',
    text,
    ts.ScriptTarget.Latest,
    false,
    tsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: string[] = [];
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const typesOnly =
        clause !== undefined &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!typesOnly) out.push(st.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(st) &&
      st.moduleSpecifier &&
      ts.isStringLiteral(st.moduleSpecifier) &&
      !st.isTypeOnly
    ) {
      const clause = st.exportClause;
      const typesOnly =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      if (!typesOnly) out.push(st.moduleSpecifier.text);
    }
  }
  return out;
}
