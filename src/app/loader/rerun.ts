/**
 * Which finished runs the scenario loader's worker hands back as the scenario alone, for the
 * page to run again, instead of posting the run.
 *
 * A run holds the kernel state after every event. Posting it costs a structured clone of all
 * of them, written by the worker and read back on the page, about twice as long as the
 * simulation itself for a large run (at 1,000 objects and 10,000 events, 0.2 s of simulation
 * against 0.2 s to write and 0.25 s to read; at 3,000 objects, 1.6 s against 1.7 s and 2.8 s).
 * So a large run that was quick in the worker is run again on the page, which gives the very
 * same run (the simulation is deterministic) in about the time the worker took, and reads
 * nothing. A run that was slow in the worker is posted: the page must not be held for long,
 * whatever a scenario from a stranger makes the kernel do.
 */
import type { ScenarioRun } from '../../scenario/run';

/** Runs with fewer events than this are posted: their clone is cheap. */
export const RERUN_MIN_EVENTS = 4_000;
/** Runs that took the worker longer than this are posted, however large. */
export const RERUN_MAX_MS = 3_000;

/** The number of kernel events in `run`. */
export function eventCount(run: ScenarioRun): number {
  let n = 0;
  for (const f of run.frames) n += f.events.length;
  return n;
}

/** Whether the page should run `run` again rather than receive it; `ms`: the worker's time. */
export function rerunOnPage(run: ScenarioRun, ms: number): boolean {
  return ms <= RERUN_MAX_MS && eventCount(run) >= RERUN_MIN_EVENTS;
}
