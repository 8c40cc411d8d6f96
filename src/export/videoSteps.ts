/**
 * What a video is made of, and where it comes from: the viewer hands over each step of a
 * range as it draws it (a detached copy of its graph SVG, styles inlined, and the caption),
 * and the recorder (./recordVideo) turns them into frames. The viewer side is
 * src/app/viewerVideoSource.ts.
 */
import type { StepCaption } from './videoCaption';
import type { Rect } from './videoGeometry';
import type { StepRange } from './videoRange';

export interface CapturedStep {
  /** The step, as the step counter numbers it (0: the initial state). */
  readonly step: number;
  /** The graph as it was drawn at this step (./exportSvg `graphClone`), detached. */
  readonly svg: SVGSVGElement;
  /** The part of the drawing this step's objects take (drawing units). */
  readonly content: Rect;
  /** The whole drawing (its viewBox). */
  readonly drawing: Rect;
  readonly caption: StepCaption;
}

export interface VideoSource {
  readonly scenarioId: string;
  /** How many steps the scenario has now (the counter's M). */
  count(): number;
  /** The step on screen now (the counter's N). */
  current(): number;
  /**
   * Draws each step of `range` in the viewer and copies it; afterwards (also when cancelled
   * or failing) the viewer is back on the user's step, selection and playback.
   */
  capture(request: CaptureRequest): Promise<CapturedStep[]>;
}

export interface CaptureRequest {
  readonly range: StepRange;
  /** The viewer's graph SVG (`svg[data-testid="graph"]`). */
  readonly findGraph: () => SVGSVGElement | null;
  /** Called after the k-th of n steps is copied. */
  readonly onStep: (k: number, n: number) => void;
  readonly signal: AbortSignal;
}

/** The error a cancelled capture or recording rejects with. */
export function cancelledError(): DOMException {
  return new DOMException('The video was cancelled.', 'AbortError');
}

/** Whether `e` is a cancellation (not a failure). */
export function isCancelled(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
