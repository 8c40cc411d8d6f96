/**
 * The simulated kernel is pure and deterministic: no module under src/core imports a UI
 * library or the UI world, touches the DOM, reads a clock, draws random numbers or schedules
 * real timers. The lint rules say so too; this makes it a test.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moduleSpecifiers as specifiers, sourceFiles } from '../testing/sourceTree';

const CORE = dirname(fileURLToPath(import.meta.url));
const SRC = resolve(CORE, '..');

/** Comments removed, so a doc comment may name what the code must not use. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

const UI_PACKAGES = /^(react|react-dom|zustand|d3)(\/|$)|^d3-/;
const UI_DIRS = ['components', 'store', 'graph', 'd3'].map((d) => join(SRC, d));

/** Why a specifier imported from `file` is forbidden, or null. */
function forbiddenImport(file: string, spec: string): string | null {
  if (UI_PACKAGES.test(spec)) return `imports the UI package ${spec}`;
  if (spec.startsWith('.')) {
    const target = resolve(dirname(file), spec);
    const dir = UI_DIRS.find((d) => target === d || target.startsWith(d + sep));
    if (dir) return `imports ${spec}, which is under src/${relative(SRC, dir)}`;
  } else if (/(^|\/)(components|store|graph|d3)(\/|$)/.test(spec) && !spec.startsWith('node:')) {
    return `imports ${spec}, which names the UI world`;
  }
  return null;
}

const FORBIDDEN_GLOBALS: readonly [string, RegExp][] = [
  ['window', /\bwindow\b/],
  ['document', /\bdocument\b/],
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['setTimeout', /\bsetTimeout\b/],
];

const files = sourceFiles(CORE);

describe('src/core is pure', () => {
  it('finds the core modules', () => {
    const names = files.map((f) => relative(CORE, f));
    expect(names).toContain('machine.ts');
    expect(names).toContain(join('structops', 'assoc.ts'));
    expect(names.some((n) => n.endsWith('.test.ts'))).toBe(false);
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))(
    '%s imports nothing from the UI world',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const bad = specifiers(text).flatMap((s) => forbiddenImport(file, s) ?? []);
      expect(bad).toEqual([]);
    },
  );

  it.each(files.map((f) => [relative(SRC, f), f]))(
    '%s uses no DOM, clock, randomness or real timers',
    (_name, file) => {
      const text = code(readFileSync(file, 'utf8'));
      const bad = FORBIDDEN_GLOBALS.filter(([, re]) => re.test(text)).map(([name]) => name);
      expect(bad).toEqual([]);
    },
  );

  it('the checks catch what they look for (sanity)', () => {
    const file = join(CORE, 'x.ts');
    const verdicts = [
      "import { useState } from 'react';",
      "import type { StoreApi } from 'zustand/vanilla';",
      "import * as d3 from 'd3';",
      "import { select } from 'd3-selection';",
      "export { Graph } from '../graph/Graph';",
      "import '../components/App';",
      "const Store = await import('../store/index');",
      "import { ok } from './errno';",
      "import type { Tx } from '../tx';",
    ].map((line) => specifiers(line).some((s) => forbiddenImport(file, s) !== null));
    expect(verdicts).toEqual([true, true, true, true, true, true, true, false, false]);
    const uses = code(
      [
        'const t = Date.now();',
        'const r = Math.random();',
        'window.alert(1);',
        'document.title = "x";',
        'performance.now();',
        'setTimeout(() => 0, 1);',
        '// Date.now() in a comment is fine',
      ].join('\n'),
    );
    expect(FORBIDDEN_GLOBALS.filter(([, re]) => re.test(uses)).map(([n]) => n)).toEqual([
      'window',
      'document',
      'Date.now',
      'Math.random',
      'performance.now',
      'setTimeout',
    ]);
    expect(code('// uses Date.now() only in a comment\n/* window */ const x = 1;')).not.toMatch(
      /Date|window/,
    );
  });
});
