/**
 * What Play does next, and when. By step (the default), each step stays on screen long enough
 * to read its caption (the call when it has none); by event, one kernel event every
 * `BASE_EVENT_MS`. Both are divided by the playback speed. Pure.
 */
import { captionOf } from '../scenario/caption';
import type { Granularity } from './createSimStore';
import { nextStepPoint, type Timeline } from './timeline';

export const BASE_EVENT_MS = 450;

/** A step's time on screen at 1×: a second and a half to look, then reading time. */
export const STEP_LOOK_MS = 1500;
/** Reading time per character: about 18 characters a second, slide-reading pace. */
export const STEP_MS_PER_CHAR = 55;
export const STEP_MIN_MS = 2500;
export const STEP_MAX_MS = 7500;
/** From the initial state (or from the middle of a step) to the next step's end. */
export const STEP_LEAD_MS = 700;

/** How long `text` stays on screen at 1× for a viewer to read it. */
export function readingMs(text: string): number {
  const ms = STEP_LOOK_MS + STEP_MS_PER_CHAR * text.length;
  return Math.min(STEP_MAX_MS, Math.max(STEP_MIN_MS, ms));
}

export interface PlayMove {
  /** The point to go to. */
  readonly to: number;
  /** After how many ms. */
  readonly delay: number;
}

/** Play's next move from `cursor`, or null at the end. */
export function nextPlayMove(
  t: Timeline,
  cursor: number,
  granularity: Granularity,
  speed: number,
): PlayMove | null {
  const last = t.points.length - 1;
  if (cursor >= last) return null;
  if (granularity === 'event') return { to: cursor + 1, delay: BASE_EVENT_MS / speed };
  const to = nextStepPoint(t, cursor);
  if (to === null) return null;
  const p = t.points[cursor];
  const atStepEnd = p !== undefined && p.step >= 0 && t.stepEnd[p.step] === cursor;
  const frame = p && atStepEnd ? t.frames[p.step] : undefined;
  if (!frame) return { to, delay: STEP_LEAD_MS / speed };
  return { to, delay: readingMs(captionOf(frame.step) ?? frame.label) / speed };
}
