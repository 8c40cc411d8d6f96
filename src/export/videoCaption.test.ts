import { describe, expect, it } from 'vitest';
import {
  captionSizes,
  fitCaptions,
  fontOf,
  layoutCaption,
  lineHeightOf,
  proseSegments,
  stepCaption,
  truncateCaption,
  withEllipsis,
  wrapSegments,
  type CaptionLine,
  type FontSpec,
  type Measure,
} from './videoCaption';

/** Every character is half the font size wide; code characters 0.6 of it (monospace). */
const measure: Measure = (text, font) =>
  Array.from(text).length * font.size * (font.code ? 0.6 : 0.5);
const prose =
  (size: number) =>
  (code: boolean): FontSpec => ({ size, bold: false, code });
const text = (line: CaptionLine) => line.map((s) => s.text).join('');

describe('proseSegments', () => {
  it('makes backticked words code', () => {
    expect(proseSegments('put `map_a` now')).toEqual([
      { text: 'put ', code: false },
      { text: 'map_a', code: true },
      { text: ' now', code: false },
    ]);
    expect(proseSegments('`a`')).toEqual([{ text: 'a', code: true }]);
    expect(proseSegments('open `x')).toEqual([
      { text: 'open ', code: false },
      { text: 'x', code: true },
    ]);
  });
});

describe('fontOf', () => {
  it('sizes each part of the caption from the base size', () => {
    expect(fontOf('say', 30, false)).toEqual({ size: 30, bold: false, code: false });
    expect(fontOf('kicker', 30, false)).toEqual({ size: 21.6, bold: true, code: false });
    expect(fontOf('call', 30, true)).toEqual({ size: 27, bold: true, code: true });
  });
  it('sets code within prose a little smaller than the prose', () => {
    expect(fontOf('say', 30, true).size).toBe(27);
    expect(fontOf('reason', 20, true).size).toBe(18);
  });
});

describe('wrapSegments', () => {
  it('wraps at spaces, never past the width', () => {
    // 10 px a character: 10 characters a line.
    const lines = wrapSegments(
      [{ text: 'the quick brown fox jumps over', code: false }],
      100,
      prose(20),
      measure,
    );
    expect(lines.map(text)).toEqual(['the quick', 'brown fox', 'jumps over']);
    for (const l of lines) expect(measure(text(l), prose(20)(false))).toBeLessThanOrEqual(100);
  });

  it('keeps code segments and punctuation together in a word', () => {
    const lines = wrapSegments(proseSegments('see `ab`, then `cd`'), 1000, prose(20), measure);
    expect(lines).toEqual([
      [
        { text: 'see ', code: false },
        { text: 'ab', code: true },
        { text: ', then ', code: false },
        { text: 'cd', code: true },
      ],
    ]);
  });

  it('measures code in its own font', () => {
    // "abcdefghij" as code is 10 × 12 = 120 px: it does not fit 110 px, so it is cut.
    const lines = wrapSegments([{ text: 'abcdefghij', code: true }], 110, prose(20), measure);
    expect(lines.map(text)).toEqual(['abcdefghi', 'j']);
    expect(lines[0]?.[0]?.code).toBe(true);
  });

  it('cuts a word wider than a line, and collapses whitespace', () => {
    const lines = wrapSegments(
      [{ text: '  bpf_struct_ops_map_free   is\nlong ', code: false }],
      100,
      prose(20),
      measure,
    );
    expect(lines.map(text)).toEqual(['bpf_struct', '_ops_map_f', 'ree is', 'long']);
    expect(wrapSegments([{ text: '   ', code: false }], 100, prose(20), measure)).toEqual([]);
  });
});

describe('withEllipsis', () => {
  it('ends a line in … and shortens it to fit', () => {
    const line: CaptionLine = [{ text: 'abcdefghij', code: false }];
    expect(text(withEllipsis(line, 200, prose(20), measure))).toBe('abcdefghij…');
    expect(text(withEllipsis(line, 100, prose(20), measure))).toBe('abcdefghi…');
    expect(text(withEllipsis([{ text: 'abc def', code: false }], 50, prose(20), measure))).toBe(
      'abc…',
    );
  });
});

const caption = {
  kicker: 'Step 2 of 9 · Associating',
  call: 'bpf_program__assoc_struct_ops(helper, map_b) = -EBUSY',
  reason: 'helper is already associated with `map_a`.',
  say: 'A program that is not struct_ops keeps its first map: a second association fails with `-EBUSY` and takes no reference.',
};

