/**
 * The order of objects within each lane, chosen so that edges cross as little as possible.
 *
 * The order is computed once per timeline by a layered-graph layout (elkjs, in `elkOrder.ts`:
 * the lanes are its layers, fixed) over the union of every object and every edge the timeline
 * shows; `layoutTimeline` then stacks each lane in that order, so the layout still holds still
 * across the whole timeline. Library scenarios have theirs computed when the app is built,
 * user scenarios in a Web Worker. This module is the plain-data side: the layout's input and
 * how an order is read back. Pure.
 */
import { LANES, type Graph, type GraphEdge, type GraphNode, type Lane } from './toGraph';

/**
 * For each lane, node ids from top to bottom; ids it does not list go below, as they come.
 * `top` optionally gives, lane by lane and in the same order, the height each card starts at
 * (lining a card up with what it connects to); a lane never starts a card higher than the one
 * above it ends.
 */
export type LaneOrder = Readonly<Partial<Record<Lane, readonly string[]>>> & {
  readonly top?: Readonly<Partial<Record<Lane, readonly number[]>>>;
};

/** Where `order` wants each card to start (cards it gives no height start as high as they can). */
export function laneTops(order: LaneOrder | undefined): ReadonlyMap<string, number> {
  const tops = new Map<string, number>();
  const top = order && Object.hasOwn(order, 'top') ? order.top : undefined;
  if (!order || !top) return tops;
  for (const lane of LANES) {
    const ids = Object.hasOwn(order, lane) ? order[lane] : undefined;
    const ys = Object.hasOwn(top, lane) ? top[lane] : undefined;
    ids?.forEach((id, i) => {
      const y = ys?.[i];
      if (typeof y === 'number' && Number.isFinite(y)) tops.set(id, y);
    });
  }
  return tops;
}

/**
 * The most point-objects (points times the objects the timeline shows) lane ordering takes on:
 * it projects every point's graph and lays the timeline out about ten times, so a larger
 * timeline (a generated one of a few hundred objects) keeps its objects in the order they
 * first appear. Every library scenario is far below (the largest, about 160,000).
 */
export const LANE_ORDER_BUDGET = 400_000;

/** The order for each detail level (the Story view folds fds and plain maps away). */
export interface LaneOrders {
  readonly all: LaneOrder;
  readonly story: LaneOrder;
}

/** One object the ordering places: a card (a process carries its fds' edges). */
export interface OrderNode {
  readonly id: string;
  readonly lane: number;
  readonly h: number;
}

/** One edge between two cards in different lanes, left to right. */
export interface OrderEdge {
  readonly from: string;
  readonly to: string;
}

/** What the layered layout orders: cards in lanes, and the edges between lanes. */
export interface OrderInput {
  readonly nodes: readonly OrderNode[];
  readonly edges: readonly OrderEdge[];
}

/**
 * Every node of `graphs` (first appearance wins, the largest height kept) and every edge
 * (deduplicated by its ends), as one graph.
 */
export function unionGraph(graphs: Iterable<Graph>): Graph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const g of graphs) {
    for (const n of g.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const e of g.edges) {
      const key = `${e.from}\u0000${e.to}`;
      if (!edges.has(key)) edges.set(key, e);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * The layered layout's input for a union graph: an fd stands for its process (fds stack
 * under their process card), chips and edges within one lane are left out (they do not cross
 * lanes), and every edge points from the left lane to the right one.
 */
export function orderInput(union: Graph, height: (n: GraphNode) => number): OrderInput {
  const laneIndex = new Map<Lane, number>(LANES.map((l, i) => [l, i]));
  const card = new Map<string, string>();
  const heights = new Map<string, number>();
  const lanes = new Map<string, number>();
  for (const n of union.nodes) {
    if (n.kind === 'fold') continue;
    const owner = n.kind === 'fd' && n.parent ? n.parent : n.id;
    card.set(n.id, owner);
    heights.set(owner, (heights.get(owner) ?? 0) + height(n));
    if (owner === n.id) lanes.set(n.id, laneIndex.get(n.lane) ?? 0);
  }
  const nodes: OrderNode[] = [];
  for (const [id, lane] of lanes) nodes.push({ id, lane, h: heights.get(id) ?? 0 });
  const seen = new Set<string>();
  const edges: OrderEdge[] = [];
  for (const e of union.edges) {
    const a = card.get(e.from);
    const b = card.get(e.to);
    if (a === undefined || b === undefined) continue;
    const la = lanes.get(a);
    const lb = lanes.get(b);
    if (la === undefined || lb === undefined || la === lb) continue;
    const [from, to] = la < lb ? [a, b] : [b, a];
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ from, to });
  }
  return { nodes, edges };
}

/**
 * Ranks for a lane order: node id → its place in its lane. An fd is ordered with its process
 * (the layout stacks it under the card), so it needs no rank of its own.
 */
export function laneRanks(order: LaneOrder | undefined): ReadonlyMap<string, number> {
  const ranks = new Map<string, number>();
  if (!order) return ranks;
  for (const lane of LANES) {
    const ids = Object.hasOwn(order, lane) ? order[lane] : undefined;
    ids?.forEach((id, i) => ranks.set(id, i));
  }
  return ranks;
}

/**
 * Sorts one lane's ids by `ranks`; ids without a rank keep their order, below the ranked
 * ones (a user scenario before its order arrives, or an object only another revision makes).
 */
export function sortByRank(ids: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  const ranked = ids.filter((id) => ranks.has(id));
  const rest = ids.filter((id) => !ranks.has(id));
  ranked.sort((a, b) => (ranks.get(a) ?? 0) - (ranks.get(b) ?? 0));
  return [...ranked, ...rest];
}
