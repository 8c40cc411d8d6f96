/**
 * The lane orders the Viewer lays its timeline out with: a library scenario's, computed when
 * the app was built, or a user scenario's, computed once by the lane-order worker (until it
 * answers, objects keep the order they first appear in).
 */
import { useEffect, useState } from 'react';
import type { LaneOrders } from '../../graph/laneOrder';
import type { ScenarioRun } from '../../scenario/run';
import type { Scenario } from '../../scenario/schema';
import { libraryLaneOrders } from '../../view/library';
import { requestLaneOrders } from './requestLaneOrders';

export function useLaneOrders(scenario: Scenario, run: ScenarioRun): LaneOrders | undefined {
  const library = libraryLaneOrders(scenario);
  const [computed, setComputed] = useState<{ run: ScenarioRun; orders: LaneOrders } | null>(null);
  const focus = scenario.focus;
  useEffect(() => {
    if (library) return;
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
