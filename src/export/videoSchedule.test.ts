import { describe, expect, it } from 'vitest';
import { frameTimes, nextFrameDelay, planVideo, stepAt } from './videoSchedule';

describe('planVideo', () => {
  it('holds each step for its seconds', () => {
    expect(planVideo(3, 0.5)).toEqual({ steps: 3, stepMs: 500, fps: 30, totalMs: 1500 });
    expect(planVideo(2, 2.5, 25).totalMs).toBe(5000);
    expect(planVideo(0, 2).totalMs).toBe(0);
  });
});

describe('stepAt', () => {
  const plan = planVideo(3, 1);
  it('is the step whose time it is, then null at the end', () => {
    expect(stepAt(plan, 0)).toBe(0);
    expect(stepAt(plan, 999)).toBe(0);
    expect(stepAt(plan, 1000)).toBe(1);
    expect(stepAt(plan, 2999)).toBe(2);
    expect(stepAt(plan, 2999.9)).toBeNull();
    expect(stepAt(plan, 3000)).toBeNull();
    expect(stepAt(plan, -5)).toBe(0);
    expect(stepAt(planVideo(0, 1), 0)).toBeNull();
  });
});

describe('nextFrameDelay', () => {
  const plan = planVideo(2, 0.5, 30);
  it('is one frame period away from a step change', () => {
    expect(nextFrameDelay(plan, 0)).toBeCloseTo(1000 / 30);
  });
  it('lands on the step change and on the end', () => {
    expect(nextFrameDelay(plan, 490)).toBeCloseTo(10);
    expect(nextFrameDelay(plan, 995)).toBeCloseTo(5);
    expect(nextFrameDelay(plan, 500)).toBeCloseTo(1000 / 30);
  });
  it('never asks for less than 1 ms', () => {
    expect(nextFrameDelay(plan, 499.4)).toBe(1);
    // Within half a millisecond of a change counts as on it: a whole period to the next frame.
    expect(nextFrameDelay(plan, 499.9)).toBeCloseTo(1000 / 30);
    expect(stepAt(plan, 499.9)).toBe(1);
  });
});

describe('frameTimes', () => {
  it('covers every step steadily, with a frame on each change and one at the end', () => {
    const plan = planVideo(3, 0.5, 30);
    const times = frameTimes(plan);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(1500);
    expect(times).toContain(500);
    expect(times).toContain(1000);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThanOrEqual(1000 / 30 + 1e-9);
    }
    // About fps frames a second: 45 for 1.5 s at 30 fps, plus the change frames and the end.
    expect(times.length).toBeGreaterThanOrEqual(46);
    expect(times.length).toBeLessThanOrEqual(49);
  });
});
