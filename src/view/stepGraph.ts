/**
 * The graph of a timeline point as every viewer draws it: one layout for the whole timeline
 * (objects hold still from step to step), the graph of a point with the state before its step
 * as base (freed objects stay as ghosts until the step is over), the part of the drawing worth
 * a camera, and change marks against what was on screen before.
 */
import { useMemo, useRef } from 'react';
import type { KernelState } from '../core/types';
import { layoutTimeline, nodeHeight, type Layout, type LayoutUnion } from '../graph/layout';
import {
  orderInput,
  unionGraph,
  type LaneOrder,
  type LaneOrders,
  type OrderInput,
} from '../graph/laneOrder';
import { storyCast, storyGraph, type Cast } from '../graph/story';
import { diffGraph, toGraph, type Graph, type GraphChange, type GraphNode } from '../graph/toGraph';
import type { Step } from '../scenario/schema';
import { stepBase, type Timeline } from '../store/timeline';
import { unionRect } from '../graph/rect';
import { graphBounds, type Rect } from './presentation';
import { timelineCast, timelineUnion } from './timelineUnion';

/** Every point's graph, nodes only (what the layout places). */
function pointGraphs(timeline: Timeline): Graph[] {
  return timeline.points.map((p, i) =>
    toGraph(p.state, stepBase(timeline, i), { nodesOnly: true }),
  );
}

/** The graph after each step (and before the first), with its state. */
function stepEndGraphs(timeline: Timeline): { graph: Graph; state: KernelState }[] {
  return [0, ...timeline.stepEnd].flatMap((i) => {
    const p = timeline.points[i];
    return p ? [{ graph: toGraph(p.state, stepBase(timeline, i)), state: p.state }] : [];
  });
}

/** The Story view's cast, every point's story graph (nodes only, no chips) and the chips. */
interface StoryParts {
  readonly cast: Cast;
  readonly stories: readonly Graph[];
  readonly chips: readonly GraphNode[];
}

/**
 * A timeline's graphs, every point's and every step end's, computed once for work that needs
 * the graphs themselves (the lane ordering and its readability measure); the Viewer's layouts
 * come from one pass over the timeline instead (timelineUnion.ts), with no graph per point.
 */
export interface TimelineGraphs {
  readonly points: readonly Graph[];
  readonly ends: readonly { readonly graph: Graph; readonly state: KernelState }[];
  readonly story: StoryParts;
}

/** {@link TimelineGraphs} of `timeline`, the Story parts with `focus`. */
export function timelineGraphs(timeline: Timeline, focus?: readonly string[]): TimelineGraphs {
  const points = pointGraphs(timeline);
  const ends = stepEndGraphs(timeline);
  return { points, ends, story: storyOf(timeline, focus, points, ends) };
}

/** The unions of a timeline already walked: the All view's, and the Story view's by focus. */
const unions = new WeakMap<
  Timeline,
  { all?: LayoutUnion; story: Map<string, { cast: Cast; union: LayoutUnion }> }
>();

function unionsOf(timeline: Timeline) {
  let u = unions.get(timeline);
  if (!u) {
    u = { story: new Map() };
    unions.set(timeline, u);
  }
  return u;
}

/**
 * One layout for every point of a timeline, each lane in `order` (fewest crossings). Without
 * `graphs`, from one pass over the points that projects only what changed (timelineUnion.ts),
 * never a graph per point; the pass is kept, so a new order only lays the union out again.
 */
export function timelineLayout(
  timeline: Timeline,
  order?: LaneOrder,
  graphs?: TimelineGraphs,
): Layout {
  if (graphs) return layoutTimeline(graphs.points, {}, order);
  const u = unionsOf(timeline);
  u.all ??= timelineUnion(timeline).union;
  return u.all.layout({}, order);
}

/** The Story view's user lane: process cards with their fd tables (`fd 12 → layered_2`). */
const STORY_USER_LANE = 240;

/**
 * The Story view of a timeline (src/graph/story.ts): its cast, and one layout for every point
 * with the fds folded into process cards and the plain maps outside the cast into chips, which
 * are laid out last in their lane (maps a chip opens go below them).
 */
