/** Edges that pass lanes between their ends go through the gaps between cards, not under them. */
import { describe, expect, it } from 'vitest';
import { edgeLength, edgePath, edgePoints, laneChannels } from './edgeGeometry';
import type { Box, Layout } from './layout';

const box = (x: number, y: number, h = 40): Box => ({ x, y, w: 100, h });

/** Three lanes; the middle one has two cards with a gap between them at y 100–160. */
function threeLanes(b = box(300, 100)): { layout: Layout; a: Box; b: Box } {
  const a = box(0, 100);
  const boxes = new Map<string, Box>([
    ['a', a],
    ['upper', box(150, 40, 60)],
    ['lower', box(150, 160, 60)],
    ['b', b],
  ]);
  return {
    layout: {
      boxes,
      lanes: [
        { lane: 'user', x: 0, w: 100 },
        { lane: 'links', x: 150, w: 100 },
        { lane: 'progs', x: 300, w: 100 },
      ],
      width: 420,
      height: 300,
    },
    a,
    b,
  };
}

const inside = (p: readonly [number, number], b: Box) =>
  p[0] > b.x && p[0] < b.x + b.w && p[1] > b.y && p[1] < b.y + b.h;

describe('edges across lanes', () => {
  it('lists each lane’s gaps between its cards, and the open space below the last', () => {
    const { layout } = threeLanes();
    const middle = laneChannels(layout)[1];
    expect(middle?.gaps).toEqual([
      [-Infinity, 40],
      [100, 160],
      [220, Infinity],
    ]);
    // Computed once per layout.
    expect(laneChannels(layout)).toBe(laneChannels(layout));
  });

  it('goes through the gap nearest its course instead of under a card', () => {
    // Straight across at y 120 it would miss both cards; the target sits lower, so the course
    // runs into the lower card.
    const low = box(300, 170);
    const { layout, a } = threeLanes(low);
    const b = box(300, 100);
    const direct = edgePoints(a, low, 'fd');
    const routed = edgePoints(a, low, 'fd', 24, laneChannels(layout));
    const lower = layout.boxes.get('lower') as Box;
    const upper = layout.boxes.get('upper') as Box;
    expect(direct.some((p) => inside(p, lower))).toBe(true);
    expect(routed.some((p) => inside(p, lower) || inside(p, upper))).toBe(false);
    // It still starts and ends where the straight edge does.
    expect(routed[0]).toEqual(direct[0]);
    expect(routed.at(-1)).toEqual(direct.at(-1));
    // And the same route backwards.
    const back = edgePoints(low, a, 'fd', 24, laneChannels(layout));
    expect(back.some((p) => inside(p, lower) || inside(p, upper))).toBe(false);
    expect(edgePath(a, b, 'fd', laneChannels(layout))).toMatch(/^M100,120C/);
  });

  it('leaves edges between neighbouring lanes as one S-curve', () => {
    const { layout } = threeLanes();
    const path = edgePath(box(0, 0), box(150, 100), 'fd', laneChannels(layout));
    expect(path.match(/C/g)).toHaveLength(1);
  });
});

describe('edge length', () => {
  it('is the length of the drawn curve: a straight run between two cards at one height', () => {
    // Facing sides 100 apart, same height: the S-curve degenerates to a straight line.
    expect(edgeLength(box(0, 0), box(200, 0), 'ref')).toBeCloseTo(100, 6);
  });

  it('follows a curve through a gap: longer than the straight course, near its polyline', () => {
    const { layout, a, b } = threeLanes(box(300, 20));
    const channels = laneChannels(layout);
    const len = edgeLength(a, b, 'ref', channels);
    const pts = edgePoints(a, b, 'ref', 200, channels);
    const polyline = pts.slice(1).reduce((n, p, i) => {
      const q = pts[i] ?? p;
      return n + Math.hypot(p[0] - q[0], p[1] - q[1]);
    }, 0);
    expect(len).toBeGreaterThan(200);
    expect(Math.abs(len - polyline) / polyline).toBeLessThan(0.002);
  });

  it('measures the loop of an edge to itself', () => {
    const a = box(0, 0);
    expect(edgeLength(a, a, 'ref')).toBeGreaterThan(30);
    expect(edgeLength(a, a, 'ref')).toBeLessThan(60);
  });
});
