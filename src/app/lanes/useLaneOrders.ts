/**
 * The lane orders the Viewer lays its timeline out with: a library scenario's, computed when
 * the app was built, or a user scenario's, computed once by the lane-order worker (until it
 * answers, objects keep the order they first appear in).
 */
import { useEffect, useState } from 'react';
import { LANE_ORDER_BUDGET, type LaneOrders } from '../../graph/laneOrder';
import type { ScenarioRun } from '../../scenario/run';
import type { Scenario } from '../../scenario/schema';
import { libraryLaneOrders } from '../../view/library';
import { requestLaneOrders } from './requestLaneOrders';

/**
 * Whether `run` is surely beyond `LANE_ORDER_BUDGET` (graph/laneOrder.ts): its points times
 * the objects its last state knows (every program, map, link, timer, scheduler and process
 * the run ever made; the timeline shows at least these), so the worker would order nothing.
 */
export function beyondLaneOrderBudget(run: Pick<ScenarioRun, 'initial' | 'frames'>): boolean {
  let points = 1;
  for (const f of run.frames) points += Math.max(1, f.events.length);
  const s = run.frames.at(-1)?.state ?? run.initial;
  const objects = [s.progs, s.maps, s.links, s.timers, s.scx.scheds, s.processes].reduce(
    (n, r) => n + Object.keys(r).length,
    0,
  );
  return points * objects > LANE_ORDER_BUDGET;
}

/** The lane orders of a scenario run: the library's, or the worker's once it answers. */
export function useLaneOrders(scenario: Scenario, run: ScenarioRun): LaneOrders | undefined {
  const library = libraryLaneOrders(scenario);
  const [computed, setComputed] = useState<{ run: ScenarioRun; orders: LaneOrders } | null>(null);
  const focus = scenario.focus;
  useEffect(() => {
    // Far beyond the ordering's budget the run is not even sent to the worker.
    if (library || beyondLaneOrderBudget(run)) return;
    const task = requestLaneOrders({ run, focus });
    let live = true;
    void task.result.then((orders) => {
      if (live && orders) setComputed({ run, orders });
    });
    return () => {
      live = false;
      task.cancel();
    };
  }, [library, run, focus]);
  return library ?? (computed?.run === run ? computed.orders : undefined);
}
