/**
 * The steps a video shows and how long each stays on screen. Steps are numbered as the step
 * counter numbers them: 0 is the initial state, 1…`count` the scenario's steps.
 */

export interface StepRange {
  readonly from: number;
  readonly to: number;
}

/** Shortest and longest time a step stays on screen, and the default, in seconds. */
export const MIN_SECONDS_PER_STEP = 0.5;
export const MAX_SECONDS_PER_STEP = 60;
export const DEFAULT_SECONDS_PER_STEP = 3;

export interface VideoSize {
  readonly width: number;
  readonly height: number;
  readonly label: string;
}

/** The frame sizes offered, the first the default: slides are 16:9. */
export const VIDEO_SIZES: readonly VideoSize[] = [
  { width: 1280, height: 720, label: '1280 × 720 (720p)' },
  { width: 1920, height: 1080, label: '1920 × 1080 (1080p)' },
];

function wholeIn(n: number, lo: number, hi: number, fallback: number): number {
  if (!Number.isFinite(n)) return fallback;
  return Math.max(lo, Math.min(hi, Math.round(n)));
}

/**
 * The range the video starts with. From the step on screen to the end: a user who made a
 * video of a scenario usually stepped to where the part they want to show begins. On the
 * initial state, or on the last step (where "to the end" would be a single still), the whole
 * scenario from step 1 (the initial state is an empty kernel; it can still be chosen).
 */
export function defaultRange(current: number, count: number): StepRange {
  if (count <= 0) return { from: 0, to: 0 };
  const here = wholeIn(current, 0, count, 0);
  return { from: here >= 1 && here < count ? here : 1, to: count };
}

/**
 * `from` and `to` made whole steps in 0…`count`, in order (typed the wrong way round, they
 * are swapped); a value that is not a number takes the default range's.
 */
export function clampRange(from: number, to: number, count: number): StepRange {
  const max = Math.max(0, Math.floor(count));
  const a = wholeIn(from, 0, max, Math.min(1, max));
  const b = wholeIn(to, 0, max, max);
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

/** The steps of a range, in order. */
export function stepsOf(range: StepRange): number[] {
  const out: number[] = [];
  for (let s = range.from; s <= range.to; s++) out.push(s);
  return out;
}

/** Seconds per step within the limits, on a half-second grid; not a number: the default. */
export function clampSecondsPerStep(seconds: number): number {
  if (!Number.isFinite(seconds)) return DEFAULT_SECONDS_PER_STEP;
  const halves = Math.round(seconds * 2) / 2;
  return Math.max(MIN_SECONDS_PER_STEP, Math.min(MAX_SECONDS_PER_STEP, halves));
}

/** "3 steps, 4.5 s of video" (what the dialog says a range gives). */
export function rangeSummary(range: StepRange, secondsPerStep: number): string {
  const n = range.to - range.from + 1;
  const total = Math.round(n * secondsPerStep * 10) / 10;
  return `${n} ${n === 1 ? 'step' : 'steps'}, ${formatSeconds(total)} of video`;
}

/** `4.5 s`, `1 min 30 s`. */
export function formatSeconds(total: number): string {
  if (total < 60) return `${total} s`;
  const min = Math.floor(total / 60);
  const s = Math.round((total - min * 60) * 10) / 10;
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}
