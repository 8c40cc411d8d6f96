/** What the page and the scenario loader's worker say to each other. */
import type { LoadOutcome, LoadProgress, LoadRequest } from '../../scenario/worker/loadJob';

export interface WorkerRequest {
  readonly request: LoadRequest;
  readonly budgetMs: number;
}

export type WorkerReply =
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  | { readonly type: 'done'; readonly outcome: LoadOutcome };
