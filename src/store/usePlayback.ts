/**
 * Play: by step (each step held long enough to read its caption) or by kernel event, at the
 * chosen speed, stopping at the end. See playSchedule.ts for the timing.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { SimState } from './createSimStore';
import { nextPlayMove } from './playSchedule';

export { BASE_EVENT_MS } from './playSchedule';

export function usePlayback(store: StoreApi<SimState>, playing: boolean, speed: number): void {
  useEffect(() => {
    if (!playing) return;
    let id = 0;
    // Plans the next move whenever the cursor (or the granularity) changes while playing.
    const plan = () => {
      window.clearTimeout(id);
      const s = store.getState();
      const move = nextPlayMove(s.timeline, s.cursor, s.granularity, speed);
      if (!move) {
        s.setPlaying(false);
        return;
      }
      id = window.setTimeout(() => store.getState().goto(move.to), move.delay);
    };
    plan();
    const unsubscribe = store.subscribe((now, before) => {
      if (
        now.cursor !== before.cursor ||
        now.granularity !== before.granularity ||
        now.timeline !== before.timeline
      )
        plan();
    });
    return () => {
      unsubscribe();
      window.clearTimeout(id);
    };
  }, [store, playing, speed]);
}
