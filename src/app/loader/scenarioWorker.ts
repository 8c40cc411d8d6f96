/**
 * The scenario loader's Web Worker: runs one load job (loadJob.ts) per message and posts its
 * progress and outcome back. The page terminates it to cancel, or when it overstays its budget.
 */
import { runLoadJob, type LoadRequest } from '../../scenario/worker/loadJob';
import type { WorkerReply, WorkerRequest } from './messages';

interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const { request, budgetMs }: { request: LoadRequest; budgetMs: number } = e.data;
  const outcome = runLoadJob(request, {
    budgetMs,
    now: () => performance.now(),
    onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
  });
  scope.postMessage({ type: 'done', outcome });
};
