import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_NESTING } from './limits';
import { parseDocument } from 'yaml';
import { parseNested, tooDeepAt } from './nesting';
import { parseScenario } from './parse';

const LIB = new URL('./library/', import.meta.url);

describe('tooDeepAt', () => {
  it('lets every library scenario through, with room to spare', () => {
    for (const f of readdirSync(LIB).filter((x) => x.endsWith('.yaml'))) {
      const text = readFileSync(new URL(f, LIB), 'utf8');
      expect(tooDeepAt(text, 16), f).toBeNull();
    }
  });

  it('finds where flow collections, sequence dashes or indentation go too deep', () => {
    // A line's first token opens a block level: one, then four brackets make five.
    expect(tooDeepAt('['.repeat(10), 4)).toBe(3);
    // The line, `a:`, then five `{` (a `:` inside braces is no level of its own).
    expect(tooDeepAt(`a: ${'{b: '.repeat(10)}`, 6)).toBe(19);
    expect(tooDeepAt(`x: 1\n${'- '.repeat(10)}y`, 5)).toBe(13);
    const stairs = Array.from({ length: 10 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    // Ten block levels, and the last line's `:`.
    expect(tooDeepAt(stairs, 11)).toBeNull();
    expect(tooDeepAt(stairs, 10)).toBe(stairs.lastIndexOf(':'));
    expect(tooDeepAt('[[[]]], [[[]]], [[[]]]\n', 4)).toBeNull();
  });

  it('counts JSON by its brackets: a scenario on one line is no deeper than its YAML', () => {
    for (const f of readdirSync(LIB).filter((x) => x.endsWith('.yaml'))) {
      const r = parseScenario(readFileSync(new URL(f, LIB), 'utf8'));
      if (!r.ok) throw new Error(`${f} does not parse`);
      expect(tooDeepAt(JSON.stringify(r.scenario), 16), f).toBeNull();
      expect(tooDeepAt(JSON.stringify(r.scenario, null, 2), 16), f).toBeNull();
    }
  });

  it('does not count brackets inside quotes, block text or comments', () => {
    const text = `a: "[[[[[[[[["\nb: '{{{{{{{{'\nc: |\n  [[[[[[[[[[\n# [[[[[[[[[[\n`;
    expect(tooDeepAt(text, 4)).toBeNull();
  });
});

describe('parseScenario on deeply nested text', () => {
  it('refuses it at the place it gets too deep, however often it is asked', () => {
    // Parsed again and again (as the editor does on every change), such text used to exhaust
    // the stack inside the YAML library, and could take the whole process down with it.
    for (let i = 0; i < 30; i++) {
      for (const text of ['['.repeat(4000), `steps:\n${'- '.repeat(4000)}x`, '{a: '.repeat(3000)]) {
        const r = parseScenario(text);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.issues).toHaveLength(1);
        expect(r.issues[0]?.message).toContain(`more than ${MAX_SCENARIO_NESTING} levels`);
      }
    }
    const r = parseScenario(`format: 1\nsteps:\n  - ${'['.repeat(100)}`);
    expect(r.ok ? null : r.issues[0]).toMatchObject({
      line: 3,
      column: 4 + MAX_SCENARIO_NESTING - 2,
    });
  });
});

describe('parseNested', () => {
  const options = { uniqueKeys: true, strict: true } as const;

  it('gives the document parseDocument gives, for every library scenario and odd text', () => {
    const texts = readdirSync(LIB)
      .filter((x) => x.endsWith('.yaml'))
      .map((f) => readFileSync(new URL(f, LIB), 'utf8'));
    texts.push('a: 1\na: 2\n', 'x: [1, 2\n', 'k: &a 1\nj: *a\n', '', '# only a comment\n');
    for (const text of texts) {
      const r = parseNested(text, MAX_SCENARIO_NESTING, options);
      if (!('doc' in r)) throw new Error('a library scenario is not too deep');
      const want = parseDocument(text, { ...options, prettyErrors: false });
      expect(r.doc.toJS()).toEqual(want.toJS());
      expect(r.doc.errors.map((e) => [e.code, e.pos])).toEqual(
        want.errors.map((e) => [e.code, e.pos]),
      );
    }
  });

  it('says a second document is one too many, as parseDocument does', () => {
    const r = parseNested('a: 1\n---\nb: 2\n', MAX_SCENARIO_NESTING, options);
    expect('doc' in r && r.doc.errors.map((e) => e.code)).toEqual(['MULTIPLE_DOCS']);
  });

  it('stops where tooDeepAt says, before composing anything', () => {
    for (const text of [
      '['.repeat(100_000),
      `steps:\n${'- '.repeat(50_000)}x`,
      `a: ${'{b: '.repeat(9)}`,
    ]) {
      const r = parseNested(text, 6, options);
      expect(r).toEqual({ tooDeepAt: tooDeepAt(text, 6) });
      expect(tooDeepAt(text, 6)).not.toBeNull();
    }
  });
});
