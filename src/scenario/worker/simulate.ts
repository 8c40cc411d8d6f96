/**
 * Simulating a scenario that is already valid, within a time budget checked before every
 * step, reporting progress (the last part of a load job, ./loadJob.ts). A module of its own so
 * the scenario loader's worker can run library scenarios without loading the parser. Never
 * throws: every outcome is plain data that can cross to the page.
 */
import type { ScenarioIssue } from '../parse';
import { runScenario, type ScenarioRun } from '../run';
import type { Scenario } from '../schema';

export interface LoadProgress {
  readonly phase: 'parse' | 'run';
  /** Steps simulated so far, and how many there are (0 of 0 while parsing). */
  readonly done: number;
  readonly total: number;
}

export type LoadOutcome =
  | { readonly kind: 'ok'; readonly scenario: Scenario; readonly run: ScenarioRun }
  /** A share link that names a library scenario. */
  | { readonly kind: 'library'; readonly id: string | null }
  | {
      readonly kind: 'invalid';
      readonly message: string;
      readonly issues: readonly ScenarioIssue[];
    }
  /** The budget ran out during the run, at step `done` of `total`. */
  | { readonly kind: 'too-slow'; readonly done: number; readonly total: number }
  /** The simulator itself failed (a bug): what it said. */
  | { readonly kind: 'failed'; readonly message: string };

export interface LoadOptions {
  /** Milliseconds the whole job may take (checked before every step). */
  readonly budgetMs: number;
  /** The clock in milliseconds (`performance.now` in the app). */
  readonly now: () => number;
  readonly onProgress?: (p: LoadProgress) => void;
  /** Called with a scenario read from text (a file, a link) once it is valid, before it runs. */
  readonly onParsed?: (scenario: Scenario) => void;
  /**
   * Called after each step but the last: the steps done so far, and the longest any of them
   * took (milliseconds).
   */
  readonly onRan?: (done: number, heaviestMs: number) => void;
}

class OutOfTime extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super('out of time');
  }
}

/** Simulates `scenario`, stopping at the first step that starts after `deadline`. */
export function simulate(scenario: Scenario, deadline: number, opts: LoadOptions): LoadOutcome {
  const total = scenario.steps.length;
  let reported = -Infinity;
  let stepStart = 0;
  let heaviest = 0;
  try {
    const run = runScenario(scenario, {
      onStep: (done) => {
        const t = opts.now();
        if (done > 0) {
          heaviest = Math.max(heaviest, t - stepStart);
          opts.onRan?.(done, heaviest);
        }
        stepStart = t;
        if (t > deadline) throw new OutOfTime(done, total);
        // A few progress messages a second are plenty.
        if (t - reported > 100) {
          reported = t;
          opts.onProgress?.({ phase: 'run', done, total });
        }
      },
    });
    return { kind: 'ok', scenario, run };
  } catch (e) {
    if (e instanceof OutOfTime) return { kind: 'too-slow', done: e.done, total: e.total };
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

/** Simulates `scenario` within `opts.budgetMs`. */
export function simulateJob(scenario: Scenario, opts: LoadOptions): LoadOutcome {
  return simulate(scenario, opts.now() + opts.budgetMs, opts);
}
