/** Chapters from steps, the chapter a step is in, and `[` / `]` targets. */
import { describe, expect, it } from 'vitest';
import { chapterIndexAt, chaptersOf, nextChapterStart, prevChapterStart } from './chapters';

// Steps 0..7; chapters start at 0, 3 and 6.
const steps = [
  { chapter: 'Load' },
  {},
  {},
  { chapter: 'Attach' },
  {},
  {},
  { chapter: 'Tear down' },
  {},
];
const ch = chaptersOf(steps);

describe('chapters', () => {
  it('lists the steps that start a chapter', () => {
    expect(ch).toEqual([
      { title: 'Load', start: 0 },
      { title: 'Attach', start: 3 },
      { title: 'Tear down', start: 6 },
    ]);
    expect(chaptersOf([{}, { chapter: '' }])).toEqual([]);
  });

  it('finds the chapter a step is in', () => {
    expect(chapterIndexAt(ch, -1)).toBe(-1);
    expect(chapterIndexAt(ch, 0)).toBe(0);
    expect(chapterIndexAt(ch, 4)).toBe(1);
    expect(chapterIndexAt(ch, 7)).toBe(2);
    expect(chapterIndexAt([], 3)).toBe(-1);
  });

  it('goes to the next chapter', () => {
    expect(nextChapterStart(ch, -1)).toBe(0);
    expect(nextChapterStart(ch, 0)).toBe(3);
    expect(nextChapterStart(ch, 4)).toBe(6);
    expect(nextChapterStart(ch, 6)).toBeNull();
  });

  it('goes back to this chapter’s start, or from there to the one before', () => {
    expect(prevChapterStart(ch, 4)).toBe(3);
    expect(prevChapterStart(ch, 3)).toBe(0);
    expect(prevChapterStart(ch, 0)).toBeNull();
    expect(prevChapterStart(ch, -1)).toBeNull();
  });
});
