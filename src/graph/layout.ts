/**
 * Lane layout that holds still: positions are computed once over every state a timeline
 * passes through, so an object keeps its place from the step it appears to the step it goes,
 * and only what changes moves or pulses. Lanes are columns; within a lane, objects stack in
 * the order they first appear (fds under their process). Pure and deterministic.
 */
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

/**
 * Lays out every node that appears in any of `graphs`, in first-appearance order per lane;
 * `widths` overrides lane widths (the Story view's user lane holds wide process cards).
 */
export function layoutTimeline(
  graphs: Iterable<Graph>,
  widths: Partial<Record<Lane, number>> = {},
): Layout {
  const order = new Map<Lane, string[]>(LANES.map((l) => [l, []]));
  const info = new Map<string, { node: GraphNode; slots: number }>();
  const fdsOf = new Map<string, string[]>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      const known = info.get(n.id);
      if (known) {
        if (rowCount(n) > known.slots) info.set(n.id, { node: known.node, slots: rowCount(n) });
        continue;
      }
      info.set(n.id, { node: n, slots: rowCount(n) });
      if (n.kind === 'fd' && n.parent) {
        const list = fdsOf.get(n.parent) ?? [];
        list.push(n.id);
        fdsOf.set(n.parent, list);
      } else {
        order.get(n.lane)?.push(n.id);
      }
    }
  }
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
      const i = info.get(id);
      if (!i) continue;
      const h = nodeHeight(i.node, i.slots);
      boxes.set(id, { x, y, w, h });
      y += h + GAP_Y;
      for (const fd of fdsOf.get(id) ?? []) {
        boxes.set(fd, { x: x + 16, y, w: w - 16, h: 30 });
        y += 30 + 6;
      }
      if (fdsOf.has(id)) y += GAP_Y;
    }
    height = Math.max(height, y);
    x += w + GAP_X;
  }
  return { boxes, lanes, width: x - GAP_X + 20, height: height + 20 };
}
