/**
 * Loads a scenario from untrusted input off the page's thread: a Web Worker parses, validates
 * and simulates it (loadJob.ts) while the page stays responsive, shows progress and can cancel.
 * The worker checks its budget between steps; the page also stops a worker that overstays it
 * (a stalled parse) a little later. Where workers are missing (tests), the job runs inline.
 */
import { LOAD_BUDGET_MS } from '../../scenario/limits';
import type { LoadOutcome, LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';
import type { WorkerReply, WorkerRequest } from './messages';
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
  const finish = (r: LoadResult) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    worker.terminate();
    settle(r);
  };
  const timer = setTimeout(
    () => finish({ kind: 'stalled', afterMs: budgetMs + GRACE_MS }),
    budgetMs + GRACE_MS,
  );
  worker.onmessage = (e: MessageEvent<WorkerReply>) => {
    const reply = e.data;
    if (reply.type === 'progress') {
      if (!done) onProgress(reply.progress);
    } else if (reply.type === 'done') finish(reply.outcome);
    else {
      // Ran in the worker within its budget and quickly; run here again (./rerun.ts). The
      // worker is done: it neither answers again nor is waited for.
      clearTimeout(timer);
      worker.terminate();
      import('../../scenario/run').then(
        ({ runScenario }) => {
          if (done) return;
          try {
            finish({ kind: 'ok', scenario: reply.scenario, run: runScenario(reply.scenario) });
          } catch (err) {
            finish({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
          }
        },
        (err: unknown) =>
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
