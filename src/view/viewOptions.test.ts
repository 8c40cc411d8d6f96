/** View options from the URL: each flag, the theme and the dwell, and safe fall-backs. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DWELL_S,
  MAX_DWELL_S,
  MIN_DWELL_S,
  parseDwell,
  parseTheme,
  readFlag,
  readViewOptions,
} from './viewOptions';

const q = (s: string) => new URLSearchParams(s);

describe('readViewOptions', () => {
  it('defaults to the full page with controls, no autoplay and the default dwell', () => {
    expect(readViewOptions(q(''))).toEqual({
      embed: false,
      present: false,
      theme: null,
      controls: true,
      autoplay: false,
      dwell: DEFAULT_DWELL_S,
      detail: 'story',
      origin: null,
    });
  });

  it('reads every option', () => {
    expect(
      readViewOptions(
        q(
          'embed=1&theme=dark&controls=0&autoplay=1&dwell=2.5&detail=ALL&scenario=x&origin=https%3A%2F%2Fdocs.example',
        ),
      ),
    ).toEqual({
      embed: true,
      present: false,
      theme: 'dark',
      controls: false,
      autoplay: true,
      dwell: 2.5,
      detail: 'all',
      origin: 'https://docs.example',
    });
    expect(readViewOptions(q('present=1&dwell=8'))).toMatchObject({ present: true, dwell: 8 });
  });

  it('never presents inside an embed', () => {
    expect(readViewOptions(q('embed=1&present=1'))).toMatchObject({ embed: true, present: false });
  });

  it('falls back safely on unknown values', () => {
    expect(
      readViewOptions(
        q('embed=maybe&present=2&theme=purple&controls=x&autoplay=-1&dwell=abc&detail=most'),
      ),
    ).toEqual({
      embed: false,
      present: false,
      theme: null,
      controls: true,
      autoplay: false,
      dwell: DEFAULT_DWELL_S,
      detail: 'story',
      origin: null,
    });
  });
});

describe('readFlag', () => {
  it('accepts the usual spellings, a bare flag, and is case-insensitive', () => {
    for (const v of ['1', 'true', 'YES', 'on', ' True '])
      expect(readFlag(q(`x=${v}`), 'x', false)).toBe(true);
    expect(readFlag(q('x'), 'x', false)).toBe(true);
    for (const v of ['0', 'false', 'No', 'off'])
      expect(readFlag(q(`x=${v}`), 'x', true)).toBe(false);
    expect(readFlag(q('y=1'), 'x', true)).toBe(true);
  });
});

describe('parseTheme', () => {
  it('knows light, dark and system only', () => {
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('DARK')).toBe('dark');
    expect(parseTheme('system')).toBe('system');
    expect(parseTheme('auto')).toBeNull();
    expect(parseTheme('')).toBeNull();
    expect(parseTheme(null)).toBeNull();
    expect(parseTheme(undefined)).toBeNull();
  });
});

describe('parseDwell', () => {
  it('clamps to the allowed range and ignores what is not a number', () => {
    expect(parseDwell('4')).toBe(4);
    expect(parseDwell('0')).toBe(MIN_DWELL_S);
    expect(parseDwell('-3')).toBe(MIN_DWELL_S);
    expect(parseDwell('1e9')).toBe(MAX_DWELL_S);
    expect(parseDwell('Infinity')).toBe(DEFAULT_DWELL_S);
    expect(parseDwell('NaN')).toBe(DEFAULT_DWELL_S);
    expect(parseDwell('')).toBe(DEFAULT_DWELL_S);
    expect(parseDwell(null)).toBe(DEFAULT_DWELL_S);
  });
});
