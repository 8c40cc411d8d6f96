/**
 * →/← move by the viewer's granularity (a whole step unless "Event" is chosen), Shift+→/←
 * by the other unit (one kernel event by default), Home/End, Space play/pause; not while
 * typing in a field. Moves pressed while the page's first scenario is still being simulated
 * (`listenEarly`) apply, in order, as soon as it is on screen.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { SimState } from '../store/createSimStore';

function typing(t: HTMLElement | null): boolean {
  return (
    !!t &&
    (t.tagName === 'INPUT' ||
      t.tagName === 'TEXTAREA' ||
      t.tagName === 'SELECT' ||
      t.isContentEditable)
  );
}

/** Moves the cursor for an arrow, Home or End; false for any other key. */
function move(s: SimState, key: string, shift: boolean): boolean {
  switch (key) {
    case 'ArrowRight':
      s.forward(shift);
      return true;
    case 'ArrowLeft':
      s.back(shift);
      return true;
    case 'Home':
      s.first();
      return true;
    case 'End':
      s.last();
      return true;
    default:
      return false;
  }
}

interface Move {
  readonly key: string;
  readonly shift: boolean;
}

const MOVES = new Set(['ArrowRight', 'ArrowLeft', 'Home', 'End']);
/** Moves pressed before the first viewer was there; null once it has taken them. */
let early: Move[] | null = null;
let listening = false;

function onEarlyKey(e: KeyboardEvent): void {
  if (!early || typing(e.target as HTMLElement | null) || !MOVES.has(e.key)) return;
  early.push({ key: e.key, shift: e.shiftKey });
  e.preventDefault();
}

/**
 * Keeps the moves pressed from now until the first viewer is on screen (the page's first
 * scenario is simulated in a worker meanwhile). Once per page.
 */
export function listenEarly(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  early = [];
  window.addEventListener('keydown', onEarlyKey);
}

function takeEarly(): readonly Move[] {
  const moves = early ?? [];
  early = null;
  if (typeof window !== 'undefined') window.removeEventListener('keydown', onEarlyKey);
  return moves;
}

export function useKeyboard(store: StoreApi<SimState>): void {
  useEffect(() => {
    for (const m of takeEarly()) move(store.getState(), m.key, m.shift);
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (typing(t)) return;
      if (t?.closest('[data-testid="graph"]') && e.key.startsWith('Arrow') && !e.shiftKey) return;
      const s = store.getState();
      const handled = (() => {
        if (move(s, e.key, e.shiftKey)) return true;
        if (e.key !== ' ' || t?.tagName === 'BUTTON') return false;
        s.setPlaying(!s.playing);
        return true;
      })();
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
