/**
 * The lane orders of a timeline, for both detail levels: elkjs's layered algorithm proposes
 * orders (src/graph/elkOrder.ts, with and without its tie-break on the order objects first
 * appear in), and the measure of what a viewer sees (crossings plus edges under cards, summed
 * over the steps: readabilityTable.ts) picks the best, the first-appearance order included,
 * so an order never reads worse than no order. Run when the app is built for library
 * scenarios, in the lane-order worker for user scenarios, and by `npm run bench:layout`.
 */
import { elkLaneOrder } from '../graph/elkOrder';
import { LANE_ORDER_BUDGET, type LaneOrder, type LaneOrders } from '../graph/laneOrder';
import type { Detail } from '../graph/story';
import type { Timeline } from '../store/timeline';
import { timelineReadability } from './readabilityTable';
import {
  timelineGraphs,
  timelineLayout,
  timelineOrderInputs,
  type TimelineGraphs,
} from './stepGraph';

/** elkjs option sets tried: its defaults with a first-appearance tie-break, and without. */
const PROPOSALS: readonly Readonly<Record<string, string>>[] = [
  {},
  { 'elk.layered.considerModelOrder.strategy': 'NONE' },
];

/** One candidate order and how it reads. */
export interface Candidate {
  readonly name: string;
  readonly order: LaneOrder;
  readonly crossings: number;
  readonly underCards: number;
  readonly span: number;
}

/** Vertical edge run that weighs as much as one crossing: about three cards' height. */
export const SPAN_PER_CROSSING = 250;

/** How badly a candidate reads: crossings, edges under cards, and long edges. */
export function cost(c: Pick<Candidate, 'crossings' | 'underCards' | 'span'>): number {
  return c.crossings + c.underCards + c.span / SPAN_PER_CROSSING;
}

const NAMES: readonly string[] = ['elk', 'elk, no tie-break'];

/** Every candidate order of one detail level, the first-appearance order first. */
export async function laneOrderCandidates(
  timeline: Timeline,
  detail: Detail,
  focus?: readonly string[],
  graphs: TimelineGraphs = timelineGraphs(timeline, focus),
): Promise<Candidate[]> {
  const input = timelineOrderInputs(graphs)[detail];
  const base = timelineReadability(timeline, detail, focus, undefined, graphs);
  const out: Candidate[] = [{ name: 'first appearance', order: {}, ...base }];
  for (const [i, options] of PROPOSALS.entries()) {
    for (const aligned of [false, true])
      for (const flipped of [false, true]) {
        const order = await elkLaneOrder(input, options, { aligned, flipped });
        const name = [NAMES[i] ?? 'elk', aligned ? 'aligned' : '', flipped ? 'flipped' : '']
          .filter(Boolean)
          .join(', ');
        out.push({ name, order, ...timelineReadability(timeline, detail, focus, order, graphs) });
      }
  }
  return out;
}

/**
 * The candidate that reads best: the lowest {@link cost}; on a tie, the earliest (the
 * first-appearance order, then an upright elkjs order).
 */
export function bestCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || cost(c) < cost(best)) best = c;
  return best;
}

/** Whether ordering `timeline`'s lanes stays within `LANE_ORDER_BUDGET` (graph/laneOrder.ts). */
export function withinLaneOrderBudget(timeline: Timeline): boolean {
  return timeline.points.length * timelineLayout(timeline).boxes.size <= LANE_ORDER_BUDGET;
}

/** The lane orders of `timeline` for the All and Story views. */
export async function computeLaneOrders(
  timeline: Timeline,
  focus?: readonly string[],
): Promise<LaneOrders> {
  const graphs = timelineGraphs(timeline, focus);
  const all = bestCandidate(await laneOrderCandidates(timeline, 'all', focus, graphs));
  const story = bestCandidate(await laneOrderCandidates(timeline, 'story', focus, graphs));
  return { all: all?.order ?? {}, story: story?.order ?? {} };
}
