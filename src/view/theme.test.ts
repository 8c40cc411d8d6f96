/** Theme choice: URL over saved over system, resolving "system", and storage that fails. */
import { describe, expect, it } from 'vitest';
import {
  initialTheme,
  loadTheme,
  resolveTheme,
  saveTheme,
  THEME_KEY,
  type ThemeStorage,
} from './theme';

function memory(): ThemeStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

const broken: ThemeStorage = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

describe('theme', () => {
  it('remembers a choice and reads it back', () => {
    const s = memory();
    expect(loadTheme(s)).toBeNull();
    saveTheme('dark', s);
    expect(s.data.get(THEME_KEY)).toBe('dark');
    expect(loadTheme(s)).toBe('dark');
  });

  it('ignores a saved value it does not know', () => {
    const s = memory();
    s.data.set(THEME_KEY, 'sepia');
    expect(loadTheme(s)).toBeNull();
    expect(initialTheme(null, s)).toBe('system');
  });

  it('lets the URL override the saved choice', () => {
    const s = memory();
    saveTheme('dark', s);
    expect(initialTheme('light', s)).toBe('light');
    expect(initialTheme(null, s)).toBe('dark');
  });

  it('survives storage that throws (third-party iframes) and no storage at all', () => {
    expect(loadTheme(broken)).toBeNull();
    expect(() => saveTheme('dark', broken)).not.toThrow();
    expect(initialTheme(null, broken)).toBe('system');
    expect(initialTheme(null, null)).toBe('system');
  });

  it('resolves system by the colour scheme', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
