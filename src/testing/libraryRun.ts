/** A library scenario's run, its timeline, and a step's graph, for tests. */
import { libraryScenarioFor } from './library';
import { graphAt } from '../view/stepGraph';
import type { Graph } from '../graph/toGraph';
import { runScenario, type ScenarioRun, type StepFrame } from '../scenario/run';
import { buildTimeline, pointForStep, type Timeline } from '../store/timeline';

export function libraryRun(id: string): ScenarioRun {
  const scenario = libraryScenarioFor(id);
  if (scenario?.id !== id) throw new Error(`no library scenario ${id}`);
  return runScenario(scenario);
}

export function libraryTimeline(id: string): Timeline {
  return buildTimeline(libraryRun(id));
}

/** Step `step` (1-based) of a library scenario: its frame and the graph at its end. */
export function libraryStep(id: string, step: number): { frame: StepFrame; graph: Graph } {
  const t = libraryTimeline(id);
  const frame = t.frames[step - 1];
  if (!frame) throw new Error(`${id} has no step ${step}`);
  return { frame, graph: graphAt(t, pointForStep(t, step)) };
}
