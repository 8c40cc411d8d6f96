import { describe, expect, it } from 'vitest';
import { GLIDE_BUDGET, glides } from './FittedGraph';

/** A drawing of 1,000×500 shown whole in a box of that size, and parts of it zoomed in. */
const W = 1_000;
const H = 500;
const whole = { left: 0, top: 0, width: W, height: H };
const zoomed = (k: number) => ({ left: -100, top: -50, width: W * k, height: H * k });

describe('glides', () => {
  it('glides a library-sized drawing even across a large zoom', () => {
    expect(glides(whole, zoomed(5), W, H, 60)).toBe(true);
    expect(glides(zoomed(5), whole, W, H, 60)).toBe(true);
  });

  it('moves a large drawing at once when the glide zooms far', () => {
    // 452 cards from the whole drawing to a step at 3× the scale: 452 × 9 is over budget.
    expect(452 * 9).toBeGreaterThan(GLIDE_BUDGET);
    expect(glides(whole, zoomed(3), W, H, 452)).toBe(false);
    expect(glides(zoomed(3), whole, W, H, 452)).toBe(false);
  });

  it('glides a large drawing when the camera pans at one scale', () => {
    const a = zoomed(2);
    const b = { ...a, left: a.left - 400, top: a.top - 120 };
    expect(glides(a, b, W, H, 452)).toBe(true);
    expect(glides(a, b, W, H, GLIDE_BUDGET + 1)).toBe(false);
  });

  it('does not glide from or to a placement with no size', () => {
    const none = { left: 0, top: 0, width: 0, height: 0 };
    expect(glides(none, whole, W, H, 1)).toBe(false);
    expect(glides(whole, none, W, H, 1)).toBe(false);
  });
});