export function timelineStory(
  timeline: Timeline,
  focus?: readonly string[],
  order?: LaneOrder,
  graphs?: TimelineGraphs,
): { cast: Cast; layout: Layout } {
  if (graphs) return { cast: graphs.story.cast, layout: storyPartsLayout(graphs.story, order) };
  const byFocus = unionsOf(timeline).story;
  const key = JSON.stringify(focus ?? null);
  let known = byFocus.get(key);
  if (!known) {
    const cast = timelineCast(timeline, focus);
    const { union, chips } = timelineUnion(timeline, cast);
    for (const id of chips)
      union.add({ id, kind: 'fold', lane: 'maps', parent: null, rows: 0, card: false });
    known = { cast, union };
    byFocus.set(key, known);
  }
  return { cast: known.cast, layout: known.union.layout({ user: STORY_USER_LANE }, order) };
}

/** The Story view's layout: every point's story graph, then the chips, last in their lanes. */
function storyPartsLayout({ stories, chips }: StoryParts, order?: LaneOrder): Layout {
  return layoutTimeline(
    [...stories, { nodes: chips, edges: [] }],
    { user: STORY_USER_LANE },
    order,
  );
}

function storyOf(
  timeline: Timeline,
  focus: readonly string[] | undefined,
  points: readonly Graph[],
  endGraphs: TimelineGraphs['ends'],
): StoryParts {
  // The cast is read from the state after each step (with edges: who holds what); the layout
  // from every point (nodes only), as the All view's.
  const steps: Step[] = timeline.frames.map((f) => f.step);
  // Maps whose values hold a BPF timer are in the story wherever a timer is.
  const held = new Set<string>();
  for (const { graph, state } of endGraphs) {
    const timerMaps = new Set(Object.values(state.timers).map((t) => t.map));
    for (const n of graph.nodes)
      if (n.ref?.kind === 'map' && timerMaps.has(n.ref.id)) held.add(n.id);
  }
  const cast = storyCast({ graphs: endGraphs.map((g) => g.graph), steps, focus, held });
  const chips = new Map<string, GraphNode>();
  const stories = points.map((g) => {
    const s = storyGraph(g, cast, null, null);
    for (const n of s.nodes) if (n.kind === 'fold') chips.set(n.id, n);
    return { nodes: s.nodes.filter((n) => n.kind !== 'fold'), edges: [] };
  });
  return { cast, stories, chips: [...chips.values()] };
}

/**
 * What the lane ordering (src/graph/elkOrder.ts) works on, for both detail levels: every
 * object the timeline shows and every edge drawn after one of its steps. In the Story view an
 * fd's edges leave from its process card, and folded maps are left out.
 */
export function timelineOrderInputs(graphs: TimelineGraphs): {
  all: OrderInput;
  story: OrderInput;
} {
  const edges = { nodes: [], edges: graphs.ends.flatMap((g) => g.graph.edges) };
  const all = unionGraph([...graphs.points, edges]);
  const fds = all.nodes.filter((n) => n.kind === 'fd');
  const story = unionGraph([...graphs.story.stories, { nodes: fds, edges: edges.edges }]);
  // Each card as tall as the layout makes it: its largest size, with its fds stacked under it.
  const heights = (layout: Layout) => {
    const block = new Map<string, number>();
    for (const n of all.nodes) {
      const card = n.kind === 'fd' && n.parent ? n.parent : n.id;
      const top = layout.boxes.get(card);
      const b = layout.boxes.get(n.id);
      if (top && b) block.set(card, Math.max(block.get(card) ?? 0, b.y + b.h - top.y));
    }
    return (n: GraphNode) => (n.kind === 'fd' ? 0 : (block.get(n.id) ?? nodeHeight(n)));
  };
  return {
    all: orderInput(all, heights(layoutTimeline(graphs.points))),
    story: orderInput(story, heights(storyPartsLayout(graphs.story))),
  };
}

export type { LaneOrders };

