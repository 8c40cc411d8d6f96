/**
 * The import graph of src/ has no cycles, and the simulated kernel is layered the way the
 * kernel is: the object layer (src/core/objects) knows nothing above it and reaches upward only
 * through ops tables registered by the layers above (struct bpf_map_ops, struct bpf_link_ops, the
 * prog-free hook), and src/core imports nothing outside src/core.
 *
 * Imports are read with the TypeScript compiler's own pre-processor, so `import type`,
 * `export … from` and dynamic `import()` all count.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  moduleSpecifiers as specifiers,
  sourceFiles,
  staticValueSpecifiers,
} from './testing/sourceTree';

const SRC = dirname(fileURLToPath(import.meta.url));

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** The source file a relative specifier names, or null (a package, CSS, YAML, `?raw`…). */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const candidate of [base, ...EXTENSIONS.map((ext) => stem + ext)]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) {
      return candidate;
    }
  }
  return null;
}

const rel = (path: string): string => relative(SRC, path).split(sep).join('/');

interface Edge {
  readonly to: string;
  readonly spec: string;
}

/** file (relative to src/) → the source files it imports (relative to src/). */
function importGraph(): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>();
  for (const file of sourceFiles(SRC)) {
    const edges: Edge[] = [];
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, spec);
      if (target && !edges.some((e) => e.to === rel(target))) edges.push({ to: rel(target), spec });
    }
    graph.set(rel(file), edges);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file that imports itself. */
function cycles(graph: ReadonlyMap<string, readonly Edge[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];

  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v);
    if (component.length > 1 || selfLoop) out.push(component.sort());
  };

  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return out;
}

/** One concrete loop inside a component, as `a -> b -> … -> a`, for the failure message. */
function loopIn(graph: ReadonlyMap<string, readonly Edge[]>, component: readonly string[]): string {
  const members = new Set(component);
  const start = component[0] ?? '';
  const path = [start];
  const seen = new Set([start]);
  let at = start;
  for (;;) {
    const next = (graph.get(at) ?? []).map((e) => e.to).filter((to) => members.has(to));
    const closing = next.find((to) => to === start);
    if (closing !== undefined) return [...path, start].join(' -> ');
    const fresh = next.find((to) => !seen.has(to));
    // Inside a strongly connected component every file reaches the start; follow an unseen
    // file while there is one, else any (the loop then closes on an earlier file).
    const step = fresh ?? next[0];
    if (step === undefined) return path.join(' -> ');
    if (seen.has(step)) return [...path.slice(path.indexOf(step)), step].join(' -> ');
    path.push(step);
    seen.add(step);
    at = step;
  }
}

function describeCycles(graph: ReadonlyMap<string, readonly Edge[]>): string {
  return cycles(graph)
    .map(
      (c, i) =>
        `import cycle ${i + 1} (${c.length} files):\n  ${c.join('\n  ')}\n  e.g. ${loopIn(graph, c)}`,
    )
    .join('\n');
}

/** Each import from a file under `fromDir` into a file under one of `toDirs`. */
function importsInto(
  graph: ReadonlyMap<string, readonly Edge[]>,
  fromDir: string,
  allowed: (to: string) => boolean,
): string[] {
  const out: string[] = [];
  for (const [file, edges] of graph) {
    if (!file.startsWith(fromDir + '/')) continue;
    for (const e of edges) if (!allowed(e.to)) out.push(`${file} imports ${e.spec} (${e.to})`);
  }
  return out;
}

/** Every file `from` reaches through value and type imports alike (itself excluded). */
function reachable(graph: ReadonlyMap<string, readonly Edge[]>, from: string): string[] {
  const seen = new Set<string>();
  const todo = [from];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    for (const { to } of graph.get(at) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        todo.push(to);
      }
    }
  }
  seen.delete(from);
  return [...seen].sort();
}

/**
 * Every file the page's entry (`main.tsx`) loads with it: static imports of values, followed
 * from file to file; `import type` and `import()` (loaded later) are not followed.
 */
