/**
 * Copies steps from the viewer for a video (src/export/videoSteps.ts `VideoSource.capture`):
 * the visible viewer is put on each step of the range in turn and drawn at once
 * (`flushSync`), with its change marks held still, and its graph copied through the SVG
 * export's serializer, so each frame is exactly what the screen shows for that step (theme,
 * selection, the change marks of arriving from the step before). The copying is quick (no
 * waiting on timers); afterwards the user's step, selection and playback are put back, also
 * when it is cancelled or fails. Loaded on demand by ./viewerVideoSource.ts.
 */
import { flushSync } from 'react-dom';
import type { StoreApi } from 'zustand';
import { holdStill } from '../d3/usePulse';
import { graphClone } from '../export/exportSvg';
import { stepCaption } from '../export/videoCaption';
import type { Rect } from '../export/videoGeometry';
import { stepsOf } from '../export/videoRange';
import { cancelledError, type CaptureRequest, type CapturedStep } from '../export/videoSteps';
import type { SimState } from '../store/createSimStore';
import type { Timeline } from '../store/timeline';
import { graphBounds } from '../view/presentation';
import { transcriptOf } from '../view/transcript';

/**
 * The boxes of the objects drawn in a graph SVG (drawing units), read through the DOM
 * contract (`node.<kind>.<name>`). As in the viewer's camera (Viewer.tsx), a process with no
 * open fd is left out: it says little, and the frame need not reach down to it.
 */
export function drawnNodeBoxes(svg: SVGSVGElement): Rect[] {
  const nodes = Array.from(svg.querySelectorAll<SVGGElement>('[data-testid^="node."]')).map((g) => {
    const [, kind = '', ...rest] = (g.getAttribute('data-testid') ?? '').split('.');
    return { g, kind, name: rest.join('.') };
  });
  const withFds = new Set(
    nodes.filter((n) => n.kind === 'fd').map((n) => n.name.slice(0, n.name.lastIndexOf(':'))),
  );
  const out: Rect[] = [];
  for (const { g, kind, name } of nodes) {
    if (kind === 'process' && !withFds.has(name)) continue;
    const m = g.transform.baseVal.consolidate()?.matrix;
    const frame = g.querySelector<SVGRectElement>('.node-frame');
    if (!m || !frame) continue;
    out.push({ x: m.e, y: m.f, w: frame.width.baseVal.value, h: frame.height.baseVal.value });
  }
  return out;
}

/** The point to stand on before `point` so that arriving there marks its step's changes. */
function pointBefore(t: Timeline, point: number): number {
  const step = t.points[point]?.step ?? -1;
  return step <= 0 ? 0 : (t.stepEnd[step - 1] ?? 0);
}

/** A task later: the page paints, progress shows, a Cancel click gets through. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Copies the steps of `request.range` from the viewer that `store` drives (module comment). */
export async function captureSteps(
  store: StoreApi<SimState>,
  { range, findGraph, onStep, signal }: CaptureRequest,
): Promise<CapturedStep[]> {
  const goto = (point: number) => flushSync(() => store.getState().goto(point));

  const before = store.getState();
  const { timeline, cursor, selected, playing, scenario } = before;
  const entries = transcriptOf(timeline.frames);
  const count = timeline.frames.length;
  const steps = stepsOf(range);
  const pointOf = (n: number) => (n <= 0 ? 0 : (timeline.stepEnd[n - 1] ?? 0));
  const out: CapturedStep[] = [];
  if (playing) before.setPlaying(false);
  holdStill(true);
  try {
    // Arrive at the first step from the one before it, as stepping does.
    if (range.from > 0) goto(pointOf(range.from - 1));
    for (const [i, n] of steps.entries()) {
      if (signal.aborted) throw cancelledError();
      goto(pointOf(n));
      const svg = findGraph();
      if (!svg) throw new Error('there is no graph on the page');
      const clone = graphClone(svg, {
        scenarioId: scenario.id,
        step: n,
        title: scenario.title,
      });
      const [x, y, w, h] = clone.box;
      out.push({
        step: n,
        svg: clone.svg,
        content: graphBounds(drawnNodeBoxes(svg), w, h),
        drawing: { x, y, w, h },
        caption: stepCaption(n, count, entries[n - 1] ?? null),
      });
      onStep(i + 1, steps.length);
      await nextTask();
    }
    if (signal.aborted) throw cancelledError();
    return out;
  } finally {
    holdStill(false);
    const now = store.getState();
    if (now.timeline === timeline) {
      goto(pointBefore(timeline, cursor));
      goto(cursor);
      now.select(selected);
    }
    if (playing) store.getState().setPlaying(true);
  }
}
