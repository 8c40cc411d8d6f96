/**
 * The lane-order worker: lays out a user scenario's timeline once with elkjs
 * (src/view/laneOrders.ts) and posts its lane orders back. Started on demand, after the first
 * graph, so elkjs never delays it; library scenarios bring orders computed at build time.
 */
import type { LaneOrders } from '../../graph/laneOrder';
import { buildTimeline } from '../../store/timeline';
import { computeLaneOrders } from '../../view/laneOrders';
import type { LaneOrderRequest } from './requestLaneOrders';

interface WorkerScope {
  onmessage: ((e: MessageEvent<LaneOrderRequest>) => void) | null;
  postMessage(message: LaneOrders | null): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const { run, focus } = e.data;
  computeLaneOrders(buildTimeline(run), focus).then(
    (orders) => scope.postMessage(orders),
    () => scope.postMessage(null),
  );
};
