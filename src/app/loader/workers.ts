/**
 * The scenario loader's workers (./scenarioWorker.ts, one per job). A worker can be started
 * ahead of its job (`warmWorker`, for the page's first scenario), so its script loads while
 * the scenario does; the next job takes it. A worker warmed for text (a file, a share link)
 * also loads the scenario parser ahead of the text: told by its name, it starts on it before
 * it could read a message.
 */
import { PARSER_WORKER_NAME } from './messages';

function startWorker(forText = false): Worker {
  return new Worker(new URL('./scenarioWorker.ts', import.meta.url), {
    type: 'module',
    name: forText ? PARSER_WORKER_NAME : 'scenario loader',
  });
}

let spare: Worker | null = null;

/**
 * Starts a worker for the next job now, loading the parser too when `forText`. Harmless where
 * there are no workers, or when one waits.
 */
export function warmWorker(forText = false): void {
  if (typeof Worker === 'undefined' || spare !== null) return;
  spare = startWorker(forText);
}

/** The worker started ahead, else a new one. */
export function takeWorker(): Worker {
  const worker = spare ?? startWorker();
  spare = null;
  return worker;
}
