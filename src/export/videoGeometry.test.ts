import { describe, expect, it } from 'vitest';
import { expandToAspect, fitRect, frameLayout, frameMargin, unionRect } from './videoGeometry';

describe('unionRect', () => {
  it('holds every rectangle', () => {
    expect(
      unionRect([
        { x: 10, y: 20, w: 30, h: 40 },
        { x: 0, y: 50, w: 5, h: 100 },
      ]),
    ).toEqual({ x: 0, y: 20, w: 40, h: 130 });
    expect(unionRect([])).toBeNull();
  });
});

describe('expandToAspect', () => {
  const drawing = { x: 0, y: 0, w: 1000, h: 600 };
  it('widens a tall rectangle about its centre', () => {
    expect(expandToAspect({ x: 400, y: 100, w: 100, h: 100 }, 2, drawing)).toEqual({
      x: 350,
      y: 100,
      w: 200,
      h: 100,
    });
  });
  it('heightens a wide one', () => {
    expect(expandToAspect({ x: 0, y: 200, w: 400, h: 100 }, 2, drawing)).toEqual({
      x: 0,
      y: 150,
      w: 400,
      h: 200,
    });
  });
  it('slides inside the drawing at its edges, and stops where the drawing ends', () => {
    expect(expandToAspect({ x: 0, y: 0, w: 100, h: 100 }, 3, drawing)).toEqual({
      x: 0,
      y: 0,
      w: 300,
      h: 100,
    });
    expect(expandToAspect({ x: 0, y: 0, w: 100, h: 500 }, 4, drawing)).toEqual({
      x: 0,
      y: 0,
      w: 1000,
      h: 500,
    });
  });
  it('never shrinks or moves off what was asked for', () => {
    const r = { x: 100, y: 100, w: 900, h: 100 };
    const e = expandToAspect(r, 16 / 9, { x: 0, y: 0, w: 1000, h: 300 });
    expect(e.x).toBeLessThanOrEqual(r.x);
    expect(e.y).toBeLessThanOrEqual(r.y);
    expect(e.x + e.w).toBeGreaterThanOrEqual(r.x + r.w);
    expect(e.y + e.h).toBeGreaterThanOrEqual(r.y + r.h);
  });
});

describe('fitRect', () => {
  it('is as large as fits, centred, keeping proportions', () => {
    expect(fitRect(200, 100, { x: 0, y: 0, w: 1000, h: 1000 })).toEqual({
      x: 0,
      y: 250,
      w: 1000,
      h: 500,
    });
    expect(fitRect(100, 200, { x: 10, y: 10, w: 1000, h: 400 })).toEqual({
      x: 410,
      y: 10,
      w: 200,
      h: 400,
    });
  });
});

describe('frameLayout', () => {
  const drawing = { x: 0, y: 0, w: 1400, h: 900 };
  it('puts the band at the bottom and the graph above it within the margin', () => {
    const f = frameLayout(1280, 720, 200, { x: 100, y: 50, w: 600, h: 300 }, drawing);
    const m = frameMargin(720);
    expect(f.band).toEqual({ x: 0, y: 520, w: 1280, h: 200 });
    expect(f.graph.y).toBeGreaterThanOrEqual(m);
    expect(f.graph.y + f.graph.h).toBeLessThanOrEqual(520 - m);
    expect(f.graph.x).toBeGreaterThanOrEqual(m);
    expect(f.graph.x + f.graph.w).toBeLessThanOrEqual(1280 - m);
    // The view has the graph's proportions.
    expect(f.view.w / f.view.h).toBeCloseTo(f.graph.w / f.graph.h, 1);
  });
  it('gives the graph the whole frame without a band', () => {
    const f = frameLayout(1920, 1080, 0, { x: 0, y: 0, w: 1400, h: 900 }, drawing);
    expect(f.band).toBeNull();
    expect(f.graph.h).toBe(1080 - 2 * frameMargin(1080));
  });
});
