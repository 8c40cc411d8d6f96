/** What the page and the scenario loader's worker say to each other. */
import type { Scenario } from '../../scenario/schema';
import type { LoadOutcome, LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';

export interface WorkerRequest {
  readonly request: LoadRequest;
  readonly budgetMs: number;
}

/**
 * The name of a worker started for a text job (a file being fetched, a link being read): it
 * loads its parser as soon as it starts, before any message (./workers.ts `warmWorker`).
 */
export const PARSER_WORKER_NAME = 'scenario loader (parser)';

export type WorkerReply =
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  /**
   * A large scenario read from text is valid and about to run: the page may run it alongside
   * (./runOnPage.ts).
   */
  | { readonly type: 'parsed'; readonly scenario: Scenario }
  /**
   * How far the worker's run of that scenario is: `done` steps, none longer than `heaviestMs`.
   * The page runs only steps the worker has run.
   */
  | { readonly type: 'ran'; readonly done: number; readonly heaviestMs: number }
  | { readonly type: 'done'; readonly outcome: LoadOutcome }
  /**
   * The scenario ran within its budget, and its run is too large to post cheaply: the page
   * runs it again (./rerun.ts).
   */
  | { readonly type: 'rerun'; readonly scenario: Scenario };
