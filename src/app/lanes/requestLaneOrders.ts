/**
 * Asks the lane-order worker (laneOrderWorker.ts) for a scenario run's lane orders. Where
 * workers are missing (unit tests) there is no order: objects stay in the order they first
 * appear, as they are while the worker works.
 */
import type { LaneOrders } from '../../graph/laneOrder';
import type { ScenarioRun } from '../../scenario/run';

export interface LaneOrderRequest {
  readonly run: Pick<ScenarioRun, 'initial' | 'frames'>;
  readonly focus: readonly string[] | undefined;
}

export interface LaneOrderTask {
  /** The orders, or null when there are none (no worker, or it failed or was cancelled). */
  readonly result: Promise<LaneOrders | null>;
  cancel(): void;
}

export function requestLaneOrders(request: LaneOrderRequest): LaneOrderTask {
  if (typeof Worker === 'undefined') return { result: Promise.resolve(null), cancel: () => {} };
  const worker = new Worker(new URL('./laneOrderWorker.ts', import.meta.url), {
    type: 'module',
    name: 'lane order',
  });
  let settle: (o: LaneOrders | null) => void = () => {};
  const result = new Promise<LaneOrders | null>((resolve) => {
    settle = resolve;
  });
  const finish = (o: LaneOrders | null) => {
    worker.terminate();
    settle(o);
  };
  worker.onmessage = (e: MessageEvent<LaneOrders | null>) => finish(e.data);
  worker.onerror = () => finish(null);
  worker.postMessage({
    run: { initial: request.run.initial, frames: request.run.frames },
    focus: request.focus,
  });
  return { result, cancel: () => finish(null) };
}
