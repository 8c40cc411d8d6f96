/**
 * Running a large scenario on the page while the scenario loader's worker runs it too.
 *
 * A large run is not posted back by the worker (./rerun.ts): the page would otherwise run it
 * again only once the worker has finished, one run after the other. Instead the worker posts
 * the scenario as soon as it has read and checked it, and the page runs it alongside, a few
 * steps per task, so it keeps answering its reader (and paints the worker's progress) while
 * the two threads share the work of the machine's cores. Whichever finishes first gives the
 * run (the simulation is deterministic: both give the same one).
 *
 * The page runs only steps the worker has already run, a step or so behind it, and gives up
 * (and waits for the worker's answer, as before) once the worker reports a step that took it
 * long: a stranger's scenario can make one step do a lot, and the page must not be held by it.
 * The worker still bounds the whole run.
 */
import type { ScenarioRun } from '../../scenario/run';
import type { Scenario } from '../../scenario/schema';

/** How long one task of the page's run may last before it yields. */
export const SLICE_MS = 12;
/**
 * The page stops following once the worker reports a step that took it longer than this (the
 * page then waits for the worker's answer, as for any run it does not follow).
 */
export const HEAVY_STEP_MS = 500;

/** How far the worker's run is, as it reports it; the page's run waits on it. */
export class WorkerPace {
  /** Steps the worker has run. */
  done = 0;
  /** The longest of them, in the worker (milliseconds). */
  heaviestMs = 0;
  /** The worker ran every step (within its budget). */
  finished = false;
  private waiting: (() => void) | null = null;

  /** The worker reports `done` steps run, the longest `heaviestMs`. */
  ran(done: number, heaviestMs: number): void {
    this.done = Math.max(this.done, done);
    this.heaviestMs = Math.max(this.heaviestMs, heaviestMs);
    this.wake();
  }

  /** The worker ran them all. */
  finish(): void {
    this.finished = true;
    this.wake();
  }

  /** Wakes a waiting run (to notice it was stopped, say). */
  wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /** Resolves at the next report (or wake). */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

export interface PageRunOptions {
  /** True once the load is over (the worker's answer came first, or the reader cancelled). */
  readonly stopped: () => boolean;
  /** The worker's progress: the page runs only the steps the worker has run. */
  readonly pace: WorkerPace;
  readonly sliceMs?: number;
  readonly heavyStepMs?: number;
  readonly now?: () => number;
  /** How the run waits for the page's next task. */
  readonly yieldToPage?: () => Promise<void>;
}

/** A new task: a message to itself, which (unlike a timer) is not held back by nesting. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Runs `scenario` on the page a step behind the worker, in tasks of about `sliceMs`. Resolves
 * with the run, or null when it gave up: stopped, a heavy step in the worker, or the simulator
 * failed (the worker, running the same scenario, reports that in its own answer).
 */
export async function runOnPage(
  scenario: Scenario,
  {
    stopped,
    pace,
    sliceMs = SLICE_MS,
    heavyStepMs = HEAVY_STEP_MS,
    now = () => performance.now(),
    yieldToPage = nextTask,
  }: PageRunOptions,
): Promise<ScenarioRun | null> {
  const { startRun } = await import('../../scenario/run');
  try {
    const run = startRun(scenario);
    for (;;) {
      if (stopped() || pace.heaviestMs > heavyStepMs) return null;
      const cleared = pace.finished ? run.steps : Math.min(pace.done, run.steps);
      if (run.done >= cleared) {
        if (run.done >= run.steps) return run.result();
        await pace.next();
        continue;
      }
      const sliceStart = now();
      while (run.done < cleared && now() - sliceStart < sliceMs) run.next();
      if (run.done >= run.steps) return run.result();
      await yieldToPage();
    }
  } catch {
    return null;
  }
}
