/**
 * How well a drawn graph reads: how many pairs of edges cross, and how often an edge runs
 * under a card it does not connect. Measured on the curves as drawn (edgeGeometry.ts), for
 * the layout benchmark and its tests. Pure.
 */
import { edgePoints, laneChannels } from './edgeGeometry';
import type { Box, Layout } from './layout';
import type { Graph } from './toGraph';

type Pt = readonly [number, number];

export interface Readability {
  /** Pairs of edges (not sharing an end) whose curves cross. */
  readonly crossings: number;
  /** (edge, card) pairs where the edge runs through a card that is not one of its ends. */
  readonly underCards: number;
  /** How far edges run up or down: the vertical distance between their ends, in px, summed. */
  readonly span: number;
}

function orient(a: Pt, b: Pt, c: Pt): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/**
 * Whether segments ab and cd meet (two curves that cross exactly at a sample point meet at a
 * segment's end); segments on one line do not count.
 */
function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if ((d1 === 0 && d2 === 0) || (d3 === 0 && d4 === 0)) return false;
  return d1 * d2 <= 0 && d3 * d4 <= 0;
}

function bounds(pts: readonly Pt[]): Box {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

function polylinesCross(p: readonly Pt[], q: readonly Pt[]): boolean {
  for (let i = 1; i < p.length; i++) {
    const a = p[i - 1] as Pt;
    const b = p[i] as Pt;
    for (let j = 1; j < q.length; j++)
      if (segmentsCross(a, b, q[j - 1] as Pt, q[j] as Pt)) return true;
  }
  return false;
}

/** Whether the polyline passes through the inside of `box` (2 px in from its border). */
function runsThrough(p: readonly Pt[], box: Box): boolean {
  const x0 = box.x + 2;
  const y0 = box.y + 2;
  const x1 = box.x + box.w - 2;
  const y1 = box.y + box.h - 2;
  return p.some(([x, y]) => x > x0 && x < x1 && y > y0 && y < y1);
}

/**
 * Counts the crossings and the edges under cards of `graph` drawn with `layout`. An edge
 * leaving an fd (or an fd row) belongs to its process too, so the card it leaves from is not
 * counted as one it runs under.
 */
export function readability(graph: Graph, layout: Layout): Readability {
  const parent = new Map<string, string>();
  for (const n of graph.nodes) {
    if (n.parent) parent.set(n.id, n.parent);
    for (const r of n.rows ?? []) parent.set(r.id, n.id);
  }
  const ends = (id: string): string[] => {
    const p = parent.get(id);
    return p ? [id, p] : [id];
  };
  const channels = laneChannels(layout);
  const drawn = graph.edges.flatMap((e) => {
    const a = layout.boxes.get(e.from);
    const b = layout.boxes.get(e.to);
    if (!a || !b) return [];
    const pts = edgePoints(a, b, e.kind, 24, channels);
    if (pts.length === 0) return [];
    const rise = Math.abs((pts.at(-1)?.[1] ?? 0) - (pts[0]?.[1] ?? 0));
    return [{ ends: new Set([...ends(e.from), ...ends(e.to)]), pts, box: bounds(pts), rise }];
  });
  let crossings = 0;
  for (let i = 0; i < drawn.length; i++) {
    const p = drawn[i];
    if (!p) continue;
    for (let j = i + 1; j < drawn.length; j++) {
      const q = drawn[j];
      if (!q || [...p.ends].some((id) => q.ends.has(id))) continue;
      if (overlaps(p.box, q.box) && polylinesCross(p.pts, q.pts)) crossings++;
    }
  }
  const cards = graph.nodes.flatMap((n) => {
    const b = layout.boxes.get(n.id);
    return b && n.kind !== 'fd' ? [{ id: n.id, b }] : [];
  });
  let underCards = 0;
  for (const e of drawn)
    for (const c of cards)
      if (!e.ends.has(c.id) && overlaps(e.box, c.b) && runsThrough(e.pts, c.b)) underCards++;
  const span = Math.round(drawn.reduce((sum, e) => sum + e.rise, 0));
  return { crossings, underCards, span };
}
