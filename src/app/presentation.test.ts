/** Presentation keys, and the camera that fits a step's objects into the embed / stage. */
import { describe, expect, it } from 'vitest';
import {
  fitCamera,
  focusCamera,
  graphBounds,
  LEGIBLE_SCALE,
  presentKeyAction,
} from './presentation';

describe('presentKeyAction', () => {
  it('maps clicker and keyboard keys', () => {
    expect(presentKeyAction('PageDown')).toBe('next');
    expect(presentKeyAction('ArrowRight')).toBe('next');
    expect(presentKeyAction('PageUp')).toBe('prev');
    expect(presentKeyAction('ArrowLeft')).toBe('prev');
    expect(presentKeyAction(']')).toBe('nextChapter');
    expect(presentKeyAction('[')).toBe('prevChapter');
    expect(presentKeyAction('b')).toBe('blank');
    expect(presentKeyAction('B')).toBe('blank');
    expect(presentKeyAction('.')).toBe('blank');
    expect(presentKeyAction('Escape')).toBe('exit');
    expect(presentKeyAction('f')).toBe('fullscreen');
    expect(presentKeyAction(' ')).toBe('auto');
    expect(presentKeyAction('z')).toBe('follow');
  });

  it('leaves other keys alone (Home/End keep their meaning; P is the app’s)', () => {
    for (const k of ['Home', 'End', 'p', 'Tab', 'Enter', 'a', 'F5', 'ArrowUp', 'ArrowDown']) {
      expect(presentKeyAction(k)).toBeNull();
    }
  });
});

describe('graphBounds', () => {
  it('wraps the boxes with a margin, reaching up to the lane titles', () => {
    const b = graphBounds(
      [
        { x: 100, y: 56, w: 200, h: 60 },
        { x: 400, y: 300, w: 100, h: 50 },
      ],
      1450,
      5000,
      20,
    );
    expect(b).toEqual({ x: 80, y: 0, w: 540 - 80, h: 370 });
  });

  it('stays within the layout', () => {
    const b = graphBounds([{ x: 5, y: 4900, w: 1440, h: 90 }], 1450, 5000, 30);
    expect(b.x).toBe(0);
    expect(b.x + b.w).toBeLessThanOrEqual(1450);
    expect(b.y + b.h).toBeLessThanOrEqual(5000);
    expect(b.y).toBe(4900 - 56);
  });

  it('shows the top of the layout when nothing is on screen', () => {
    expect(graphBounds([], 1000, 3000)).toEqual({ x: 0, y: 0, w: 1000, h: 500 });
    expect(graphBounds([], 1000, 300)).toEqual({ x: 0, y: 0, w: 1000, h: 300 });
  });
});

describe('fitCamera', () => {
  it('fits the bounds in both directions, centred, keeping proportions', () => {
    // Bounds 400×200 of a 1000×1000 drawing in a 800×200 box: height-bound, scale 1.
    const c = fitCamera(800, 200, { x: 100, y: 300, w: 400, h: 200 }, 1000, 1000);
    expect(c).toEqual({ width: 1000, height: 1000, left: 200 - 100, top: -300 });
    // The same in a 200×800 box: width-bound, scale 0.5.
    const d = fitCamera(200, 800, { x: 100, y: 300, w: 400, h: 200 }, 1000, 1000);
    expect(d).toEqual({ width: 500, height: 500, left: -50, top: 350 - 150 });
  });

  it('never enlarges beyond maxScale', () => {
    const c = fitCamera(4000, 4000, { x: 0, y: 0, w: 100, h: 100 }, 100, 100, 2);
    expect(c?.width).toBe(200);
    expect(c?.left).toBe(1900);
  });

  it('gives up on empty boxes', () => {
    expect(fitCamera(0, 100, { x: 0, y: 0, w: 10, h: 10 }, 10, 10)).toBeNull();
    expect(fitCamera(100, 100, { x: 0, y: 0, w: 0, h: 10 }, 10, 10)).toBeNull();
  });
});

describe('focusCamera', () => {
  // A tall graph (1000×2000) in a 1200×600 box: the whole of it fits only at 0.3×.
  const full = { x: 0, y: 0, w: 1000, h: 2000 };

  it('shows the whole graph when it is legible, or when nothing changed', () => {
    const small = { x: 0, y: 0, w: 500, h: 250 };
    expect(focusCamera(1200, 600, small, { x: 0, y: 0, w: 100, h: 50 }, 500, 250, 2.5)).toEqual(
      fitCamera(1200, 600, small, 500, 250, 2.5),
    );
    expect(Math.min(1200 / small.w, 600 / small.h)).toBeGreaterThanOrEqual(LEGIBLE_SCALE);
    expect(focusCamera(1200, 600, full, null, 1000, 2000, 2.5)).toEqual(
      fitCamera(1200, 600, full, 1000, 2000, 2.5),
    );
  });

  it('zooms in on the change, up to maxScale, centred on it', () => {
    const cam = focusCamera(1200, 600, full, { x: 400, y: 1000, w: 200, h: 100 }, 1000, 2000, 2);
    expect(cam).not.toBeNull();
    if (!cam) return;
    expect(cam.width).toBe(2000); // 2×
    // The change's centre (500, 1050) lands in the middle of the box.
    expect(cam.left + 500 * 2).toBe(600);
    expect(cam.top + 1050 * 2).toBe(300);
  });

  it('keeps the view inside the graph near its edges', () => {
    const cam = focusCamera(1200, 600, full, { x: 0, y: 0, w: 100, h: 80 }, 1000, 2000, 2);
    if (!cam) throw new Error('no camera');
    // Scaled 2×, the view is 600×300 drawing px; centred on (50, 40) it would start at
    // negative coordinates, so it is pushed back to the graph's corner.
    expect(cam.left).toBe(0);
    expect(cam.top).toBe(0);
  });

  it('never zooms out further than the whole graph', () => {
    const cam = focusCamera(1200, 600, full, { x: 0, y: 0, w: 1000, h: 2000 }, 1000, 2000, 2);
    expect(cam).toEqual(fitCamera(1200, 600, full, 1000, 2000, 2));
  });
});
