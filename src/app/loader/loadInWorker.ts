/**
 * Loads a scenario from untrusted input off the page's thread: a Web Worker parses, validates
 * and simulates it (loadJob.ts) while the page stays responsive, shows progress and can cancel.
 * The worker checks its budget between steps; the page also stops a worker that overstays it
 * (a stalled parse) a little later. A large scenario also runs on the page, alongside the
 * worker, once the worker has read it (./runOnPage.ts): whichever run ends first is taken. Where workers are missing (tests), the job runs inline.
 */
import { LOAD_BUDGET_MS } from '../../scenario/limits';
import type { LoadOutcome, LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';
import type { ScenarioRun } from '../../scenario/run';
import type { Scenario } from '../../scenario/schema';
import type { WorkerReply, WorkerRequest } from './messages';
import { runOnPage, WorkerPace } from './runOnPage';
import { takeWorker } from './workers';

export type LoadResult =
  | LoadOutcome
  /** Cancelled by the reader, or the worker overstayed its budget (stopped by the page). */
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'stalled'; readonly afterMs: number };

export interface LoadTask {
  readonly result: Promise<LoadResult>;
  /** Stops the work; `result` settles as cancelled. Harmless once it has settled. */
  cancel(): void;
}

/** How long past its own budget the page waits for a worker before stopping it. */
const GRACE_MS = 2_000;

export function loadInWorker(
  request: LoadRequest,
  onProgress: (p: LoadProgress) => void = () => {},
  budgetMs: number = LOAD_BUDGET_MS,
): LoadTask {
  if (typeof Worker === 'undefined') {
    const result = import('../../scenario/worker/loadJob').then(({ runLoadJob }) =>
      runLoadJob(request, { budgetMs, now: () => performance.now(), onProgress }),
    );
    return { result, cancel: () => {} };
  }
  const worker = takeWorker();
  let settle: (r: LoadResult) => void = () => {};
  const result = new Promise<LoadResult>((resolve) => {
    settle = resolve;
  });
  let done = false;
  /** How far the worker's run is, for the page's run alongside (./runOnPage.ts). */
  const pace = new WorkerPace();
  const finish = (r: LoadResult) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    worker.terminate();
    pace.wake();
    settle(r);
  };
  const timer = setTimeout(
    () => finish({ kind: 'stalled', afterMs: budgetMs + GRACE_MS }),
    budgetMs + GRACE_MS,
  );
  /** The page's own run of a large scenario (./runOnPage.ts), once the worker posted it. */
  let pageRun: Promise<ScenarioRun | null> | null = null;
  const ok = (scenario: Scenario, run: ScenarioRun) => finish({ kind: 'ok', scenario, run });
  worker.onmessage = (e: MessageEvent<WorkerReply>) => {
    const reply = e.data;
    if (reply.type === 'progress') {
      if (!done) onProgress(reply.progress);
    } else if (reply.type === 'parsed') {
      const { scenario } = reply;
      pageRun = runOnPage(scenario, { stopped: () => done, pace });
      // First to finish gives the run; the worker's answer is then not waited for.
      pageRun.then(
        (run) => run && ok(scenario, run),
        () => undefined,
      );
    } else if (reply.type === 'ran') pace.ran(reply.done, reply.heaviestMs);
    else if (reply.type === 'done') finish(reply.outcome);
    else {
      // Ran in the worker within its budget and quickly; run here (./rerun.ts), or take the
      // page's own run once it is done. The worker is done: it neither answers again nor is
      // waited for.
      clearTimeout(timer);
      worker.terminate();
      pace.finish();
      const own = pageRun ?? Promise.resolve(null);
      own
        .then(async (run) => {
          if (done) return;
          if (run) return ok(reply.scenario, run);
          const { runScenario } = await import('../../scenario/run');
          if (!done) ok(reply.scenario, runScenario(reply.scenario));
        })
        .catch((err: unknown) =>
          finish({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
        );
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    finish({ kind: 'failed', message: e.message || 'the scenario loader stopped' });
  };
  const message: WorkerRequest = { request, budgetMs };
  worker.postMessage(message);
  return { result, cancel: () => finish({ kind: 'cancelled' }) };
}
