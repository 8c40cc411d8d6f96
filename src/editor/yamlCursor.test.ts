import { describe, expect, it } from 'vitest';
import { CURSOR_MARK, yamlCursorAt } from './yamlCursor';

/** The cursor context where `|` is (the bar is taken out of the text). */
function at(withBar: string) {
  const pos = withBar.indexOf('|');
  return yamlCursorAt(withBar.slice(0, pos) + withBar.slice(pos + 1), pos);
}

const STEPS = 'format: 1\nsteps:\n  - op: assoc\n    prog: p\n';

describe('yamlCursorAt', () => {
  it('a key at the top level', () => {
    const c = at('format: 1\nti|\nsteps: []\n');
    expect(c).toMatchObject({ kind: 'key', path: [], prefix: 'ti', keyHasColon: false });
    expect([...(c?.present ?? [])]).toEqual(['format', 'steps']);
  });

  it("a key of a step, with the step's scalar entries (its op) for the schema to choose", () => {
    const c = at(`${STEPS}    ma|\n    say: hi\n`);
    expect(c).toMatchObject({ kind: 'key', path: ['steps', 0], prefix: 'ma' });
    expect(c?.levels[2]?.get('op')).toBe('assoc');
    expect(c?.levels[2]?.has(CURSOR_MARK)).toBe(false);
    expect([...(c?.present ?? [])].sort()).toEqual(['op', 'prog', 'say']);
  });

  it('the first key of a new step after a dash', () => {
    expect(at(`${STEPS}  - |\n`)).toMatchObject({ kind: 'key', path: ['steps', 1], prefix: '' });
    expect(at(`${STEPS}  - o|\n`)).toMatchObject({ kind: 'key', path: ['steps', 1], prefix: 'o' });
  });

  it('a key of a nested mapping, by indentation', () => {
    const c = at(`${STEPS}    expect:\n      r|\n`);
    expect(c).toMatchObject({ kind: 'key', path: ['steps', 0, 'expect'] });
  });

  it('a key in a flow mapping', () => {
    expect(at(`${STEPS}    expect: { ret: 0, st| }\n`)).toMatchObject({
      kind: 'key',
      path: ['steps', 0, 'expect'],
      prefix: 'st',
    });
  });

  it('a key being renamed keeps its colon, and the whole word is replaced', () => {
    const text = `${STEPS}    ma|xx: m\n`;
    const c = at(text);
    expect(c).toMatchObject({ kind: 'key', keyHasColon: true, prefix: 'ma' });
    expect((c?.to ?? 0) - (c?.from ?? 0)).toBe('maxx'.length);
  });

  it('the value of a key', () => {
    expect(at(`${STEPS}  - op: |\n`)).toMatchObject({ kind: 'value', path: ['steps', 1, 'op'] });
    expect(at(`${STEPS}    expect: { ret: -EB| }\n`)).toMatchObject({
      kind: 'value',
      path: ['steps', 0, 'expect', 'ret'],
      prefix: '-EB',
    });
    expect(at('kernel:\n  revision: v|\n')).toMatchObject({
      kind: 'value',
      path: ['kernel', 'revision'],
    });
  });

  it('nowhere in comments, prose or block scalars', () => {
    expect(at(`${STEPS}    # a comment wi|\n`)).toBeNull();
    expect(at(`${STEPS}    say: some te|\n`)).toBeNull();
    expect(at(`${STEPS}    say: >-\n      folded te|xt\n      mo|`)).toBeNull();
    expect(at(`${STEPS}    say: >-\n      fo|lded text\n`)).toBeNull();
  });

  it('survives hostile text', () => {
    expect(at(`${'x: '.repeat(10)}\n${'x'.repeat(300 * 1024)}|`)).toBeNull();
    expect(() => at(`${'['.repeat(5000)}\n|`)).not.toThrow();
    const bomb = `a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c]\n|`;
    expect(at(bomb)).toMatchObject({ kind: 'key', path: [] });
    expect(at('__proto__:\n  constructor: 1\n  |')).toMatchObject({
      kind: 'key',
      path: ['__proto__'],
    });
    expect(at('\u0000\u0001: \uffff\n|')).toMatchObject({ kind: 'key', path: [] });
  });
});
