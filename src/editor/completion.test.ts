import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suggestionsAt } from './completion';

const ebusy = readFileSync(
  new URL('../scenario/library/teach-ebusy.yaml', import.meta.url),
  'utf8',
);

/** Suggestions where `|` is in `withBar`. */
function at(withBar: string) {
  const pos = withBar.indexOf('|');
  return suggestionsAt(withBar.slice(0, pos) + withBar.slice(pos + 1), pos);
}
const labels = (r: ReturnType<typeof at>) => r?.options.map((o) => o.label) ?? [];

describe('suggestionsAt, in a library scenario', () => {
  const inStep = (line: string, insert: string) => {
    const i = ebusy.indexOf(line);
    if (i < 0) throw new Error(`no line ${line}`);
    const end = i + line.length;
    return at(`${ebusy.slice(0, end)}${insert}${ebusy.slice(end)}`);
  };

  it('offers the keys an assoc step still lacks, replacing the typed word', () => {
    // The first assoc step has prog, map, say, notes and expect: flags and chapter are left.
    const r = inStep('    map: map_a\n', '    fl|\n');
    expect(labels(r)).toEqual(['flags', 'chapter']);
    expect(r?.prefix).toBe('fl');
    expect((r?.to ?? 0) - (r?.from ?? 0)).toBe(2);
  });

  it('offers the programs and maps the objects define', () => {
    expect(labels(inStep('    map: map_a\n', '    flags: 0\n    as: |\n'))).toEqual([]);
    const progs = labels(at(ebusy.replace('    prog: helper\n', '    prog: |\n')));
    expect(progs).toEqual(['test_1_a', 'test_1_b', 'helper']);
    expect(labels(at(ebusy.replace('    map: map_a\n', '    map: map_|\n')))).toEqual([
      'map_a',
      'map_b',
    ]);
  });

  it('offers errno names for an expected return', () => {
    const r = at(ebusy.replace('      ret: 0\n', '      ret: -EB|\n'));
    expect(labels(r)).toContain('EBUSY');
    expect(r?.prefix).toBe('-EB');
  });
});

describe('suggestionsAt, on text being written', () => {
  it('a new file: the top-level keys', () => {
    expect(labels(at('|'))).toEqual([
      'format',
      'id',
      'title',
      'summary',
      'kernel',
      'processes',
      'objects',
      'focus',
      'steps',
    ]);
  });

  it('a map with a struct_ops type: its keys; its struct: the struct_ops types', () => {
    const text = 'objects:\n  o:\n    maps:\n      m:\n        type: struct_ops\n        |\n';
    expect(labels(at(text))).toEqual(['section', 'struct', 'members', 'autoattach']);
    expect(labels(at(text.replace('        |', '        struct: |')))).toContain('sched_ext_ops');
  });

  it('nothing inside prose, or on hostile text', () => {
    expect(at('steps:\n  - op: drain\n    say: the |')).toBeNull();
    expect(labels(at('__proto__: |\n'))).toEqual([]);
    expect(labels(at('steps:\n  - constructor: 1\n    |'))).toEqual([
      'op',
      'say',
      'caption',
      'notes',
      'chapter',
      'expect',
    ]);
  });
});
