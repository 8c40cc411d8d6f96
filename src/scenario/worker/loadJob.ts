/**
 * The work of loading a scenario from untrusted input (a file's text, or a share link's
 * `?s=`): parse, validate and simulate it, within a time budget checked before every step,
 * reporting progress; or of simulating a scenario that is already valid (a library scenario,
 * or one on another revision), so the page never loads the simulated kernel to show one. It
 * runs in a Web Worker (src/app/loader/scenarioWorker.ts), so the page stays responsive and
 * can cancel it, and as is in tests and scripts. Never throws: every outcome is plain data
 * that can cross to the page.
 */
import { parseScenario } from '../parse';
import type { Scenario } from '../schema';
import { decodeShare } from '../../share/shareLink';
import { simulate, type LoadOptions, type LoadOutcome } from './simulate';

export type { LoadOptions, LoadOutcome, LoadProgress } from './simulate';

export { LOAD_BUDGET_MS } from '../limits';

export type LoadRequest =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'share'; readonly search: string }
  /** A scenario already validated (a library scenario, or one on another revision): run it. */
  | { readonly kind: 'run'; readonly scenario: Scenario };

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
      opts.onParsed?.(parsed.scenario);
      return simulate(parsed.scenario, deadline, opts);
    }
    const shared = decodeShare(req.search);
    if (!shared.ok) return { kind: 'invalid', message: shared.message, issues: shared.issues };
    if (shared.scenario?.kind === 'inline') {
      opts.onParsed?.(shared.scenario.scenario);
      return simulate(shared.scenario.scenario, deadline, opts);
    }
    return { kind: 'library', id: shared.scenario?.id ?? null };
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}
