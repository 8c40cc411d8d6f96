/**
 * Where an edge runs between two boxes: its SVG path (what GraphView draws) and the same
 * curve as points (what the crossing count measures). Pure.
 *
 * An edge leaves the side of its source box that faces the target and enters the facing side
 * of the target, as a horizontal S-curve. An edge that passes lanes between its ends crosses
 * each of them through a gap between that lane's cards (the one nearest its straight course),
 * never under a card. An edge within one lane bows out to the right; an edge to itself (and a
 * legacy registration) is a small loop.
 */
import type { Box, Layout } from './layout';

type Pt = readonly [number, number];

/** A cubic Bézier: start, two control points, end. */
type Cubic = readonly [Pt, Pt, Pt, Pt];

/** One lane's column and the free spans between its cards, top to bottom. */
interface Channel {
  readonly x: number;
  readonly w: number;
  readonly gaps: readonly (readonly [number, number])[];
}

/** Where edges may cross each lane of a layout: between its cards. */
export type Channels = readonly Channel[];

/** Room kept between a passing edge and the cards above and below it. */
const CLEAR = 4;

const channelsOf = new WeakMap<Layout, Channels>();

/**
 * The free spans of every lane of `layout` (every box the layout holds, drawn at this point or
 * not, so that an edge's route holds still from step to step as its ends do).
 */
export function laneChannels(layout: Layout): Channels {
  const known = channelsOf.get(layout);
  if (known) return known;
  // One pass over the boxes (a layout of a long timeline holds thousands), then each lane's.
  const byLane: (readonly [number, number])[][] = layout.lanes.map(() => []);
  for (const b of layout.boxes.values()) {
    const i = layout.lanes.findIndex((lane) => b.x >= lane.x && b.x < lane.x + lane.w);
    if (i >= 0) byLane[i]?.push([b.y, b.y + b.h]);
  }
  const out = layout.lanes.map((lane, i) => {
    const spans = (byLane[i] ?? []).sort((p, q) => p[0] - q[0]);
    const gaps: [number, number][] = [];
    let free = -Infinity;
    for (const [y0, y1] of spans) {
      if (y0 - free >= 2 * CLEAR) gaps.push([free, y0]);
      free = Math.max(free, y1);
    }
    gaps.push([free, Infinity]);
    return { x: lane.x, w: lane.w, gaps };
  });
  channelsOf.set(layout, out);
  return out;
}

/** The height nearest `y` at which an edge can cross a lane with `gaps`. */
function crossingY(y: number, gaps: Channel['gaps']): number {
  let best = y;
  let bestDist = Infinity;
  for (const [g0, g1] of gaps) {
    const at = Math.min(Math.max(y, g0 + CLEAR), g1 - CLEAR);
    const d = Math.abs(at - y);
    if (d < bestDist) {
      bestDist = d;
      best = at;
    }
  }
  return best;
}

/** A horizontal S-curve from `p` to `q`. */
function sCurve(p: Pt, q: Pt): Cubic {
  const mx = (p[0] + q[0]) / 2;
  return [p, [mx, p[1]], [mx, q[1]], q];
}

/** A straight run from `p` to `q`, as a cubic. */
function straight(p: Pt, q: Pt): Cubic {
  const at = (t: number): Pt => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
  return [p, at(1 / 3), at(2 / 3), q];
}

/**
 * The curve of an edge from box `a` to box `b`, as cubic pieces; none for a loop. With
 * `channels`, it crosses the lanes between its ends through their gaps.
 */
