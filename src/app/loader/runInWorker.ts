/**
 * Runs of scenarios that are already valid (a library scenario, or any scenario on another
 * revision), simulated by the scenario loader's worker (loadJob.ts), so the page never loads
 * the simulated kernel to show one. A finished run is kept per scenario and revision: going
 * back to a scenario shows it at once, and the page's first load can start its run before
 * React first renders.
 */
import type { Revision } from '../../core/types';
import type { ScenarioRun } from '../../scenario/run';
import type { Scenario } from '../../scenario/schema';
import { withRevision } from '../../view/revisionParam';
import type { LoadResult } from './loadInWorker';

/** The revision a run is on: the scenario's own (`null`) or another. */
type RevKey = Revision | null;

const running = new WeakMap<Scenario, Map<RevKey, Promise<LoadResult>>>();
const finished = new WeakMap<Scenario, Map<RevKey, ScenarioRun>>();

const own = (scenario: Scenario, rev: Revision | null): RevKey =>
  rev === scenario.kernel.revision ? null : rev;

/** The run of `scenario` on `rev`, once it has finished (undefined before). */
export function finishedRun(scenario: Scenario, rev: Revision | null): ScenarioRun | undefined {
  return finished.get(scenario)?.get(own(scenario, rev));
}

/**
 * Runs `scenario` on `rev` (its own revision when null) in the worker, once; later calls share
 * the run. A run that did not finish (the network, the budget, a simulator failure) is tried
 * again next time.
 */
export function runInWorker(scenario: Scenario, rev: Revision | null): Promise<LoadResult> {
  const key = own(scenario, rev);
  const runs = running.get(scenario) ?? new Map<RevKey, Promise<LoadResult>>();
  running.set(scenario, runs);
  const known = runs.get(key);
  if (known) return known;
  const p = import('./loadInWorker').then(
    ({ loadInWorker }) =>
      loadInWorker({ kind: 'run', scenario: withRevision(scenario, rev) }).result,
  );
  runs.set(key, p);
  p.then(
    (r) => {
      if (r.kind !== 'ok') {
        runs.delete(key);
        return;
      }
      const done = finished.get(scenario) ?? new Map<RevKey, ScenarioRun>();
      finished.set(scenario, done);
      done.set(key, r.run);
    },
    () => runs.delete(key),
  );
  return p;
}
