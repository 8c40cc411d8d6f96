/**
 * The work of loading a scenario from untrusted input (a file's text, or a share link's
 * `?s=`): parse, validate and simulate it, within a time budget checked before every step,
 * reporting progress; or of simulating a scenario that is already valid (a library scenario,
 * or one on another revision), so the page never loads the simulated kernel to show one. It
 * runs in a Web Worker (src/app/loader/scenarioWorker.ts), so the page stays responsive and
 * can cancel it, and as is in tests and scripts. Never throws: every outcome is plain data
 * that can cross to the page.
 */
import { parseScenario, type ScenarioIssue } from '../parse';
import { runScenario, type ScenarioRun } from '../run';
import type { Scenario } from '../schema';
import { decodeShare } from '../../share/shareLink';

export { LOAD_BUDGET_MS } from '../limits';

export type LoadRequest =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'share'; readonly search: string }
  /** A scenario already validated (a library scenario, or one on another revision): run it. */
  | { readonly kind: 'run'; readonly scenario: Scenario };

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
}

class OutOfTime extends Error {
  constructor(
    readonly done: number,
    readonly total: number,
  ) {
    super('out of time');
  }
}

function simulate(scenario: Scenario, deadline: number, opts: LoadOptions): LoadOutcome {
  const total = scenario.steps.length;
  let reported = -Infinity;
  try {
    const run = runScenario(scenario, {
      onStep: (done) => {
        const t = opts.now();
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

/** Parses, validates and simulates what `req` carries within `opts.budgetMs`. */
export function runLoadJob(req: LoadRequest, opts: LoadOptions): LoadOutcome {
  const deadline = opts.now() + opts.budgetMs;
  opts.onProgress?.({ phase: 'parse', done: 0, total: 0 });
  try {
    if (req.kind === 'run') return simulate(req.scenario, deadline, opts);
    if (req.kind === 'text') {
      const parsed = parseScenario(req.text);
      if (!parsed.ok)
        return { kind: 'invalid', message: 'it is not a valid scenario', issues: parsed.issues };
      return simulate(parsed.scenario, deadline, opts);
    }
    const shared = decodeShare(req.search);
    if (!shared.ok) return { kind: 'invalid', message: shared.message, issues: shared.issues };
    if (shared.scenario?.kind === 'inline')
      return simulate(shared.scenario.scenario, deadline, opts);
    return { kind: 'library', id: shared.scenario?.id ?? null };
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}
