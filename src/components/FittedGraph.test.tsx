import { describe, expect, it } from 'vitest';
import { GLIDE_BUDGET, glides, laneHeadShift } from './FittedGraph';
import { LANE_HEAD } from '../graph/layout';

/** A drawing of 1,000×500 shown whole in a box of that size, and parts of it zoomed in. */
const W = 1_000;
const H = 500;
const whole = { left: 0, top: 0, width: W, height: H };
const zoomed = (k: number) => ({ left: -100, top: -50, width: W * k, height: H * k });

describe('glides', () => {
  it('glides the library’s largest drawing across its largest zoom: 195 cards, 20×', () => {
    expect(glides(whole, zoomed(20), W, H, 195)).toBe(true);
    expect(glides(zoomed(20), whole, W, H, 195)).toBe(true);
  });

  it('moves a large drawing at once when the glide zooms far', () => {
    // 452 cards from the whole drawing at about 1 % scale into the step: a 95× zoom.
    expect(glides(whole, zoomed(95), W, H, 452)).toBe(false);
    expect(glides(zoomed(95), whole, W, H, 452)).toBe(false);
    // 1,352 cards across a 20× zoom: 540,800, over budget.
    expect(1_352 * 400).toBeGreaterThan(GLIDE_BUDGET);
    expect(glides(whole, zoomed(20), W, H, 1_352)).toBe(false);
  });

  it('glides a large drawing when the camera pans at one scale', () => {
    const a = zoomed(2);
    const b = { ...a, left: a.left - 400, top: a.top - 120 };
    expect(glides(a, b, W, H, 1_352)).toBe(true);
    expect(glides(a, b, W, H, GLIDE_BUDGET + 1)).toBe(false);
  });

  it('does not glide from or to a placement with no size', () => {
    const none = { left: 0, top: 0, width: 0, height: 0 };
    expect(glides(none, whole, W, H, 1)).toBe(false);
    expect(glides(whole, none, W, H, 1)).toBe(false);
  });
});

describe('laneHeadShift', () => {
  it('leaves the lane titles in place while the view shows the drawing from its top', () => {
    expect(laneHeadShift(whole, 0, W, H)).toBe(0);
    // The drawing placed below a 44 px toolbar band, or moved 3 units up (less than the
    // titles' top margin).
    expect(laneHeadShift({ ...whole, top: 44 }, 44, W, H)).toBe(0);
    expect(laneHeadShift({ ...whole, top: -3 }, 0, W, H)).toBe(0);
  });

  it('moves them to just below the top of a view down the lanes, in drawing units', () => {
    // Scale 2, the drawing moved 2,000 px up in a box whose frame starts 44 px down: the view
    // starts 1,022 units down the drawing.
    const p = { left: 0, top: -2_000, width: W * 2, height: H * 2 };
    const by = laneHeadShift(p, 44, W, H);
    expect(LANE_HEAD.top + by).toBe(1_022 + 4);
    // On screen: the titles' band starts 8 px below the frame's top.
    expect(p.top + (LANE_HEAD.top + by) * 2).toBe(44 + 8);
  });

  it('leaves them in place for a placement with no size', () => {
    expect(laneHeadShift({ left: 0, top: -100, width: 0, height: 0 }, 0, W, H)).toBe(0);
  });
});
