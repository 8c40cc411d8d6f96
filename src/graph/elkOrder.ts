/**
 * Crossing minimisation by elkjs's layered algorithm (the Eclipse Layout Kernel): the lanes
 * are its layers, fixed (interactive layering from each card's lane), and its layer sweep
 * orders the cards within each lane. Only the order is kept; `layoutTimeline` stacks the
 * cards. elkjs is large, so this module is loaded only where an order is computed: by the
 * build for library scenarios, in the lane-order worker for user scenarios, and by scripts.
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { LaneOrder, OrderInput } from './laneOrder';
import { LANES, type Lane } from './toGraph';

/** Horizontal distance between layers given to the layout (only the order is read back). */
const LAYER_X = 400;

const OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.randomSeed': '1',
  // Layers come from the cards' x (their lane), not from the edges.
  'elk.layered.layering.strategy': 'INTERACTIVE',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.thoroughness': '20',
  // Ties keep the order objects first appear in, so a small change moves little.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.spacing.nodeNode': '14',
  'elk.layered.spacing.nodeNodeBetweenLayers': '46',
  'elk.edgeRouting': 'POLYLINE',
};

/** How to read elkjs's result back. */
export interface ElkReading {
  /** Keep elkjs's heights too (`top`: cards lined up with what they connect to). */
  readonly aligned?: boolean;
  /** Upside down: elkjs may stack a lane either way up. */
  readonly flipped?: boolean;
}

/** Orders the cards of `input` within their lanes so that edges cross as little as possible. */
export async function elkLaneOrder(
  input: OrderInput,
  overrides: Readonly<Record<string, string>> = {},
  reading: ElkReading = {},
): Promise<LaneOrder> {
  if (input.nodes.length === 0) return {};
  const elk = new ELK();
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: { ...OPTIONS, ...overrides },
    children: input.nodes.map((n, i) => ({
      id: n.id,
      x: n.lane * LAYER_X,
      y: i,
      width: 200,
      height: Math.max(1, n.h),
    })),
    edges: input.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const out = await elk.layout(graph);
  const laneOf = new Map(input.nodes.map((n) => [n.id, n.lane]));
  const cards = (out.children ?? []).map((c) => ({
    id: c.id,
    y: c.y ?? 0,
    h: c.height ?? 0,
  }));
  const y0 = Math.min(...cards.map((c) => c.y));
  const y1 = Math.max(...cards.map((c) => c.y + c.h));
  const placed = cards.map((c) => ({
    ...c,
    y: reading.flipped ? y1 - (c.y + c.h) : c.y - y0,
  }));
  const byLane = new Map<Lane, { id: string; y: number }[]>();
  for (const c of placed) {
    const lane = LANES[laneOf.get(c.id) ?? -1];
    if (!lane) continue;
    const list = byLane.get(lane) ?? [];
    list.push(c);
    byLane.set(lane, list);
  }
  const order: Partial<Record<Lane, readonly string[]>> = {};
  const top: Partial<Record<Lane, readonly number[]>> = {};
  for (const [lane, list] of byLane) {
    list.sort((a, b) => a.y - b.y);
    order[lane] = list.map((c) => c.id);
    top[lane] = list.map((c) => Math.round(c.y));
  }
  return reading.aligned ? { ...order, top } : order;
}
