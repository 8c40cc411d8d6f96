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
