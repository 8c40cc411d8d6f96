/**
 * Which scenarios the page runs alongside the scenario loader's worker (./runOnPage.ts): the
 * worker asks this of a scenario it has read, so this module is all of the page's run it loads.
 */
import type { Scenario } from '../../scenario/schema';

/**
 * Whether a scenario is large enough to be run on the page alongside the worker: about the
 * size whose run the worker hands back to be run again (./rerun.ts, 4,000 events or more). A
 * smaller run is posted by the worker; running it here too only costs the page the simulated
 * kernel's chunk and a run it throws away (at 300 generated objects, weight 226 and 3,009
 * events, a threshold of 150 made loads 6 % slower: 1,224 against 1,148 ms, 6 loads each).
 * Generated scenarios of 400 objects weigh 300 and make 4,014 events; scenarios of other
 * shapes make 8 to 33 events per unit of weight, so the threshold is a middle, not a bound.
 */
export const PAGE_RUN_MIN_WEIGHT = 300;

/** Programs and maps declared, and steps: a cheap measure of how much a scenario runs. */
export function scenarioWeight(scenario: Scenario): number {
  let n = scenario.steps.length;
  for (const o of Object.values(scenario.objects))
    n += Object.keys(o.progs).length + Object.keys(o.maps ?? {}).length;
  return n;
}