describe('layoutCaption', () => {
  it('lays out kicker, call, reason and narration, each in its font', () => {
    const l = layoutCaption(caption, 600, 30, measure);
    expect(l.blocks.map((b) => b.role)).toEqual(['kicker', 'call', 'reason', 'say']);
    for (const b of l.blocks)
      for (const line of b.lines)
        expect(
          line.reduce((w, s) => w + measure(s.text, fontOf(b.role, 30, s.code)), 0),
        ).toBeLessThanOrEqual(600);
    const say = l.blocks.find((b) => b.role === 'say');
    expect(say?.lines.length).toBeGreaterThan(1);
    expect(say?.lines.flat().some((s) => s.code && s.text === '-EBUSY')).toBe(true);
    const lines = l.blocks.reduce((h, b) => h + b.lines.length * lineHeightOf(b.role, 30), 0);
    expect(l.height).toBeGreaterThan(lines);
  });

  it('leaves out what a step does not have, and keeps the kicker on one line', () => {
    const l = layoutCaption(
      { kicker: 'a very long kicker that will not fit', call: null, reason: null, say: '' },
      100,
      20,
      measure,
    );
    expect(l.blocks.map((b) => b.role)).toEqual(['kicker']);
    expect(l.blocks[0]?.lines).toHaveLength(1);
    expect(text(l.blocks[0]?.lines[0] ?? []).endsWith('…')).toBe(true);
  });
});

describe('truncateCaption', () => {
  it('drops narration lines first and ends the last one in …', () => {
    const full = layoutCaption(caption, 400, 30, measure);
    const cut = truncateCaption(full, full.height - 60, 400, measure);
    expect(cut.height).toBeLessThanOrEqual(full.height - 60);
    const say = cut.blocks.find((b) => b.role === 'say');
    const fullSay = full.blocks.find((b) => b.role === 'say');
    expect(say?.lines.length).toBeLessThan(fullSay?.lines.length ?? 0);
    expect(text(say?.lines.at(-1) ?? []).endsWith('…')).toBe(true);
    expect(cut.blocks[0]?.role).toBe('kicker');
  });

  it('removes whole blocks, never the kicker', () => {
    const full = layoutCaption(caption, 400, 30, measure);
    const cut = truncateCaption(full, 10, 400, measure);
    expect(cut.blocks.map((b) => b.role)).toEqual(['kicker']);
  });
});

describe('fitCaptions', () => {
  const sizes = [30, 26, 22, 18];
  it('takes the largest size at which every caption fits, one band height for all', () => {
    const short = { kicker: 'Step 1 of 9', call: 'open() = 3', reason: null, say: 'Short.' };
    const f = fitCaptions([short, caption], 1000, 400, sizes, measure);
    expect(f.size).toBe(30);
    expect(f.height).toBe(Math.max(...f.layouts.map((l) => l.height)));
    const tight = fitCaptions([short, caption], 500, 260, sizes, measure);
    expect(tight.size).toBeLessThan(30);
    expect(tight.height).toBeLessThanOrEqual(260);
    expect(layoutCaption(caption, 500, tight.size, measure).height).toBeLessThanOrEqual(260);
    const bigger = sizes[sizes.indexOf(tight.size) - 1] ?? 0;
    expect(layoutCaption(caption, 500, bigger, measure).height).toBeGreaterThan(260);
  });

  it('at the smallest size, cuts what still does not fit', () => {
    const f = fitCaptions([caption], 300, 120, sizes, measure);
    expect(f.size).toBe(18);
    expect(f.height).toBeLessThanOrEqual(120);
    const last = f.layouts[0]?.blocks.at(-1)?.lines.at(-1) ?? [];
    expect(text(last).endsWith('…')).toBe(true);
  });
});

describe('captionSizes and stepCaption', () => {
  it('scales the sizes with the frame', () => {
    expect(captionSizes(720)).toEqual([30, 28, 26, 24, 22, 20]);
    expect(captionSizes(1080)).toEqual([45, 42, 39, 36, 33, 30]);
  });

  it('says which step it is, the call, its result and the narration', () => {
    expect(
      stepCaption(3, 9, {
        chapter: 'Poison',
        label: 'assoc(a, b)',
        ret: '-EBUSY',
        reason: 'busy',
        say: 'It fails.',
      }),
    ).toEqual({
      kicker: 'Step 3 of 9 · Poison',
      call: 'assoc(a, b) = -EBUSY',
      reason: 'busy',
      say: 'It fails.',
    });
    expect(
      stepCaption(1, 2, { chapter: null, label: 'settle', ret: null, reason: null, say: 'x' }),
    ).toMatchObject({ kicker: 'Step 1 of 2', call: 'settle' });
    expect(
      stepCaption(3, 9, {
        chapter: null,
        label: 'assoc(a, b)',
        ret: '-EBUSY',
        reason: 'busy',
        say: 'It fails, at length.',
        caption: 'Set once: -EBUSY',
      }),
    ).toEqual({
      kicker: 'Step 3 of 9',
      call: 'assoc(a, b) = -EBUSY',
      reason: null,
      say: 'Set once: -EBUSY',
    });
    expect(stepCaption(0, 9, null)).toEqual({
      kicker: 'Initial state (step 0 of 9)',
      call: null,
      reason: null,
      say: 'The kernel has just booted: nothing is loaded.',
    });
  });
});
