/**
 * Where an edge runs between two boxes: its SVG path (what GraphView draws) and the same
 * curve as points (what the crossing count measures). Pure.
 *
 * An edge leaves the side of its source box that faces the target and enters the facing side
 * of the target, as a horizontal S-curve; an edge within one lane bows out to the right; an
 * edge to itself (and a legacy registration) is a small loop.
 */
import type { Box } from './layout';

type Pt = readonly [number, number];

/** A cubic Bézier: start, two control points, end. */
type Cubic = readonly [Pt, Pt, Pt, Pt];

/** The curve of an edge from box `a` to box `b`; null for a loop. */
export function edgeCurve(a: Box, b: Box, kind: string): Cubic | null {
  if (a === b || kind === 'legacy_reg') return null;
  const sameLane = Math.abs(a.x - b.x) < 1;
  if (sameLane) {
    const x = a.x + a.w;
    const y0 = a.y + a.h / 2;
    const y1 = b.y + b.h / 2;
    return [
      [x, y0],
      [x + 40, y0],
      [x + 40, y1],
      [b.x + b.w, y1],
    ];
  }
  const forward = b.x >= a.x + a.w / 2;
  const s: Pt = forward ? [a.x + a.w, a.y + a.h / 2] : [a.x, a.y + a.h / 2];
  const t: Pt = forward ? [b.x, b.y + b.h / 2] : [b.x + b.w, b.y + b.h / 2];
  const mx = (s[0] + t[0]) / 2;
  return [s, [mx, s[1]], [mx, t[1]], t];
}

/** The SVG path of an edge from box `a` to box `b`. */
export function edgePath(a: Box, b: Box, kind: string): string {
  const c = edgeCurve(a, b, kind);
  if (!c) {
    const x = a.x + a.w;
    const y = a.y + 18;
    return `M${x},${y} c28,-16 28,28 0,14`;
  }
  const [s, c1, c2, t] = c;
  return `M${s[0]},${s[1]}C${c1[0]},${c1[1]},${c2[0]},${c2[1]},${t[0]},${t[1]}`;
}

/** The edge's curve as `segments + 1` points (none for a loop). */
export function edgePoints(a: Box, b: Box, kind: string, segments = 24): Pt[] {
  const c = edgeCurve(a, b, kind);
  if (!c) return [];
  const [p0, p1, p2, p3] = c;
  const out: Pt[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments;
    const u = 1 - t;
    const w0 = u * u * u;
    const w1 = 3 * u * u * t;
    const w2 = 3 * u * t * t;
    const w3 = t * t * t;
    out.push([
      w0 * p0[0] + w1 * p1[0] + w2 * p2[0] + w3 * p3[0],
      w0 * p0[1] + w1 * p1[1] + w2 * p2[1] + w3 * p3[1],
    ]);
  }
  return out;
}
