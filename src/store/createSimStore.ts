/**
 * A store for a scenario simulated here, on the calling thread: for tests, the command line
 * and the speaker view. The page's own stores start from runs its scenario loader made in a
 * Web Worker (./simStore.ts, src/app/loader), so the page starts without the simulated kernel.
 */
import type { StoreApi } from 'zustand/vanilla';
import { runScenario, type ScenarioRun } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import { simStoreFromRun, type SimState } from './simStore';

export * from './simStore';

/** Creates a store for one scenario; `ran` is its run when it was already simulated. */
export function createSimStore(
  scenario: Scenario,
  startStep = 0,
  ran?: ScenarioRun,
): StoreApi<SimState> {
  return simStoreFromRun(scenario, ran ?? runScenario(scenario), startStep);
}
