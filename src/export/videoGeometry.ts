/**
 * Where things go on a video frame: the graph in the area above the caption band, with a
 * margin, showing one part of the drawing for the whole video (the objects of every step of
 * the range, widened to the area's proportions where the drawing allows) so that objects hold
 * still from frame to frame. Pure arithmetic on rectangles.
 */

import { unionRect, type Rect } from '../graph/rect';

export { unionRect, type Rect };

/** Grows one side of `[start, start+size)` to `want`, centred, kept within `[lo, hi)` if it can be. */
function grow(start: number, size: number, want: number, lo: number, hi: number): [number, number] {
  const w = Math.min(want, Math.max(size, hi - lo));
  let s = start - (w - size) / 2;
  s = Math.max(lo, Math.min(s, hi - w));
  return [Math.min(s, start), Math.max(w, size)];
}

/**
 * `rect` widened (or heightened) towards `aspect` (width / height), centred on itself and
 * within `bounds` (the whole drawing); where the drawing ends it stays narrower, and the
 * fitting leaves the rest as background.
 */
export function expandToAspect(rect: Rect, aspect: number, bounds: Rect): Rect {
  if (rect.w <= 0 || rect.h <= 0 || !(aspect > 0)) return rect;
  if (rect.w / rect.h < aspect) {
    const [x, w] = grow(rect.x, rect.w, rect.h * aspect, bounds.x, bounds.x + bounds.w);
    return { x, y: rect.y, w, h: rect.h };
  }
  const [y, h] = grow(rect.y, rect.h, rect.w / aspect, bounds.y, bounds.y + bounds.h);
  return { x: rect.x, y, w: rect.w, h };
}

/** The largest `w`:`h` rectangle that fits in `area`, centred, in whole pixels. */
export function fitRect(w: number, h: number, area: Rect): Rect {
  const scale = Math.min(area.w / w, area.h / h);
  const fw = Math.max(1, Math.floor(w * scale));
  const fh = Math.max(1, Math.floor(h * scale));
  return {
    x: Math.round(area.x + (area.w - fw) / 2),
    y: Math.round(area.y + (area.h - fh) / 2),
    w: fw,
    h: fh,
  };
}

export interface FrameLayout {
  /** Where the graph image goes on the frame, px. */
  readonly graph: Rect;
  /** The part of the drawing it shows (drawing units), in the same proportions. */
  readonly view: Rect;
  /** The caption band, or null without captions. */
  readonly band: Rect | null;
}

/** The graph's margin on a frame `height` px high. */
export function frameMargin(height: number): number {
  return Math.round(height * 0.03);
}

/**
 * The frame's layout: a `bandHeight` caption band at the bottom (0: none), the graph above it
 * inside a margin, showing `content` (the part of the drawing wanted) widened within `drawing`.
 */
export function frameLayout(
  width: number,
  height: number,
  bandHeight: number,
  content: Rect,
  drawing: Rect,
): FrameLayout {
  const m = frameMargin(height);
  const band = bandHeight > 0 ? { x: 0, y: height - bandHeight, w: width, h: bandHeight } : null;
  const area = {
    x: m,
    y: m,
    w: Math.max(1, width - 2 * m),
    h: Math.max(1, height - bandHeight - 2 * m),
  };
  const view = expandToAspect(content, area.w / area.h, drawing);
  return { graph: fitRect(view.w, view.h, area), view, band };
}