function firstLoad(from: string): string[] {
  const seen = new Set<string>([from]);
  const todo = [from];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const file = resolve(SRC, at);
    for (const spec of staticValueSpecifiers(readFileSync(file, 'utf8'), file.endsWith('.tsx'))) {
      const target = resolveImport(file, spec);
      if (target && !seen.has(rel(target))) {
        seen.add(rel(target));
        todo.push(rel(target));
      }
    }
  }
  return [...seen].sort();
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('reads the whole tree, type-only imports, re-exports and import() included', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(specifiers("import type { A } from './a';")).toEqual(['./a']);
    expect(specifiers("export { b } from './b';\nexport type * from './c';")).toEqual([
      './b',
      './c',
    ]);
    expect(specifiers("const m = await import('./d');")).toEqual(['./d']);
    expect(specifiers("import './e';\nconst f = require('./f');")).toEqual(['./e', './f']);
    expect(graph.get('core/index.ts')?.map((e) => e.to)).toContain('core/machine.ts');
  });

  it('finds a cycle when there is one', () => {
    const looped = new Map<string, Edge[]>([
      ['a.ts', [{ to: 'b.ts', spec: './b' }]],
      ['b.ts', [{ to: 'c.ts', spec: './c' }]],
      ['c.ts', [{ to: 'a.ts', spec: './a' }]],
      ['d.ts', [{ to: 'a.ts', spec: './a' }]],
    ]);
    expect(cycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(describeCycles(looped)).toContain('a.ts -> b.ts -> c.ts -> a.ts');
    expect(cycles(new Map([['e.ts', [{ to: 'e.ts', spec: './e' }]]]))).toEqual([['e.ts']]);
  });

  it('has no cycles', () => {
    expect(describeCycles(graph), 'src/ must import without cycles').toBe('');
  });

  it('keeps the object layer below struct_ops, the subsystems, the syscalls and the revisions', () => {
    const above = ['core/structops/', 'core/subsys/', 'core/syscalls/', 'core/revisions/'];
    const offending = importsInto(
      graph,
      'core/objects',
      (to) => !above.some((d) => to.startsWith(d)),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the simulated kernel self-contained: src/core imports nothing outside src/core', () => {
    expect(importsInto(graph, 'core', (to) => to.startsWith('core/'))).toEqual([]);
  });

  it('keeps elkjs off the page: only the lane-order worker reaches the module that imports it', () => {
    const elk = [...graph.keys()].filter((f) =>
      specifiers(readFileSync(resolve(SRC, f), 'utf8')).some((s) => s.startsWith('elkjs')),
    );
    expect(elk).toEqual(['graph/elkOrder.ts']);
    expect(reachable(graph, 'main.tsx')).not.toContain('graph/elkOrder.ts');
    expect(reachable(graph, 'app/lanes/laneOrderWorker.ts')).toContain('graph/elkOrder.ts');
  });

  it('keeps the <structops-lab> element script small: it reaches neither the kernel nor the graph', () => {
    // dist/structops-lab.js is one classic script for any docs page; it frames the app and
    // needs none of it (a value import here once pulled the simulated kernel in with it).
    expect(reachable(graph, 'element/structops-lab.ts')).not.toEqual([]);
    const heavy = reachable(graph, 'element/structops-lab.ts').filter((f) =>
      ['core/', 'graph/toGraph', 'graph/layout', 'graph/story', 'store/', 'components/'].some((d) =>
        f.startsWith(d),
      ),
    );
    expect(heavy).toEqual([]);
  });

  it("keeps the simulated kernel off the page's first load: it loads with import() when used", () => {
    // Library scenarios and other revisions run in the scenario loader's worker; the console,
    // the compare view, the editor and the parser load the kernel or the parser on first use.
    expect(staticValueSpecifiers("import type { A } from './a';")).toEqual([]);
    expect(staticValueSpecifiers("import { type B, c } from './b';\nimport('./d');")).toEqual([
      './b',
    ]);
    expect(staticValueSpecifiers("export { type E } from './e';\nexport * from './f';")).toEqual([
      './f',
    ]);
    const loaded = firstLoad('main.tsx');
    expect(loaded).toContain('graph/toGraph.ts');
    const kernel = loaded.filter(
      (f) =>
        f === 'core/machine.ts' ||
        f === 'core/tx.ts' ||
        f === 'scenario/run.ts' ||
        f === 'scenario/parse.ts' ||
        f.startsWith('libbpf/') ||
        f.startsWith('core/syscalls/') ||
        f.startsWith('core/prog/'),
    );
    expect(kernel).toEqual([]);
  });
});
