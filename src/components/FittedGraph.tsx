/**
 * The graph drawn to fit its box (main view, embed, presentation, speaker view): the objects on
 * screen at this step, as large as the box allows; with `focus`, a camera that follows the
 * step's subject and changes whenever the whole graph would be drawn below `legible` scale
 * (presentation.ts `followCamera`). Measured, then placed by the drawing's own inline style:
 * drawn at its own size and placed by a transform, so that a camera move changes no style the
 * whole drawing inherits and neither lays it out nor paints it again; a move glides (0.35 s,
 * ease) from where the drawing was, on the compositor.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { prefersReducedMotion } from '../d3/usePulse';
import { LANE_HEAD, type Layout } from '../graph/layout';
import {
  fitCamera,
  followCamera,
  useBoxSize,
  type Rect,
  type StepFocus,
} from '../view/presentation';

/** Where the drawing sits in its box, px. */
interface Placement {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** How long a camera move glides. */
export const CAMERA_MS = 350;

/**
 * How much a glide may ask the browser to paint: the drawing's cards × the square of the
 * glide's zoom (its larger scale over its smaller). A zooming glide is rastered at its larger
 * scale over all the drawing its smaller one shows; on a large drawing that is seconds of
 * painting on a small machine, and while its frames wait the glide does not move, so the next
 * camera move starts again from near where it began. At 452 cards (1440×900), gliding from the
 * whole drawing (about 1 % scale) into the step, a 95× zoom (about 4 million), held the next
 * step's frame 0.85 to 1.5 s in three runs; moving at once, 62 to 83 ms. The library's glides
 * are far below: its largest drawings have 195 cards (the default scenario's All view) and its
 * largest zoom is 20× (a presentation in a 720×400 frame turning to the whole graph); the most
 * measured was about 47,000 (the default scenario's Story view, 141 cards, across 18.3×). A pan
 * at one scale costs the card count. Glides between the two were not measured; beyond the
 * budget the camera moves at once.
 */
export const GLIDE_BUDGET = 400_000;

/** Whether a camera move from `a` to `b` over a drawing of `cards` cards should glide. */
export function glides(a: Placement, b: Placement, w: number, h: number, cards: number): boolean {
  const ka = Math.min(a.width / w, a.height / h);
  const kb = Math.min(b.width / w, b.height / h);
  if (!(ka > 0 && kb > 0)) return false;
  const zoom = Math.max(ka, kb) / Math.min(ka, kb);
  return cards * zoom * zoom <= GLIDE_BUDGET;
}

/**
 * How far down (drawing units) the lanes' titles move to stay in view with the drawing at `p`
 * in its box, its top `frameTop` px below the box's top (the toolbar's band): to just below
 * the view's top edge, 0 when the view shows the drawing's top.
 */
export function laneHeadShift(p: Placement, frameTop: number, w: number, h: number): number {
  const k = Math.min(p.width / w, p.height / h);
  if (!(k > 0)) return 0;
  const viewTop = (frameTop - p.top) / k;
  return Math.max(0, Math.round(viewTop - LANE_HEAD.top + LANE_HEAD.gap));
}

/** The view's left edge across a drawing of `w`×`h` at `p`, drawing units; null: no size. */
function viewLeft(p: Placement, w: number, h: number): number | null {
  const k = Math.min(p.width / w, p.height / h);
  return k > 0 ? -p.left / k : null;
}

/** Px a lane's title keeps from the view's left edge when it follows the view across. */
export const LANE_TITLE_MARGIN = 10;

/** A lane across the drawing and its title's width, drawing units. */
export interface LaneSpan {
  readonly x: number;
  readonly w: number;
  readonly title: number;
}

/**
 * How far right (drawing units) each lane's title moves to stay in view with the drawing at
 * `p` in its box: a lane whose title would start left of the view's left edge has it there
 * instead (a margin of {@link LANE_TITLE_MARGIN} px in), if what shows of the lane holds it
 * (a title never leaves its lane); 0 for a lane whose title starts in view, or too little of
 * whose lane shows.
 */
export function laneTitleShifts(
  p: Placement,
  w: number,
  h: number,
  lanes: readonly LaneSpan[],
): number[] {
  const edge = viewLeft(p, w, h);
  if (edge === null) return lanes.map(() => 0);
  const to = edge + LANE_TITLE_MARGIN / Math.min(p.width / w, p.height / h);
  return lanes.map((l) => (l.x >= edge || to + l.title > l.x + l.w ? 0 : Math.round(to - l.x)));
}

/** The widths of the lane titles measured so far (a title's text never changes). */
const titleWidths = new WeakMap<SVGTextElement, number>();

/** The group of each drawing's lane titles (GraphView `.lane-heads`), found once. */
const laneHeadGroups = new WeakMap<SVGSVGElement, Element>();

/**
 * `svg`'s group of lane titles: drawn after every card, so a search for it walks the whole
 * drawing (thousands of elements at 1,000 objects); kept while it stays in the drawing.
 */
function laneHeadsOf(svg: SVGSVGElement): Element | null {
  const known = laneHeadGroups.get(svg);
  if (known && svg.contains(known)) return known;
  const found = svg.querySelector('.lane-heads');
  if (found) laneHeadGroups.set(svg, found);
  return found;
}

/**
 * The drawing's lanes as `laneTitleShifts` takes them, each with its head element, for a view
 * whose left edge is `edge` drawing units across. A title is measured (once: it makes the
 * browser lay the drawing out) only if its lane starts left of that edge; it is 0 otherwise,
 * as nothing then depends on it.
 */
function laneSpans(
  svg: SVGSVGElement,
  layout: Layout,
  edge: number,
): { head: Element; span: LaneSpan }[] {
  const heads = new Map<string, Element>();
  for (const head of Array.from(laneHeadsOf(svg)?.children ?? []))
    heads.set(head.getAttribute('data-lane-head') ?? '', head);
  return layout.lanes.flatMap((l) => {
    const head = heads.get(l.lane);
    const text = head?.querySelector<SVGTextElement>('.lane-title');
    if (!head || !text) return [];
    let title = l.x < edge ? titleWidths.get(text) : 0;
    if (title === undefined) {
      title = typeof text.getComputedTextLength === 'function' ? text.getComputedTextLength() : 0;
      titleWidths.set(text, title);
    }
    return [{ head, span: { x: l.x, w: l.w, title } }];
  });
}

/** Moves each lane's title `by[i]` drawing units right (App.css `.lane-title`). */
function moveLaneTitles(heads: readonly Element[], by: readonly number[]): void {
  heads.forEach((head, i) => {
    const dx = by[i] ?? 0;
    const style = (head as SVGElement).style;
    if (dx > 0) style.setProperty('--lane-title-dx', `${dx}px`);
    else style.removeProperty('--lane-title-dx');
  });
}

/**
 * Moves the drawing's lane titles (App.css `.lane-heads`) `by` drawing units down; moved, they
 * are ruled off from the cards passing under them (`data-lane-heads="moved"`).
 */
function moveLaneHeads(svg: SVGSVGElement, by: number): void {
  if (by > 0) {
    svg.style.setProperty('--lane-head-y', `${by}px`);
    svg.setAttribute('data-lane-heads', 'moved');
  } else {
    svg.style.removeProperty('--lane-head-y');
    svg.removeAttribute('data-lane-heads');
  }
}

/** The placement `p` of the way from `a` to `b` (0: at `a`). */
function between(a: Placement, b: Placement, p: number): Placement {
  return {
    left: a.left + (b.left - a.left) * p,
    top: a.top + (b.top - a.top) * p,
    width: a.width + (b.width - a.width) * p,
    height: a.height + (b.height - a.height) * p,
  };
}

/** The transform that shows a drawing of `w`×`h` (viewBox, xMinYMin meet) at `p`. */
function placing(p: Placement, w: number, h: number): string {
  const k = Math.min(p.width / w, p.height / h);
  return `translate(${p.left}px, ${p.top}px) scale(${k})`;
}

/**
 * Places `svg` (a drawing of `w`×`h`, `cards` cards: its layout's boxes) at `to`: drawn at
 * its own size, moved and scaled by a transform (origin top left), so that a camera move
 * neither lays out nor paints the drawing again. From `from` (where it shows now) it glides
 * there (`CAMERA_MS`, ease), on the compositor, unless painting the glide would cost too much
 * ({@link glides}).
 */
function glide(
  svg: SVGSVGElement,
  from: Placement | null,
  to: Placement,
  w: number,
  h: number,
  cards: number,
): Animation | null {
  svg.style.width = `${w}px`;
  svg.style.height = `${h}px`;
  svg.style.transform = placing(to, w, h);
  if (!from || typeof svg.animate !== 'function' || prefersReducedMotion()) return null;
  const moved =
    Math.abs(from.left - to.left) > 0.05 ||
    Math.abs(from.top - to.top) > 0.05 ||
    Math.abs(from.width - to.width) > 0.05 ||
    Math.abs(from.height - to.height) > 0.05;
  if (!moved || !glides(from, to, w, h, cards)) return null;
  return svg.animate([{ transform: placing(from, w, h) }, { transform: placing(to, w, h) }], {
    duration: CAMERA_MS,
    easing: 'ease',
  });
}

export function FittedGraph({
  layout,
  bounds,
  maxScale,
  legible = 0,
  focus,
  toolbar,
  inset = 0,
  cover = 0,
  children,
}: {
  layout: Layout;
  bounds: Rect;
  maxScale: number;
  /** The smallest scale at which node titles reach the view's font-size floor. */
  legible?: number;
  /** Follow this step (the whole graph when it is legible); undefined: always the whole graph. */
  focus?: StepFocus | null | undefined;
  /** Controls drawn over the graph's corner (detail level, whole graph). */
  toolbar?: ReactNode;
  /** Px at the top of the box the camera leaves to the toolbar. */
  inset?: number;
  /**
   * Px at the foot of the box that something sticky may cover (a phone's dock of controls):
   * the camera frames the step above it.
   */
  cover?: number;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number } | null>(null);
  useBoxSize(box, true, (w, h) => setSize({ w, h }));
  // The height the camera frames in: the box less the toolbar's band and what may cover its
  // foot, never less than half of it; the frame starts below the band.
  const h = size ? Math.max(size.h - inset - cover, size.h / 2) : 0;
  const below = size ? Math.min(inset, size.h - h) : 0;
  const placed = !size
    ? null
    : focus !== undefined
      ? followCamera(
          size.w,
          h,
          bounds,
          focus,
          layout.width,
          layout.height,
          legible,
          maxScale,
          LANE_HEAD.height + LANE_HEAD.gap,
        )
      : fitCamera(size.w, h, bounds, layout.width, layout.height, maxScale);
  const cam = placed && size ? { ...placed, top: placed.top + below } : null;
  // The placement last given to the drawing, and the glide towards it (if still moving).
  const shown = useRef<{
    svg: SVGSVGElement;
    from: Placement;
    to: Placement;
    w: number;
    h: number;
    glide: Animation | null;
  } | null>(null);
  const left = cam?.left;
  const top = cam?.top;
  const width = cam?.width;
  const height = cam?.height;
  const titles = cam?.titles !== false;
  useLayoutEffect(() => {
    const svg = box.current?.querySelector<SVGSVGElement>('svg.graph');
    if (!svg) return;
    const last = shown.current?.svg === svg ? shown.current : null;
    if (left === undefined || top === undefined || width === undefined || height === undefined) {
      // Before the box is measured: the whole drawing, fitted (App.css `.fit .graph`).
      last?.glide?.cancel();
      for (const k of ['transform', 'width', 'height']) svg.style.removeProperty(k);
      moveLaneHeads(svg, 0);
      moveLaneTitles(Array.from(laneHeadsOf(svg)?.children ?? []), []);
      shown.current = null;
      return;
    }
    if (
      last &&
      last.to.left === left &&
      last.to.top === top &&
      last.to.width === width &&
      last.to.height === height &&
      last.w === layout.width &&
      last.h === layout.height
    )
      return;
    const to = { left, top, width, height };
    // From where the drawing shows now: part of the way along a glide still under way.
    const progress = last?.glide?.effect?.getComputedTiming().progress;
    // The first placement glides from the whole drawing fitted (xMinYMin meet) to the box.
    const fitted =
      size && layout.width > 0 && layout.height > 0
        ? Math.min(size.w / layout.width, size.h / layout.height)
        : 0;
    const whole =
      fitted > 0
        ? { left: 0, top: 0, width: layout.width * fitted, height: layout.height * fitted }
        : null;
    const from = !last
      ? whole
      : last.glide && last.glide.playState === 'running' && typeof progress === 'number'
        ? between(last.from, last.to, progress)
        : last.to;
    last?.glide?.cancel();
    const moving = glide(svg, from, to, layout.width, layout.height, layout.boxes.size);
    const head = titles ? laneHeadShift(to, below, layout.width, layout.height) : 0;
    const headNow = parseFloat(svg.style.getPropertyValue('--lane-head-y')) || 0;
    const edge = titles ? viewLeft(to, layout.width, layout.height) : null;
    const lanes = laneSpans(svg, layout, edge ?? -Infinity);
    const across = titles
      ? laneTitleShifts(
          to,
          layout.width,
          layout.height,
          lanes.map((l) => l.span),
        )
      : lanes.map(() => 0);
    const heads = lanes.map((l) => l.head);
    shown.current = {
      svg,
      from: from ?? to,
      to,
      w: layout.width,
      h: layout.height,
      glide: moving,
    };
    // The titles go up with the move (they leave the top of the view as it glides down the
    // lanes) and down once it is over, so they never cross the middle of the view.
    // Across, they follow the view once it has moved (a glide shows them where they were).
    if (moving) {
      const current = shown.current;
      if (head <= headNow) moveLaneHeads(svg, head);
      moving.finished.then(
        () => {
          if (shown.current !== current) return;
          moveLaneHeads(svg, head);
          moveLaneTitles(heads, across);
        },
        () => undefined,
      );
    } else {
      moveLaneHeads(svg, head);
      moveLaneTitles(heads, across);
    }
    // Every render: a drawing mounted anew in the same box is placed too.
  });
  return (
    <div
      className="fit"
      ref={box}
      data-scale={cam ? (cam.width / layout.width).toFixed(3) : undefined}
    >
      {children}
      {toolbar}
    </div>
  );
}
