/** Presentation keys, and the camera that fits a step's objects into the embed / stage. */
import { describe, expect, it } from 'vitest';
import { fitCamera, followCamera, graphBounds, presentKeyAction, type Rect } from './presentation';

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

describe('followCamera', () => {
  const full = { x: 0, y: 0, w: 2000, h: 1500 };
  const subject = { x: 1200, y: 900, w: 260, h: 90 };

  it('fits the whole graph when it is legible whole', () => {
    const small = { x: 0, y: 0, w: 600, h: 400 };
    expect(followCamera(1200, 800, small, { subject, change: null }, 600, 400, 0.8, 2)).toEqual(
      fitCamera(1200, 800, small, 600, 400, 2),
    );
  });

  it('otherwise shows the graph at the legible scale with the subject in view', () => {
    const cam = followCamera(700, 300, full, { subject, change: full }, 2000, 1500, 0.83, 2);
    if (!cam) throw new Error('no camera');
    const k = cam.width / 2000;
    expect(k).toBeCloseTo(0.83, 2);
    // The subject's box on screen lies inside the 700×300 box.
    const left = cam.left + subject.x * k;
    const top = cam.top + subject.y * k;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(left + subject.w * k).toBeLessThanOrEqual(700);
    expect(top + subject.h * k).toBeLessThanOrEqual(300);
  });

  it('keeps the primary subject in view when the whole subject does not fit', () => {
    const primary = { x: 100, y: 1300, w: 200, h: 80 };
    const wide = { x: 100, y: 100, w: 1500, h: 1280 };
    const cam = followCamera(
      600,
      300,
      full,
      { subject: wide, primary, change: null },
      2000,
      1500,
      0.83,
    );
    if (!cam) throw new Error('no camera');
    const k = cam.width / 2000;
    expect(cam.top + primary.y * k).toBeGreaterThanOrEqual(0);
    expect(cam.top + (primary.y + primary.h) * k).toBeLessThanOrEqual(300);
    expect(cam.left + primary.x * k).toBeGreaterThanOrEqual(0);
  });

  it('starts at the top of a graph that is wide but fits the view from top to bottom', () => {
    // A phone: the graph is too wide to be legible whole, but its height fits the view.
    const low = { x: 0, y: 0, w: 2000, h: 300 };
    const card = { x: 1200, y: 150, w: 260, h: 90 };
    const cam = followCamera(390, 360, low, { subject: card, change: null }, 2000, 1500, 0.9);
    if (!cam) throw new Error('no camera');
    const k = cam.width / 2000;
    expect(k).toBeCloseTo(0.9, 2);
    // No room above the graph's top (its lane titles), the rest of the view below it.
    expect(cam.top + low.y * k).toBeCloseTo(0, 0);
    // Across, the subject is centred as before.
    expect(cam.left + (card.x + card.w / 2) * k).toBeCloseTo(390 / 2, 0);
  });

  /** The camera before the first step, with `drawn` drawn, in a 700 px wide view. */
  const atStart = (drawn: Rect, ch: number) => {
    const cam = followCamera(
      700,
      ch,
      full,
      { subject: null, change: null, drawn },
      2000,
      1500,
      0.8,
    );
    if (!cam) throw new Error('no camera');
    return { cam, k: cam.width / 2000 };
  };

  it('before the first step, stays at the top-left while what is drawn is in view', () => {
    const { cam } = atStart({ x: 20, y: 200, w: 240, h: 60 }, 400);
    expect(cam).toEqual(followCamera(700, 400, full, null, 2000, 1500, 0.8));
    expect(cam.top).toBe(0);
    expect(cam.left).toBe(0);
  });

  it('before the first step, moves down only as far as showing what is drawn takes', () => {
    const card = { x: 20, y: 1100, w: 240, h: 60 };
    const { cam, k } = atStart(card, 400);
    expect(k).toBeCloseTo(0.8, 2);
    const bottom = cam.top + (card.y + card.h) * k;
    // In view, near the view's foot: the view moved no further than it had to.
    expect(cam.top + card.y * k).toBeGreaterThanOrEqual(0);
    expect(bottom).toBeLessThanOrEqual(400);
    expect(bottom).toBeGreaterThan(400 - 60);
    expect(cam.left).toBe(0);
  });

  it('before the first step, shows the start of a drawing taller than the view', () => {
    const cards = { x: 20, y: 1000, w: 240, h: 450 };
    const { cam, k } = atStart(cards, 300);
    const top = cam.top + cards.y * k;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(40);
  });

  it('a step that names or changes something is followed, whatever is drawn', () => {
    const drawn = { x: 20, y: 1100, w: 240, h: 60 };
    expect(
      followCamera(700, 300, full, { subject, change: null, drawn }, 2000, 1500, 0.83),
    ).toEqual(followCamera(700, 300, full, { subject, change: null }, 2000, 1500, 0.83));
  });

  it("frames a subject below the lanes' titles drawn at the top of the view (`head`)", () => {
    // A subject taller than the view's half: centred, its top would sit in the titles' band.
    const tall = { x: 1200, y: 900, w: 260, h: 300 };
    const head = 44;
    const topOf = (h: number) => {
      const cam = followCamera(
        700,
        300,
        full,
        { subject: tall, change: null },
        2000,
        1500,
        0.83,
        2,
        h,
      );
      if (!cam) throw new Error('no camera');
      return (cam.top + tall.y * (cam.width / 2000)) / (cam.width / 2000);
    };
    // Drawing units between the view's top and the subject's.
    expect(topOf(0)).toBeLessThan(head);
    expect(topOf(head)).toBeGreaterThanOrEqual(head);
    expect(topOf(head)).toBeLessThanOrEqual(topOf(0) + head);
  });

  it('keeps only the room for the titles that a subject leaves in the view', () => {
    // The view is 300 / 0.83 ≈ 361 units tall: a 340-unit subject leaves 21 of the 44.
    const big = { x: 1200, y: 900, w: 260, h: 340 };
    const cam = followCamera(
      700,
      300,
      full,
      { subject: big, change: null },
      2000,
      1500,
      0.83,
      2,
      44,
    );
    if (!cam) throw new Error('no camera');
    const k = cam.width / 2000;
    expect(cam.top + big.y * k).toBeGreaterThanOrEqual(0);
    expect(cam.top + (big.y + big.h) * k).toBeLessThanOrEqual(300 + 0.5);
    expect((cam.top + big.y * k) / k).toBeGreaterThanOrEqual(20);
    // Less than the whole room: the titles are not drawn at the top of this view.
    expect(cam.titles).toBe(false);
    const small = followCamera(700, 300, full, { subject, change: null }, 2000, 1500, 0.83, 2, 44);
    expect(small?.titles).toBeUndefined();
  });

  it('shows a subject the whole graph leaves out', () => {
    const outside = { x: -300, y: 50, w: 200, h: 50 };
    const cam = followCamera(500, 300, full, { subject: outside, change: null }, 2000, 1500, 0.83);
    if (!cam) throw new Error('no camera');
    const k = cam.width / 2000;
    expect(cam.left + outside.x * k).toBeGreaterThanOrEqual(0);
  });
});
