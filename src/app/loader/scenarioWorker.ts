/**
 * The scenario loader's Web Worker: runs one load job (loadJob.ts) per message and posts its
 * progress and outcome back (a large run that was quick as the scenario alone, for the page to
 * run again: ./rerun.ts). Its script is the simulated kernel and the runner; the parser
 * loads only for a job that needs it (a file, a link, an edit). The page terminates it to cancel, or when it overstays its budget.
 */
import { simulateJob, type LoadOptions, type LoadOutcome } from '../../scenario/worker/simulate';
import { PARSER_WORKER_NAME, type WorkerReply, type WorkerRequest } from './messages';
import { rerunOnPage } from './rerun';
import { PAGE_RUN_MIN_WEIGHT, scenarioWeight } from './pageRunWeight';

interface WorkerScope {
  readonly name: string;
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;

/** When the current job started (performance.now()). */
let started = 0;
/** Whether the page runs the current job's scenario alongside (./runOnPage.ts). */
let alongside = false;
/** When the worker last told the page how far its run is. */
let ranPosted = -Infinity;
const RAN_EVERY_MS = 8;

const done = (outcome: LoadOutcome) =>
  scope.postMessage(
    outcome.kind === 'ok' && rerunOnPage(outcome.run, performance.now() - started)
      ? { type: 'rerun', scenario: outcome.scenario }
      : { type: 'done', outcome },
  );

const loadJob = () => import('../../scenario/worker/loadJob');

// Started for a text job: the parser is fetched now, so it is there when the text is (a
// failure shows with the job).
if (scope.name === PARSER_WORKER_NAME) loadJob().catch(() => {});

scope.onmessage = (e) => {
  const { request, budgetMs } = e.data;
  started = performance.now();
  alongside = false;
  ranPosted = -Infinity;
  const opts: LoadOptions = {
    budgetMs,
    now: () => performance.now(),
    onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
    onParsed: (scenario) => {
      alongside = scenarioWeight(scenario) >= PAGE_RUN_MIN_WEIGHT;
      if (alongside) scope.postMessage({ type: 'parsed', scenario });
    },
    onRan: (done, heaviestMs) => {
      // The page, running alongside, follows these (a few a frame are plenty).
      const t = performance.now();
      if (!alongside || t - ranPosted < RAN_EVERY_MS) return;
      ranPosted = t;
      scope.postMessage({ type: 'ran', done, heaviestMs });
    },
  };
  // A scenario that is already valid only runs; text and links load the parser first.
  if (request.kind === 'run') {
    done(simulateJob(request.scenario, opts));
    return;
  }
  loadJob().then(
    ({ runLoadJob }) => done(runLoadJob(request, opts)),
    (err: unknown) =>
      done({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
};
