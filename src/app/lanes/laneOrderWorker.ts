/**
 * The lane-order worker: lays out a user scenario's timeline once with elkjs
 * (src/view/laneOrders.ts) and posts its lane orders back. Started on demand, after the first
 * graph, so elkjs never delays it; library scenarios bring orders computed at build time.
 * A timeline beyond the ordering's budget (src/view/laneOrders.ts `LANE_ORDER_BUDGET`) gets
 * no order: its objects stay in the order they first appear (`data-lane-order="appearance"`).
 */
import type { LaneOrders } from '../../graph/laneOrder';
import { buildTimeline } from '../../store/timeline';
import { computeLaneOrders, withinLaneOrderBudget } from '../../view/laneOrders';
import type { LaneOrderRequest } from './requestLaneOrders';

interface WorkerScope {
  onmessage: ((e: MessageEvent<LaneOrderRequest>) => void) | null;
  postMessage(message: LaneOrders | null): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const { run, focus } = e.data;
  const timeline = buildTimeline(run);
  if (!withinLaneOrderBudget(timeline)) {
    scope.postMessage(null);
    return;
  }
  computeLaneOrders(timeline, focus).then(
    (orders) => scope.postMessage(orders),
    () => scope.postMessage(null),
  );
};
