/**
 * When each step of a video is on screen. The recorder asks for a frame at a steady rate
 * (`fps`), and exactly at each change of step, so every step lasts its time in the encoded
 * video; the last frame is asked for at the very end, which sets the video's duration (a frame
 * lasts until the next one, and the last one's length is otherwise unknown). Times are video
 * time in milliseconds: wall-clock time since recording began, less any time it was paused.
 */

export interface VideoPlan {
  readonly steps: number;
  readonly stepMs: number;
  readonly fps: number;
  readonly totalMs: number;
}

/** Frames per second: a steady rate that players and slide tools handle everywhere. */
export const DEFAULT_FPS = 30;

/** A plan for `steps` steps of `secondsPerStep` each. */
export function planVideo(steps: number, secondsPerStep: number, fps = DEFAULT_FPS): VideoPlan {
  const n = Math.max(0, Math.floor(steps));
  const stepMs = Math.max(1, Math.round(secondsPerStep * 1000));
  return { steps: n, stepMs, fps: Math.max(1, fps), totalMs: n * stepMs };
}

/** Times this close to a step change (ms) count as on it: timers and sums of periods drift. */
const EPSILON_MS = 0.5;

/** Which step (0-based, within the plan) is on screen at `tMs`; null once the video is over. */
export function stepAt(plan: VideoPlan, tMs: number): number | null {
  if (plan.steps === 0 || tMs + EPSILON_MS >= plan.totalMs) return null;
  const k = Math.floor((Math.max(0, tMs) + EPSILON_MS) / plan.stepMs);
  return Math.max(0, Math.min(plan.steps - 1, k));
}

/**
 * How long to wait after a frame at `tMs` before the next: one frame period, or less when a
 * step change (or the end) comes sooner, so that it falls on its time. Never below 1 ms.
 */
export function nextFrameDelay(plan: VideoPlan, tMs: number): number {
  const period = 1000 / plan.fps;
  const t = Math.max(0, tMs);
  const next = (Math.floor((t + EPSILON_MS) / plan.stepMs) + 1) * plan.stepMs;
  const boundary = Math.min(plan.totalMs, next);
  return Math.max(1, Math.min(period, boundary - t));
}

/** The frame times a perfectly punctual recorder would use: what the encoded video holds. */
export function frameTimes(plan: VideoPlan): number[] {
  const out: number[] = [];
  let t = 0;
  while (stepAt(plan, t) !== null) {
    out.push(t);
    t += nextFrameDelay(plan, t);
    // A time within the tolerance of a step change is that change.
    const snapped = Math.round(t / plan.stepMs) * plan.stepMs;
    if (Math.abs(snapped - t) < EPSILON_MS) t = snapped;
  }
  out.push(plan.totalMs);
  return out;
}
