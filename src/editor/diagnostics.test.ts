import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import {
  countProblems,
  issueRange,
  issuesToDiagnostics,
  lineStarts,
  tokenEnd,
} from './diagnostics';

const LIB = new URL('../scenario/library/', import.meta.url);
const ebusy = readFileSync(new URL('teach-ebusy.yaml', LIB), 'utf8');

/** The text an issue at line:column marks. */
function marked(text: string, line: number, column: number): string {
  const r = issueRange(text, lineStarts(text), line, column);
  return text.slice(r.from, r.to);
}

describe('issueRange', () => {
  const text = "format: 1\nsteps:\n  - op: asoc\n    say: 'a b: c'\n    by: [1, 2]\n";

  it('marks a key up to its colon', () => {
    expect(marked(text, 2, 1)).toBe('steps');
    expect(marked(text, 3, 5)).toBe('op');
  });

  it('marks a plain value to its end', () => {
    expect(marked(text, 3, 9)).toBe('asoc');
  });

  it('marks a quoted value with its quotes, colon and blanks inside', () => {
    expect(marked(text, 4, 10)).toBe("'a b: c'");
  });

  it('stops a flow item at a comma or bracket', () => {
    expect(marked(text, 5, 10)).toBe('1');
  });

  it('marks the rest of the line when the column points at blanks', () => {
    expect(marked('a:    b c  \n', 1, 3)).toBe('    b c');
  });

  it('clamps a column past the end of the line to an empty range at its end', () => {
    const r = issueRange(text, lineStarts(text), 1, 99);
    expect(r).toEqual({ from: 9, to: 9 });
  });

  it('clamps lines outside the text and nonsense numbers', () => {
    const starts = lineStarts(text);
    expect(issueRange(text, starts, 999, 1).from).toBe(text.length);
    expect(issueRange(text, starts, 0, 0)).toEqual({ from: 0, to: 6 });
    expect(issueRange(text, starts, Number.NaN, Number.NaN)).toEqual({ from: 0, to: 6 });
    expect(issueRange('', [0], 3, 3)).toEqual({ from: 0, to: 0 });
  });

  it('ends a double-quoted value after escaped quotes', () => {
    const t = 'say: "a \\" b" x\n';
    expect(tokenEnd(t, 5, t.length - 1)).toBe(13);
    expect(marked("say: 'it''s' x\n", 1, 6)).toBe("'it''s'");
  });
});

describe('issuesToDiagnostics', () => {
  it("underlines the parser's problems where they are, with their line:column", () => {
    const text = ebusy.replace('  - op: assoc\n', '  - op: asoc\n').replace('id: ', 'idd: ');
    const r = parseScenario(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const diags = issuesToDiagnostics(text, r.issues);
    const shown = diags.map((d) => [d.place, text.slice(d.from, d.to), d.message]);
    const opLine = text.split('\n').findIndex((l) => l === '  - op: asoc') + 1;
    expect(shown).toContainEqual([
      `${opLine}:9`,
      'asoc',
      expect.stringContaining("unknown op 'asoc'"),
    ]);
    expect(shown).toContainEqual(['3:1', 'idd', expect.stringContaining("unknown key 'idd'")]);
    for (const d of diags) {
      expect(d.severity).toBe('error');
      expect(d.from).toBeLessThanOrEqual(d.to);
      expect(d.to).toBeLessThanOrEqual(text.length);
    }
  });

  it('keeps every range inside the text for YAML syntax errors and hostile input', () => {
    const inputs = [
      'a: [1, 2\nb: "unterminated\n',
      '\u0000\u0001\uffff: \u0007\n- - -\n',
      'a: &x [*x]\n',
      `${'['.repeat(2000)}`,
      'x'.repeat(300 * 1024),
    ];
    for (const text of inputs) {
      const r = parseScenario(text);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      for (const d of issuesToDiagnostics(text, r.issues)) {
        expect(d.from).toBeGreaterThanOrEqual(0);
        expect(d.from).toBeLessThanOrEqual(d.to);
        expect(d.to).toBeLessThanOrEqual(text.length);
      }
    }
  });
});

describe('countProblems', () => {
  it('says how many', () => {
    expect(countProblems(0)).toBe('No problems');
    expect(countProblems(1)).toBe('1 problem');
    expect(countProblems(12)).toBe('12 problems');
  });
});
