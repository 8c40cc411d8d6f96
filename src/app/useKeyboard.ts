/**
 * →/← move by the viewer's granularity (a whole step unless "Event" is chosen), Shift+→/←
 * by the other unit (one kernel event by default), Home/End, Space play/pause; not while
 * typing in a field.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { SimState } from '../store/createSimStore';

export function useKeyboard(store: StoreApi<SimState>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (
        t &&
        (t.tagName === 'INPUT' ||
          t.tagName === 'TEXTAREA' ||
          t.tagName === 'SELECT' ||
          t.isContentEditable)
      )
        return;
      if (t?.closest('[data-testid="graph"]') && e.key.startsWith('Arrow') && !e.shiftKey) return;
      const s = store.getState();
      const handled = (() => {
        switch (e.key) {
          case 'ArrowRight':
            s.forward(e.shiftKey);
            return true;
          case 'ArrowLeft':
            s.back(e.shiftKey);
            return true;
          case 'Home':
            s.first();
            return true;
          case 'End':
            s.last();
            return true;
          case ' ':
            if (t?.tagName === 'BUTTON') return false;
            s.setPlaying(!s.playing);
            return true;
          default:
            return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
