import { describe, expect, it } from 'vitest';
import { frameUrl, readBoolAttr, readElementOptions, readStepAttr } from './frameUrl';

const attrs =
  (a: Record<string, string>) =>
  (name: string): string | null =>
    a[name] ?? null;

describe('readBoolAttr', () => {
  it('is the fallback when absent, true when present, false for the usual words', () => {
    expect(readBoolAttr(null, false)).toBe(false);
    expect(readBoolAttr(null, true)).toBe(true);
    for (const yes of ['', '1', 'true', 'autoplay', 'yes', 'on'])
      expect(readBoolAttr(yes, false)).toBe(true);
    for (const no of ['0', 'false', 'FALSE', ' no ', 'off'])
      expect(readBoolAttr(no, true)).toBe(false);
  });
});

describe('readStepAttr', () => {
  it('reads whole numbers from 0, and nothing else', () => {
    expect(readStepAttr('0')).toBe(0);
    expect(readStepAttr('12')).toBe(12);
    for (const bad of [null, '', ' ', '-1', '1.5', 'x', '1e400', 'Infinity']) {
      expect(readStepAttr(bad), String(bad)).toBeNull();
    }
  });
});

describe('frameUrl', () => {
  const base = 'https://lab.example.org/tools/structops-lab/structops-lab.js';

  it('opens a library scenario in the embed, next to the script, pinned to the page', () => {
    const o = readElementOptions(
      attrs({
        scenario: 'teach-ebusy',
        step: '3',
        autoplay: '',
        theme: 'dark',
        detail: 'All',
        controls: 'false',
      }),
    );
    const u = new URL(frameUrl(base, o, 'https://docs.example.org'));
    expect(u.origin + u.pathname).toBe('https://lab.example.org/tools/structops-lab/');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      embed: '1',
      scenario: 'teach-ebusy',
      step: '3',
      autoplay: '1',
      theme: 'dark',
      detail: 'all',
      controls: '0',
      origin: 'https://docs.example.org',
    });
  });

  it('asks the page for a src scenario instead of naming it', () => {
    const o = readElementOptions(attrs({ src: 'scenarios/mine.yaml', scenario: 'teach-ebusy' }));
    const u = new URL(frameUrl(base, o, 'https://docs.example.org'));
    expect(u.searchParams.get('load')).toBe('host');
    expect(u.searchParams.has('scenario')).toBe(false);
    expect(u.searchParams.has('src')).toBe(false);
  });

  it('leaves out what is not set, and never pins a page without an http(s) origin', () => {
    const u = new URL(frameUrl(base, readElementOptions(attrs({})), 'null'));
    expect(Object.fromEntries(u.searchParams)).toEqual({ embed: '1' });
    const v = new URL(
      frameUrl(
        base,
        readElementOptions(attrs({ theme: 'sepia', detail: 'some', step: '-2' })),
        'file://',
      ),
    );
    expect(Object.fromEntries(v.searchParams)).toEqual({ embed: '1' });
  });

  it('encodes what it is given, so attributes cannot add parameters', () => {
    const o = readElementOptions(attrs({ scenario: 'x&embed=0&theme=dark' }));
    const u = new URL(frameUrl(base, o, 'https://docs.example.org'));
    expect(u.searchParams.get('scenario')).toBe('x&embed=0&theme=dark');
    expect(u.searchParams.getAll('embed')).toEqual(['1']);
  });
});

describe('the rev attribute', () => {
  it('passes a revision to the frame as ?rev= and drops anything else', () => {
    const o = (rev: string | null) =>
      readElementOptions((n) => (n === 'scenario' ? 'teach-ebusy' : n === 'rev' ? rev : null));
    expect(o('v3').rev).toBe('v3');
    expect(o(' Mainline ').rev).toBe('mainline');
    expect(o('v9').rev).toBeNull();
    expect(new URL(frameUrl('https://lab.example/', o('v2'), 'null')).searchParams.get('rev')).toBe(
      'v2',
    );
    expect(new URL(frameUrl('https://lab.example/', o(null), 'null')).searchParams.has('rev')).toBe(
      false,
    );
  });
});
