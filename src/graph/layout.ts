/**
 * Lane layout that holds still: positions are computed once over every state a timeline
 * passes through, so an object keeps its place from the step it appears to the step it goes,
 * and only what changes moves or pulses. Lanes are columns; within a lane, objects stack in
 * the order they first appear (fds under their process). Pure and deterministic.
 */
import { laneRanks, laneTops, sortByRank, type LaneOrder } from './laneOrder';
import { LANES, type Graph, type GraphNode, type Lane } from './toGraph';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Layout {
  readonly boxes: ReadonlyMap<string, Box>;
  readonly lanes: readonly { readonly lane: Lane; readonly x: number; readonly w: number }[];
  readonly width: number;
  readonly height: number;
}

export const LANE_WIDTH: Readonly<Record<Lane, number>> = {
  user: 150,
  links: 130,
  progs: 240,
  maps: 240,
  kernel: 220,
  deferred: 200,
};

/** Height of one fd row on a process card, and where the rows start. */
export const FD_ROW_H = 19;
export const FD_ROWS_TOP = 46;

/** A process card's height in the Story view (story.ts draws the rows), with `rows` fd rows. */
export function processCardHeight(rows: number): number {
  return FD_ROWS_TOP + 6 + rows * FD_ROW_H;
}

const GAP_X = 46;
const GAP_Y = 14;
const TOP = 56;

/**
 * A lane's head: its title on the lane's tint, above the first card (`TOP`). While the view
 * shows a lane's middle, the head is drawn at the top of the view, `gap` below its edge
 * (GraphView, FittedGraph).
 */
export const LANE_HEAD = { top: 8, height: 40, baseline: 34, gap: 4 } as const;

/** The rows a node's box grows with: a struct_ops map's slots, a process card's fd table. */
export function rowCount(n: Pick<GraphNode, 'slots' | 'rows'>): number {
  return n.rows ? n.rows.length : n.slots.length;
}

/**
 * Height of a node's box; struct_ops maps grow with their member slots, process cards (Story
 * view) with their fd table.
 */
export function nodeHeight(
  n: Pick<GraphNode, 'kind' | 'slots' | 'rows'>,
  slotCount = rowCount(n),
): number {
  switch (n.kind) {
    case 'fd':
      return 30;
    case 'process':
      return n.rows ? processCardHeight(slotCount) : 44;
    case 'fold':
      return 44;
    case 'map':
      return 64 + slotCount * 20;
    case 'prog':
      return 66;
    default:
      return 54;
  }
}

/** What the layout needs of a node: where it goes and how many rows its box grows with. */
export interface UnionNode {
  readonly id: string;
  readonly kind: GraphNode['kind'];
  readonly lane: Lane;
  /** The process an fd belongs to (fds stack under it). */
  readonly parent: string | null;
  /** Its rows ({@link rowCount}). */
  readonly rows: number;
  /** A Story process card (its box grows with its fd table). */
  readonly card: boolean;
}

/**
 * The union of the nodes of a timeline's graphs, as {@link layoutTimeline} stacks them: every
 * node id in the order it first appears (per lane; fds per process), with the most rows it
 * ever has. Adding a node that is already known with no more rows changes nothing, so a pass
 * over a timeline may add only the nodes that changed from one point to the next.
 */
export class LayoutUnion {
  private readonly order = new Map<Lane, string[]>(LANES.map((l) => [l, []]));
  private readonly info = new Map<string, { node: UnionNode; rows: number }>();
  private readonly fdsOf = new Map<string, string[]>();

  /** Adds one node (a later appearance only raises its row count). */
  add(n: UnionNode): void {
    const known = this.info.get(n.id);
    if (known) {
      if (n.rows > known.rows) known.rows = n.rows;
      return;
    }
    this.info.set(n.id, { node: n, rows: n.rows });
    if (n.kind === 'fd' && n.parent) {
      const list = this.fdsOf.get(n.parent) ?? [];
      list.push(n.id);
      this.fdsOf.set(n.parent, list);
    } else {
      this.order.get(n.lane)?.push(n.id);
    }
  }

  /** Adds every node of a graph, in order. */
  addGraph(g: Graph): void {
    for (const n of g.nodes)
      this.add({
        id: n.id,
        kind: n.kind,
        lane: n.lane,
        parent: n.parent,
        rows: rowCount(n),
        card: n.rows !== undefined,
      });
  }

  /** The layout of the union, per lane in `laneOrder`; `widths` overrides lane widths. */
  layout(widths: Partial<Record<Lane, number>> = {}, laneOrder?: LaneOrder): Layout {
    const order = new Map(this.order);
    const ranks = laneRanks(laneOrder);
    const tops = laneTops(laneOrder);
    if (ranks.size > 0) for (const [lane, ids] of order) order.set(lane, sortByRank(ids, ranks));
    const boxes = new Map<string, Box>();
    const lanes: { lane: Lane; x: number; w: number }[] = [];
    let x = 20;
    let height = 0;
    for (const lane of LANES) {
      // A lane nothing in this timeline ever uses takes no room.
      if ((order.get(lane)?.length ?? 0) === 0) continue;
      const w = widths[lane] ?? LANE_WIDTH[lane];
      lanes.push({ lane, x, w });
      let y = TOP;
      for (const id of order.get(lane) ?? []) {
        const i = this.info.get(id);
        if (!i) continue;
        const h = nodeHeight(
          i.node.card
            ? { kind: i.node.kind, slots: [], rows: [] }
            : { kind: i.node.kind, slots: [] },
          i.rows,
        );
        y = Math.max(y, TOP + (tops.get(id) ?? 0));
        boxes.set(id, { x, y, w, h });
        y += h + GAP_Y;
        for (const fd of this.fdsOf.get(id) ?? []) {
          boxes.set(fd, { x: x + 16, y, w: w - 16, h: 30 });
          y += 30 + 6;
        }
        if (this.fdsOf.has(id)) y += GAP_Y;
      }
      height = Math.max(height, y);
      x += w + GAP_X;
    }
    return { boxes, lanes, width: x - GAP_X + 20, height: height + 20 };
  }
}

/**
 * Lays out every node that appears in any of `graphs`, per lane in `order` (laneOrder.ts:
 * fewest crossings), and in first-appearance order for what `order` does not list; `widths`
 * overrides lane widths (the Story view's user lane holds wide process cards).
 */
export function layoutTimeline(
  graphs: Iterable<Graph>,
  widths: Partial<Record<Lane, number>> = {},
  laneOrder?: LaneOrder,
): Layout {
  const union = new LayoutUnion();
  for (const g of graphs) union.addGraph(g);
  return union.layout(widths, laneOrder);
}
