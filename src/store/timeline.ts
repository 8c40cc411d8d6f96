/**
 * A scenario run flattened into points a viewer can stand on: the initial state, then the
 * state after every kernel event of every step. A step's last point is "after the step".
 * Pure; the store only moves a cursor over these points.
 */
import { keyEvent } from '../core/keyEvent';
import type { KEvent } from '../core/tx';
import type { KernelState } from '../core/types';
import type { ScenarioRun, StepFrame } from '../scenario/run';

export interface Point {
  /** Step index (0-based), or -1 for the initial state. */
  readonly step: number;
  /** Event index within the step, or -1 for a step that produced no event. */
  readonly event: number;
  readonly state: KernelState;
  /** The state before this point (for change marks). */
  readonly prev: KernelState;
  readonly ev: KEvent | null;
}

export interface Timeline {
  readonly points: readonly Point[];
  /** For each step, the index of its last point. */
  readonly stepEnd: readonly number[];
  /** For each step, the index of its first point. */
  readonly stepStart: readonly number[];
  /**
   * For each step, the index of the point of its key event (core/keyEvent.ts: the event that
   * returned the step's errno, wrote an association, freed an object or looked one up); the
   * step's last point when it made no event.
   */
  readonly stepKey: readonly number[];
  readonly frames: readonly StepFrame[];
}

export function buildTimeline(run: Pick<ScenarioRun, 'initial' | 'frames'>): Timeline {
  const points: Point[] = [
    { step: -1, event: -1, state: run.initial, prev: run.initial, ev: null },
  ];
  const stepEnd: number[] = [];
  const stepStart: number[] = [];
  const stepKey: number[] = [];
  let prev = run.initial;
  run.frames.forEach((f, i) => {
    const start = points.length;
    stepStart.push(start);
    stepKey.push(start + (keyEvent(f.events, f.result?.ret ?? null, prev)?.index ?? 0));
    if (f.events.length === 0) {
      points.push({ step: i, event: -1, state: f.state, prev, ev: null });
    } else {
      f.events.forEach((e, j) => {
        points.push({ step: i, event: j, state: e.state, prev, ev: e });
        prev = e.state;
      });
    }
    prev = f.state;
    stepEnd.push(points.length - 1);
  });
  return { points, stepEnd, stepStart, stepKey, frames: run.frames };
}

/**
 * The point whose event the kernel pane shows: at the end of a step (where stepping by step
 * lands), the step's key event; inside a step, the point itself.
 */
export function kernelPanePoint(t: Timeline, point: number): number {
  const step = t.points[point]?.step ?? -1;
  if (step < 0 || t.stepEnd[step] !== point) return point;
  return t.stepKey[step] ?? point;
}

/** The point shown for `?step=n`: 0 is the initial state, n ≥ 1 the end of step n. */
export function pointForStep(t: Timeline, step: number): number {
  if (step <= 0) return 0;
  return t.stepEnd[Math.min(step, t.stepEnd.length) - 1] ?? 0;
}

/** The step number (`N` of the `N / M` counter) at a point: the step being shown (1-based). */
export function stepNumberAt(t: Timeline, point: number): number {
  const p = t.points[point];
  return !p || p.step < 0 ? 0 : p.step + 1;
}

/**
 * Where "next step" goes from a point: mid-step, to the end of that step; at a step's end (or
 * before the first), to the end of the next one; null at the last point.
 */
export function nextStepPoint(t: Timeline, point: number): number | null {
  const last = t.points.length - 1;
  if (point >= last) return null;
  const step = t.points[point]?.step ?? -1;
  const end = t.stepEnd[step];
  if (step >= 0 && end !== undefined && point < end) return end;
  return t.stepEnd[step + 1] ?? last;
}

/**
 * The state before the step a point belongs to: objects freed anywhere in the step stay on
 * screen as ghosts until the step is over.
 */
export function stepBase(t: Timeline, point: number): KernelState | undefined {
  const p = t.points[point];
  if (!p) return undefined;
  if (p.step < 0) return p.prev;
  return t.points[t.stepStart[p.step] ?? point]?.prev ?? p.prev;
}
