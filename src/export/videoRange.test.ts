import { describe, expect, it } from 'vitest';
import {
  clampRange,
  clampSecondsPerStep,
  defaultRange,
  formatSeconds,
  rangeSummary,
  stepsOf,
} from './videoRange';

describe('defaultRange', () => {
  it('runs from the step on screen to the end', () => {
    expect(defaultRange(3, 9)).toEqual({ from: 3, to: 9 });
    expect(defaultRange(1, 9)).toEqual({ from: 1, to: 9 });
    expect(defaultRange(8, 9)).toEqual({ from: 8, to: 9 });
  });

  it('is the whole scenario from step 1 on the initial state or on the last step', () => {
    expect(defaultRange(0, 9)).toEqual({ from: 1, to: 9 });
    expect(defaultRange(9, 9)).toEqual({ from: 1, to: 9 });
    expect(defaultRange(1, 1)).toEqual({ from: 1, to: 1 });
  });

  it('copes with an empty scenario and odd cursors', () => {
    expect(defaultRange(0, 0)).toEqual({ from: 0, to: 0 });
    expect(defaultRange(Number.NaN, 5)).toEqual({ from: 1, to: 5 });
    expect(defaultRange(50, 5)).toEqual({ from: 1, to: 5 });
  });
});

describe('clampRange', () => {
  it('keeps steps within 0…count, whole', () => {
    expect(clampRange(2, 4, 9)).toEqual({ from: 2, to: 4 });
    expect(clampRange(-2, 40, 9)).toEqual({ from: 0, to: 9 });
    expect(clampRange(2.4, 3.6, 9)).toEqual({ from: 2, to: 4 });
  });

  it('swaps a range typed the wrong way round', () => {
    expect(clampRange(7, 3, 9)).toEqual({ from: 3, to: 7 });
  });

  it('replaces what is not a number', () => {
    expect(clampRange(Number.NaN, Number.NaN, 9)).toEqual({ from: 1, to: 9 });
    expect(clampRange(4, Number.POSITIVE_INFINITY, 9)).toEqual({ from: 4, to: 9 });
    expect(clampRange(Number.NaN, 0, 0)).toEqual({ from: 0, to: 0 });
  });
});

describe('steps and seconds', () => {
  it('lists a range', () => {
    expect(stepsOf({ from: 2, to: 4 })).toEqual([2, 3, 4]);
    expect(stepsOf({ from: 5, to: 5 })).toEqual([5]);
  });

  it('keeps seconds per step between 0.5 and 60, on half seconds', () => {
    expect(clampSecondsPerStep(2)).toBe(2);
    expect(clampSecondsPerStep(0.1)).toBe(0.5);
    expect(clampSecondsPerStep(1.3)).toBe(1.5);
    expect(clampSecondsPerStep(600)).toBe(60);
    expect(clampSecondsPerStep(Number.NaN)).toBe(3);
  });

  it('says what a range gives', () => {
    expect(rangeSummary({ from: 2, to: 4 }, 1.5)).toBe('3 steps, 4.5 s of video');
    expect(rangeSummary({ from: 2, to: 2 }, 3)).toBe('1 step, 3 s of video');
    expect(rangeSummary({ from: 1, to: 42 }, 3)).toBe('42 steps, 2 min 6 s of video');
    expect(formatSeconds(120)).toBe('2 min');
  });
});