export function edgeCurves(a: Box, b: Box, kind: string, channels?: Channels): Cubic[] {
  if (a === b || kind === 'legacy_reg') return [];
  const sameLane = Math.abs(a.x - b.x) < 1;
  if (sameLane) {
    const x = a.x + a.w;
    const y0 = a.y + a.h / 2;
    const y1 = b.y + b.h / 2;
    return [
      [
        [x, y0],
        [x + 40, y0],
        [x + 40, y1],
        [b.x + b.w, y1],
      ],
    ];
  }
  const forward = b.x >= a.x + a.w / 2;
  const s: Pt = forward ? [a.x + a.w, a.y + a.h / 2] : [a.x, a.y + a.h / 2];
  const t: Pt = forward ? [b.x, b.y + b.h / 2] : [b.x + b.w, b.y + b.h / 2];
  const [left, right] = forward ? [s, t] : [t, s];
  const between = (channels ?? []).filter((c) => c.x > left[0] && c.x + c.w < right[0]);
  if (between.length === 0) return [sCurve(s, t)];
  // Left to right through each lane between the ends, at the gap nearest the straight course.
  const stops: Pt[] = [left];
  for (const c of between) {
    const mid = c.x + c.w / 2;
    const course = left[1] + ((right[1] - left[1]) * (mid - left[0])) / (right[0] - left[0]);
    const y = crossingY(course, c.gaps);
    stops.push([c.x, y], [c.x + c.w, y]);
  }
  stops.push(right);
  const pieces: Cubic[] = [];
  for (let i = 1; i < stops.length; i++) {
    const p = stops[i - 1] as Pt;
    const q = stops[i] as Pt;
    // Odd pieces run between lanes (S-curves), even ones across a lane (straight).
    pieces.push(i % 2 === 1 ? sCurve(p, q) : straight(p, q));
  }
  if (forward) return pieces;
  return pieces.reverse().map(([p0, p1, p2, p3]) => [p3, p2, p1, p0] as Cubic);
}

/** The SVG path of an edge from box `a` to box `b` (through `channels`, when given). */
export function edgePath(a: Box, b: Box, kind: string, channels?: Channels): string {
  const pieces = edgeCurves(a, b, kind, channels);
  const first = pieces[0];
  if (!first) {
    const x = a.x + a.w;
    const y = a.y + 18;
    return `M${x},${y} c28,-16 28,28 0,14`;
  }
  const n = (v: number) => Math.round(v * 10) / 10;
  const pt = (p: Pt) => `${n(p[0])},${n(p[1])}`;
  return `M${pt(first[0])}${pieces.map(([, c1, c2, q]) => `C${pt(c1)},${pt(c2)},${pt(q)}`).join('')}`;
}

/** The edge's curve as points, `segments` per piece (none for a loop). */
export function edgePoints(a: Box, b: Box, kind: string, segments = 24, channels?: Channels): Pt[] {
  const out: Pt[] = [];
  for (const [k, [p0, p1, p2, p3]] of edgeCurves(a, b, kind, channels).entries()) {
    for (let i = k === 0 ? 0 : 1; i <= segments; i++)
      out.push(cubicAt([p0, p1, p2, p3], i / segments));
  }
  return out;
}

/** The point of a cubic Bézier at `t` (0…1). */
function cubicAt([p0, p1, p2, p3]: Cubic, t: number): Pt {
  const u = 1 - t;
  const w0 = u * u * u;
  const w1 = 3 * u * u * t;
  const w2 = 3 * u * t * t;
  const w3 = t * t * t;
  return [
    w0 * p0[0] + w1 * p1[0] + w2 * p2[0] + w3 * p3[0],
    w0 * p0[1] + w1 * p1[1] + w2 * p2[1] + w3 * p3[1],
  ];
}

/** The length of a cubic, summed over `segments` straight chords (within 0.1% for S-curves). */
function cubicLength(c: Cubic, segments = 16): number {
  let len = 0;
  let [x, y] = c[0];
  for (let i = 1; i <= segments; i++) {
    const [nx, ny] = cubicAt(c, i / segments);
    len += Math.hypot(nx - x, ny - y);
    x = nx;
    y = ny;
  }
  return len;
}

/**
 * The length of the edge {@link edgePath} draws, computed from its geometry (what the draw-in
 * of a new edge dashes by), so that no step has to ask the browser for it (a layout read).
 */
export function edgeLength(a: Box, b: Box, kind: string, channels?: Channels): number {
  const pieces = edgeCurves(a, b, kind, channels);
  if (pieces.length === 0) {
    // The loop `M x,y c28,-16 28,28 0,14`, relative to its start.
    return cubicLength([
      [0, 0],
      [28, -16],
      [28, 28],
      [0, 14],
    ]);
  }
  return pieces.reduce((n, c) => n + cubicLength(c), 0);
}
