/**
 * Light, dark or system theme. The choice is remembered in localStorage when the page may use
 * it (an embed in a sandboxed or third-party iframe may not: every access is guarded), and
 * `?theme=` overrides it. The page shows `data-theme="light|dark"` on <html>; App.css holds
 * both palettes. "system" follows `prefers-color-scheme`, live.
 */
import { useCallback, useEffect, useState } from 'react';
import { parseTheme, type ThemeChoice } from './viewOptions';

export const THEME_KEY = 'structops-lab.theme';

/** The part of Storage this module needs (tests pass a fake). */
export type ThemeStorage = Pick<Storage, 'getItem' | 'setItem'>;

function storage(): ThemeStorage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadTheme(s: ThemeStorage | null = storage()): ThemeChoice | null {
  try {
    return parseTheme(s?.getItem(THEME_KEY));
  } catch {
    return null;
  }
}

export function saveTheme(choice: ThemeChoice, s: ThemeStorage | null = storage()): void {
  try {
    s?.setItem(THEME_KEY, choice);
  } catch {
    // Storage may be full, disabled or forbidden (third-party iframe): the choice lasts this visit.
  }
}

/** The URL's theme wins, then the saved one, then the system's. */
export function initialTheme(
  override: ThemeChoice | null,
  s: ThemeStorage | null = storage(),
): ThemeChoice {
  return override ?? loadTheme(s) ?? 'system';
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

function systemDark(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.(DARK_QUERY).matches === true;
}

export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = resolveTheme(choice, systemDark());
}

/**
 * The theme choice as React state, applied to <html> (and re-applied when the system's scheme
 * changes while the choice is "system"). `set` remembers the choice; `persist: false` (an
 * embed) never writes storage. With `followSaved`, a choice saved by another window of the
 * app (the presenting window, for its speaker view) is followed as it is made.
 */
export function useTheme(
  initial: ThemeChoice,
  persist: boolean,
  followSaved = false,
): readonly [ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(initial);
  useEffect(() => {
    if (!followSaved) return;
    const onStorage = (e: StorageEvent) => {
      if (e.key !== THEME_KEY) return;
      const next = parseTheme(e.newValue);
      if (next) setChoice(next);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [followSaved]);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system' || typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia(DARK_QUERY);
    const onChange = () => applyTheme('system');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, [choice]);
  const set = useCallback(
    (c: ThemeChoice) => {
      setChoice(c);
      if (persist) saveTheme(c);
    },
    [persist],
  );
  return [choice, set] as const;
}
