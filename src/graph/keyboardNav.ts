/**
 * Moving the keyboard focus around the graph. The graph is one Tab stop (a roving tabindex);
 * inside it ← and → move along the edges to the neighbour in the key's direction, ↑ and ↓ to
 * the node above or below; where no edge leads that way (an object nothing holds) ← and → move
 * to the nearest node that way, so every node stays reachable (a test walks every step of every
 * library scenario). Pure.
 */
import type { Box } from './layout';

export type Direction = 'left' | 'right' | 'up' | 'down';

const VECTORS: Readonly<Record<Direction, readonly [number, number]>> = {
  right: [1, 0],
  left: [-1, 0],
  down: [0, 1],
  up: [0, -1],
};

/** The arrow key's direction, or null for any other key. */
export function arrowDirection(key: string): Direction | null {
  switch (key) {
    case 'ArrowRight':
      return 'right';
    case 'ArrowLeft':
      return 'left';
    case 'ArrowDown':
      return 'down';
    case 'ArrowUp':
      return 'up';
    default:
      return null;
  }
}

/** Undirected adjacency: who is joined to whom by at least one edge. */
export function adjacency(
  edges: readonly { readonly from: string; readonly to: string }[],
): ReadonlyMap<string, readonly string[]> {
  const m = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const list = m.get(a);
    if (!list) m.set(a, [b]);
    else if (!list.includes(b)) list.push(b);
  };
  for (const e of edges) {
    if (e.from === e.to) continue;
    add(e.from, e.to);
    add(e.to, e.from);
  }
  return m;
}

function centre(b: Box): readonly [number, number] {
  return [b.x + b.w / 2, b.y + b.h / 2];
}

/**
 * Best candidate from `here` in direction `dir`: only boxes whose centre lies ahead (within
 * 45° of the direction when `cone`, else anywhere in that half-plane); among them, the one
 * with the least distance, counting sideways offset twice (so a node straight ahead beats one
 * diagonally nearer). Ties go to the earlier candidate.
 */
function bestAhead(
  here: Box,
  dir: Direction,
  candidates: readonly string[],
  boxes: ReadonlyMap<string, Box>,
  cone: boolean,
): string | null {
  const [hx, hy] = centre(here);
  const [vx, vy] = VECTORS[dir];
  let best: string | null = null;
  let bestScore = Infinity;
  for (const id of candidates) {
    const b = boxes.get(id);
    if (!b) continue;
    const [cx, cy] = centre(b);
    const dx = cx - hx;
    const dy = cy - hy;
    const along = dx * vx + dy * vy;
    const across = Math.abs(dx * vy - dy * vx);
    if (along <= 0 || (cone && across > along)) continue;
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}

/**
 * The node the focus moves to from `id` for an arrow key. The layout's lanes are columns and
 * its edges run across them, so ← and → follow the edges, and ↑ and ↓ move within the column.
 * In order, the first found of: (← → only) a neighbour along an edge within 45° of the key's
 * direction, then a neighbour anywhere that way; any node within those 45°; any node anywhere
 * that way. Null (stay) when nothing lies that way.
 */
export function nextNode(
  id: string,
  dir: Direction,
  neighbours: ReadonlyMap<string, readonly string[]>,
  boxes: ReadonlyMap<string, Box>,
): string | null {
  const here = boxes.get(id);
  if (!here) return null;
  const joined = dir === 'left' || dir === 'right' ? (neighbours.get(id) ?? []) : [];
  const others = [...boxes.keys()].filter((k) => k !== id);
  return (
    bestAhead(here, dir, joined, boxes, true) ??
    bestAhead(here, dir, joined, boxes, false) ??
    bestAhead(here, dir, others, boxes, true) ??
    bestAhead(here, dir, others, boxes, false)
  );
}
