/**
 * The run of the scenario the page shows, on the revision it is shown on: the one its loader
 * made (`ran`, a file or a link on its own revision), else one the scenario loader's worker
 * makes (./loader/runInWorker.ts): a library scenario, or any scenario on another revision.
 * `onError` hears a run that did not finish (the network, the time budget, the simulator).
 */
import { useEffect, useState } from 'react';
import type { Revision } from '../core/types';
import type { ScenarioRun } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import type { LoadResult } from './loader/loadInWorker';
import { finishedRun, runInWorker } from './loader/runInWorker';

export function useScenarioRun(
  scenario: Scenario | undefined,
  rev: Revision | null,
  ran: ScenarioRun | undefined,
  onError: (scenario: Scenario, result: LoadResult) => void,
): ScenarioRun | undefined {
  const run = ran ?? (scenario ? finishedRun(scenario, rev) : undefined);
  // Bumped when a run finishes, so the page renders again and finds it.
  const [, setRuns] = useState(0);
  useEffect(() => {
    if (!scenario || run) return;
    let live = true;
    runInWorker(scenario, rev).then(
      (r) => {
        if (!live) return;
        if (r.kind === 'ok') setRuns((n) => n + 1);
        else onError(scenario, r);
      },
      (e: unknown) => {
        if (live)
          onError(scenario, {
            kind: 'failed',
            message: e instanceof Error ? e.message : String(e),
          });
      },
    );
    return () => {
      live = false;
    };
  }, [scenario, rev, run, onError]);
  return run;
}
