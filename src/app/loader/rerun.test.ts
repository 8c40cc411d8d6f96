/**
 * Which runs the loader's worker hands back for the page to run again: large ones that were
 * quick; small ones, and slow ones however large, are posted.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenario/run';
import { generateScenario } from '../../testing/generateScenario';
import { eventCount, RERUN_MAX_MS, RERUN_MIN_EVENTS, rerunOnPage } from './rerun';

describe('rerunOnPage', () => {
  const small = runScenario(generateScenario({ objects: 20, steps: 30 }));
  const large = runScenario(generateScenario({ objects: 300, steps: 600 }));

  it('counts every event of every step', () => {
    expect(eventCount(small)).toBe(small.frames.reduce((n, f) => n + f.events.length, 0));
    expect(eventCount(small)).toBeLessThan(RERUN_MIN_EVENTS);
    expect(eventCount(large)).toBeGreaterThanOrEqual(RERUN_MIN_EVENTS);
  });

  it('runs a large, quick run again on the page', () => {
    expect(rerunOnPage(large, 100)).toBe(true);
    expect(rerunOnPage(large, RERUN_MAX_MS)).toBe(true);
  });

  it('posts a small run, and a slow one however large', () => {
    expect(rerunOnPage(small, 1)).toBe(false);
    expect(rerunOnPage(large, RERUN_MAX_MS + 1)).toBe(false);
  });

  it('a second run of the scenario is the same run', () => {
    const again = runScenario(large.scenario);
    expect(JSON.stringify(again.frames.at(-1)?.state)).toBe(
      JSON.stringify(large.frames.at(-1)?.state),
    );
    expect(eventCount(again)).toBe(eventCount(large));
  });
});
