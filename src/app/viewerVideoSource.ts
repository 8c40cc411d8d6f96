/**
 * The viewer as a video source (src/export/videoSteps.ts): its scenario, step count and step
 * on screen, and the copying of a range of steps, which ./viewerVideoCapture.ts does (loaded on
 * demand, with the rest of video export).
 */
import type { StoreApi } from 'zustand';
import type { VideoSource } from '../export/videoSteps';
import type { SimState } from '../store/createSimStore';
import { stepNumberAt } from '../store/timeline';

/** The video source of the viewer that `store` drives. */
export function viewerVideoSource(store: StoreApi<SimState>): VideoSource {
  return {
    get scenarioId() {
      return store.getState().scenario.id;
    },
    count: () => store.getState().timeline.frames.length,
    current: () => {
      const s = store.getState();
      return stepNumberAt(s.timeline, s.cursor);
    },
    capture: async (request) => {
      const { captureSteps } = await import('./viewerVideoCapture');
      return captureSteps(store, request);
    },
  };
}
