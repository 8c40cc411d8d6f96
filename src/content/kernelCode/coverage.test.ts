/**
 * The pseudo-code is content keyed by the kernel function names the core's events carry: every
 * function the core runs code in (`tx.in(name, file, …)`) has its paraphrase, in the file the
 * core names, and every paraphrase names a kernel file the core knows.
 */
/// <reference types="vite/client" />
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step } from '../../core/machine';
import type { KEvent } from '../../core/tx';
import { cmdArb, initialState, toOps } from '../../testing/kernelCommands';
import * as files from '../../core/files';
import { KERNEL_FILES } from '../../core/files';
import { KERNEL_CODE, kernelCodeOf } from '.';

/** The core's sources (tests excluded), by path. */
const CORE_SOURCES: Readonly<Record<string, string>> = import.meta.glob<string>(
  ['../../core/**/*.ts', '!../../core/**/*.test.ts'],
  { query: '?raw', import: 'default', eager: true },
);

/** The value of a `src/core/files.ts` constant, or the text of a string literal. */
function fileOf(arg: string): string | null {
  const literal = /^'([^']*)'$/.exec(arg);
  if (literal) return literal[1] ?? null;
  if (!Object.hasOwn(files, arg)) return null;
  const v: unknown = (files as Record<string, unknown>)[arg];
  return typeof v === 'string' ? v : null;
}

interface Site {
  readonly source: string;
  readonly fn: string;
  readonly file: string | null;
  readonly arg: string;
}

/** Every `tx.in('name', FILE` with a literal name in the core. */
function frameSites(): Site[] {
  const out: Site[] = [];
  for (const [source, text] of Object.entries(CORE_SOURCES))
    for (const m of text.matchAll(/\.in\(\s*'([^']+)',\s*([A-Z_]+|'[^']*')/g)) {
      const fn = m[1] ?? '';
      const arg = m[2] ?? '';
      out.push({ source, fn, file: fileOf(arg), arg });
    }
  return out;
}

describe('kernel pseudo-code as content of the core', () => {
  const sites = frameSites();

  it('finds the functions the core runs code in', () => {
    expect(Object.keys(CORE_SOURCES).length).toBeGreaterThan(30);
    expect(sites.length).toBeGreaterThan(80);
    expect(sites.map((s) => s.fn)).toContain('bpf_prog_assoc_struct_ops');
  });

  it('names a kernel file at every site, one the core lists', () => {
    const bad = sites.filter((s) => s.file === null || !KERNEL_FILES.has(s.file));
    expect(bad.map((s) => `${s.source}: ${s.fn} in ${s.arg}`)).toEqual([]);
  });

  it('has a paraphrase for every function the core runs code in, in the same file', () => {
    const missing = sites.filter((s) => kernelCodeOf(s.fn, s.file) === null);
    expect(missing.map((s) => `${s.source}: ${s.fn}`)).toEqual([]);
    const elsewhere = sites.filter((s) => {
      const c = KERNEL_CODE.get(s.fn);
      return c !== undefined && c.file !== s.file;
    });
    expect(
      elsewhere.map(
        (s) => `${s.fn}: core ${s.file ?? '?'}, paraphrase ${KERNEL_CODE.get(s.fn)?.file ?? '?'}`,
      ),
    ).toEqual([]);
  });

  it('names a kernel file the core lists in every paraphrase', () => {
    const bad = [...KERNEL_CODE.values()].filter((c) => !KERNEL_FILES.has(c.file));
    expect(bad.map((c) => `${c.fn}: ${c.file}`)).toEqual([]);
  });
});

describe('kernel pseudo-code for every frame of random command sequences', () => {
  /** Every (function, file) on the stack of every event of 200 random sequences. */
  function framesOfRandomRuns(): Map<string, string | null> {
    const seen = new Map<string, string | null>();
    const note = (e: KEvent) =>
      e.stack.forEach((fn, i) => {
        const file = i === e.stack.length - 1 ? e.file : null;
        if (!seen.has(fn) || (seen.get(fn) === null && file !== null)) seen.set(fn, file);
      });
    const initial = initialState();
    const runs = fc.sample(fc.array(cmdArb, { maxLength: 30, size: 'max' }), {
      numRuns: 200,
      seed: 20251206,
    });
    for (const cmds of runs) {
      let s = initial;
      for (const c of cmds) for (const op of toOps(s, c)) s = step(s, op, note).state;
      step(s, { op: 'settle' }, note);
    }
    return seen;
  }

  it('finds a paraphrase for every function on every stack', () => {
    const seen = framesOfRandomRuns();
    expect(seen.size).toBeGreaterThan(60);
    const missing = [...seen].filter(([fn, file]) => kernelCodeOf(fn, file) === null);
    expect(missing.map(([fn, file]) => `${fn} (${file ?? 'outer frame'})`)).toEqual([]);
  });
});
