/** Which scenarios the page runs alongside the loader's worker, by their weight. */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenario/run';
import { generateScenario } from '../../testing/generateScenario';
import { PAGE_RUN_MIN_WEIGHT, scenarioWeight } from './pageRunWeight';
import { eventCount, RERUN_MIN_EVENTS } from './rerun';

const scenario = generateScenario({ objects: 40, steps: 60 });

describe('scenarioWeight', () => {
  it('counts steps, programs and maps', () => {
    let expected = scenario.steps.length;
    for (const o of Object.values(scenario.objects))
      expected += Object.keys(o.progs).length + Object.keys(o.maps ?? {}).length;
    expect(scenarioWeight(scenario)).toBe(expected);
  });

  it('a scenario whose run the worker would hand back is heavy enough to run alongside', () => {
    const handedBack = [150, 300, 600]
      .map((objects) => generateScenario({ objects, steps: objects * 2 }))
      .filter((s) => eventCount(runScenario(s)) >= RERUN_MIN_EVENTS);
    expect(handedBack.length).toBeGreaterThan(0);
    for (const s of handedBack)
      expect(scenarioWeight(s)).toBeGreaterThanOrEqual(PAGE_RUN_MIN_WEIGHT);
  });

  it('a scenario whose run the worker posts, at a few thousand events, runs only in the worker', () => {
    const posted = generateScenario({ objects: 100, steps: 100 });
    const events = eventCount(runScenario(posted));
    expect(events).toBeGreaterThan(2_000);
    expect(events).toBeLessThan(RERUN_MIN_EVENTS);
    expect(scenarioWeight(posted)).toBeLessThan(PAGE_RUN_MIN_WEIGHT);
  });
});
