import { describe, expect, it } from 'vitest';
import { describeProgress } from './useLoadJob';

describe('describeProgress', () => {
  it('says the scenario is being read while it is parsed', () => {
    expect(describeProgress({ phase: 'parse', done: 0, total: 0 })).toBe('reading it');
  });

  it('counts steps from one, with commas between thousands as English writes them', () => {
    const cases: [number, number][] = [
      [0, 9],
      [118, 2_000],
      [998, 1_000],
      [999, 5_001],
      [12_344, 123_456],
      [1_234_566, 10_000_000],
    ];
    for (const [done, total] of cases)
      expect(describeProgress({ phase: 'run', done, total })).toBe(
        `simulating step ${(done + 1).toLocaleString('en')} of ${total.toLocaleString('en')}`,
      );
    expect(describeProgress({ phase: 'run', done: 1_234_566, total: 10_000_000 })).toBe(
      'simulating step 1,234,567 of 10,000,000',
    );
  });
});
