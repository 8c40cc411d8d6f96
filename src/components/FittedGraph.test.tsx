import { describe, expect, it } from 'vitest';
import {
  GLIDE_BUDGET,
  LANE_TITLE_MARGIN,
  glides,
  laneHeadShift,
  laneTitleShifts,
} from './FittedGraph';
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

describe('laneTitleShifts', () => {
  /** Three lanes across the drawing, their titles 90 units wide. */
  const lanes = [
    { x: 20, w: 300, title: 90 },
    { x: 360, w: 300, title: 90 },
    { x: 700, w: 280, title: 90 },
  ];

  it('leaves every title where its lane starts while the view shows the drawing’s left end', () => {
    expect(laneTitleShifts(whole, W, H, lanes)).toEqual([0, 0, 0]);
    expect(laneTitleShifts({ ...whole, left: 40 }, W, H, lanes)).toEqual([0, 0, 0]);
    // Zoomed out, a title 5 units in is in view: it stays, though nearer the edge than the
    // margin; once it starts left of the edge, it moves to the margin.
    const small = { left: 0, top: 0, width: W / 4, height: H / 4 };
    expect(laneTitleShifts(small, W, H, [{ x: 5, w: 300, title: 90 }])).toEqual([0]);
    const [dx] = laneTitleShifts({ ...small, left: -2 }, W, H, [{ x: 5, w: 300, title: 90 }]);
    expect(-2 + (5 + (dx ?? NaN)) / 4).toBe(LANE_TITLE_MARGIN);
  });

  it('moves the title of a lane that starts left of the view to its left edge', () => {
    // Scale 2, the drawing moved 900 px left: the view starts at 450 units, in the second lane.
    const p = { left: -900, top: 0, width: W * 2, height: H * 2 };
    const [first, second, third] = laneTitleShifts(p, W, H, lanes);
    // On screen: the second lane's title starts the margin in from the view's edge.
    expect(p.left + (360 + (second ?? NaN)) * 2).toBe(LANE_TITLE_MARGIN);
    // The third lane starts in view, the first is out of view: their titles stay.
    expect(third).toBe(0);
    expect(first).toBe(0);
  });

  it('leaves a title where it is when too little of its lane shows to hold it', () => {
    const lane = { x: 20, w: 300, title: 90 };
    // At scale 1 a title needs the margin and its width: 100 units of the lane in view.
    const at = (shown: number) => ({ left: -(320 - shown), top: 0, width: W, height: H });
    expect(laneTitleShifts(at(99), W, H, [lane])).toEqual([0]);
    expect(laneTitleShifts(at(100), W, H, [lane])).toEqual([320 - 100 + LANE_TITLE_MARGIN - 20]);
  });

  it('moves nothing for a placement with no size', () => {
    expect(laneTitleShifts({ left: -500, top: 0, width: 0, height: 0 }, W, H, lanes)).toEqual([
      0, 0, 0,
    ]);
  });
});
