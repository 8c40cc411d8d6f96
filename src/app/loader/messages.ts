/** What the page and the scenario loader's worker say to each other. */
import type { Scenario } from '../../scenario/schema';
import type { LoadOutcome, LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';

export type WorkerRequest =
  | { readonly request: LoadRequest; readonly budgetMs: number }
  /** Load the parser now: a text job is coming (a file being fetched, a link being read). */
  | { readonly warm: 'parser' };

export type WorkerReply =
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  | { readonly type: 'done'; readonly outcome: LoadOutcome }
  /**
   * The scenario ran within its budget, and its run is too large to post cheaply: the page
   * runs it again (./rerun.ts).
   */
  | { readonly type: 'rerun'; readonly scenario: Scenario };
