/** Play: advance one kernel event at a time at the chosen speed, and stop at the end. */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { SimState } from '../store/createSimStore';

export const BASE_EVENT_MS = 450;

export function usePlayback(store: StoreApi<SimState>, playing: boolean, speed: number): void {
  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => {
      const s = store.getState();
      if (s.cursor >= s.timeline.points.length - 1) s.setPlaying(false);
      else s.nextEvent();
    }, BASE_EVENT_MS / speed);
    return () => window.clearInterval(id);
  }, [store, playing, speed]);
}