/** How many points' graphs each timeline keeps (stepping back and forth rebuilds none). */
export const GRAPH_CACHE_SIZE = 8;

/** The graphs of a timeline's last points asked for, least recently used first. */
const graphCache = new WeakMap<Timeline, Map<number, Graph>>();

/**
 * The graph at a point (the first point when `point` is out of range), projected when asked
 * for; the last {@link GRAPH_CACHE_SIZE} points' graphs of a timeline are kept.
 */
export function graphAt(timeline: Timeline, point: number): Graph {
  const at = timeline.points[point] ? point : 0;
  let cache = graphCache.get(timeline);
  if (!cache) {
    cache = new Map();
    graphCache.set(timeline, cache);
  }
  const hit = cache.get(at);
  if (hit) {
    cache.delete(at);
    cache.set(at, hit);
    return hit;
  }
  const p = timeline.points[at];
  const graph = toGraph(p?.state as KernelState, stepBase(timeline, at));
  cache.set(at, graph);
  for (const oldest of cache.keys()) {
    if (cache.size <= GRAPH_CACHE_SIZE) break;
    cache.delete(oldest);
  }
  return graph;
}

/**
 * What a camera should show: the boxes of the objects on screen (a process with no open fd
 * says little, so the camera need not reach down to it).
 */
export function focusBounds(graph: Graph, layout: Layout): Rect {
  return graphBounds(
    graph.nodes
      .filter(
        (n) =>
          n.kind !== 'process' ||
          (n.rows ? n.rows.length > 0 : graph.nodes.some((m) => m.parent === n.id)),
      )
      .flatMap((n) => layout.boxes.get(n.id) ?? []),
    layout.width,
    layout.height,
  );
}

/**
 * Where this step acted: the boxes of the nodes it added, changed (fields, refcounts) or
 * freed (ghosts), and of both ends of the edges it added or removed; null when nothing
 * changed. The camera follows it with the step's subject (presentation.ts `followCamera`).
 */
export function changeBounds(graph: Graph, change: GraphChange, layout: Layout): Rect | null {
  const ids = new Set<string>([
    ...change.addedNodes,
    ...change.changedNodes,
    ...change.refDelta.keys(),
  ]);
  for (const n of graph.nodes) if (n.ghost) ids.add(n.id);
  for (const e of graph.edges) {
    if (change.addedEdges.has(e.id)) {
      ids.add(e.from);
      ids.add(e.to);
    }
  }
  for (const e of change.removedEdges) {
    ids.add(e.from);
    ids.add(e.to);
  }
  const boxes = [...ids].flatMap((id) => layout.boxes.get(id) ?? []);
  return boxes.length === 0 ? null : graphBounds(boxes, layout.width, layout.height);
}

/** The boxes of every node `graph` draws (the objects there before any step); null for none. */
export function drawnBounds(graph: Graph, layout: Layout): Rect | null {
  return unionRect(graph.nodes.flatMap((n) => layout.boxes.get(n.id) ?? []));
}

/** The boxes of the nodes a step names (src/graph/story.ts `stepSubject`); null for none. */
export function subjectBounds(subject: readonly string[], layout: Layout): Rect | null {
  const boxes = subject.flatMap((id) => layout.boxes.get(id) ?? []);
  const u = unionRect(boxes);
  // A margin for the refcount change mark (`+1`) beside a box and for its outline.
  return u && { x: u.x - 10, y: u.y - 10, w: u.w + 40, h: u.h + 20 };
}

/**
 * Change marks compared with what was on screen before, so that a whole-step jump shows the
 * step's changes; the first graph shown has none.
 */
export function useGraphChange(graph: Graph, state: KernelState): GraphChange {
  const shown = useRef<{ state: KernelState | null; graph: Graph | null }>({
    state: null,
    graph: null,
  });
  const change = useMemo(() => {
    const before = shown.current.graph;
    return diffGraph(before && shown.current.state !== state ? before : null, graph);
  }, [graph, state]);
  shown.current = { state, graph };
  return change;
}
