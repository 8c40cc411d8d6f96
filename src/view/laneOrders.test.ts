/** The lane ordering's budget: every library scenario is ordered, a large generated one not. */
import { describe, expect, it } from 'vitest';
import { beyondLaneOrderBudget } from '../app/lanes/useLaneOrders';
import { runScenario } from '../scenario/run';
import { buildTimeline } from '../store/timeline';
import { generateScenario } from '../testing/generateScenario';
import { LIBRARY_SCENARIOS } from '../testing/library';
import { withinLaneOrderBudget } from './laneOrders';

describe('the lane ordering budget', () => {
  it('takes every library scenario on', () => {
    const over = LIBRARY_SCENARIOS.filter((s) => {
      const run = runScenario(s);
      return beyondLaneOrderBudget(run) || !withinLaneOrderBudget(buildTimeline(run));
    }).map((s) => s.id);
    expect(over).toEqual([]);
  }, 120_000);

  it('leaves a timeline of a few hundred objects in first-appearance order', () => {
    const run = runScenario(generateScenario({ objects: 300, steps: 300 }));
    expect(withinLaneOrderBudget(buildTimeline(run))).toBe(false);
    // The page does not even send it to the worker.
    expect(beyondLaneOrderBudget(run)).toBe(true);
  }, 120_000);
});
