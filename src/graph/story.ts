/**
 * The Story view: the same graph with what the story does not need folded away. Pure.
 *
 * - Programs, struct_ops maps, links, schedulers, timers and deferred work are always drawn:
 *   they are the association chain (program → `st_ops_assoc` → map → kdata → `ops->priv` →
 *   scheduler or testmod instance) and what acts on it.
 * - A process's fds fold into an fd table on the process card (one row `fd N → name` each);
 *   a row's edge is drawn only when the step touches that fd or the selection uses it.
 * - Plain maps that the story never ties to struct_ops or an association (not named by a
 *   step or the scenario's `focus:` list, holding no timer, not what deferred work acts on)
 *   fold into one "+N maps" chip per owning process; selecting the chip opens it.
 * - Whatever the current step changes, and whatever is selected, is drawn in full.
 *
 * Refcounts are untouched: a folded holder is still counted on the badge, and listed as a row.
 */
import type { Step } from '../scenario/schema';
import { FD_ROW_H, FD_ROWS_TOP, processCardHeight, type Box, type Layout } from './layout';
import type { FdRow, Graph, GraphChange, GraphEdge, GraphNode } from './toGraph';

export type Detail = 'story' | 'all';

export const DETAILS: readonly Detail[] = ['story', 'all'];

export const DETAIL_LABELS: Readonly<Record<Detail, string>> = {
  story: 'Story',
  all: 'All objects',
};

/** `story` or `all` (any case, trimmed); anything else is null. */
export function parseDetail(v: string | null | undefined): Detail | null {
  const s = v?.trim().toLowerCase();
  return s === 'story' || s === 'all' ? s : null;
}

/** Who is in the story: the plain maps drawn in full, and which process owns each plain map. */
export interface Cast {
  /** Node ids of plain maps that stay drawn in full. */
  readonly maps: ReadonlySet<string>;
  /** Plain map node id → the process that first held an fd to it (its chip's owner). */
  readonly owner: ReadonlyMap<string, string>;
}

/** What the current step is about, for folding and for the camera. */
export interface StepMarks {
  readonly change: GraphChange;
  /** Node ids the step acts on or names. */
  readonly subject: readonly string[];
}

/** Names a step acts on: its program, map, link, scheduler and fd-by-name fields. */
export function stepNames(step: Step | undefined): string[] {
  if (!step) return [];
  const out: string[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
  };
  if ('prog' in step) take(step.prog);
  if ('map' in step) take(step.map);
  if ('old_map' in step) take(step.old_map);
  if ('prog_fd' in step) take(step.prog_fd);
  if ('map_fd' in step) take(step.map_fd);
  if ('sched' in step) take(step.sched);
  if ('process' in step) take(step.process);
  return out;
}

const INTERNAL_MAP = /^(.+)\.(bss|data|rodata|kconfig)$/;

/**
 * An internal map of a BPF object (`<object>[_<instance>].bss`): the object's name and the
 * section, so it reads as "the `.bss` of scx_layered_sub_2". Null for other names.
 */
export function internalMapName(name: string): { object: string; section: string } | null {
  const m = INTERNAL_MAP.exec(name);
  return m?.[1] && m[2] ? { object: m[1], section: `.${m[2]}` } : null;
}

/**
 * The node ids a step acts on or names, among the nodes of `graph`, in the order the step
 * names them: the first is the step's primary subject (the program of an `assoc`, the map of
 * an attach), which a camera keeps in view above all.
 */
export function stepSubject(step: Step | undefined, graph: Graph): string[] {
  if (!step) return [];
  const byName = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (n.kind === 'fd' || n.kind === 'fold') continue;
    if (n.kind === 'process' && !step.op.startsWith('process')) continue;
    byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  }
  const out: string[] = [];
  for (const name of stepNames(step))
    for (const n of byName.get(name) ?? []) if (!out.includes(n.id)) out.push(n.id);
  if (step.op === 'write_global') {
    const object = step.object;
    for (const n of graph.nodes) {
      const internal = n.kind === 'map' ? internalMapName(n.name) : null;
      if (object && internal && isObjectInstance(internal.object, object)) out.push(n.id);
    }
  }
  return out;
}

/** `scx_layered_sub_2` is an instance of object `scx_layered_sub`; `scx_layered` of itself. */
function isObjectInstance(mapObject: string, object: string): boolean {
  return (
    mapObject === object ||
    (mapObject.startsWith(`${object}_`) && !mapObject.slice(object.length + 1).includes('_'))
  );
}

interface CastInput {
  /** The graph of every timeline point (nodes and edges). */
  readonly graphs: Iterable<Graph>;
  readonly steps: readonly Step[];
  /** The scenario's `focus:` list; when given, it replaces the names the steps give. */
  readonly focus?: readonly string[] | undefined;
  /** Node ids that are timer maps or deferred-work targets anywhere in the timeline. */
  readonly held?: ReadonlySet<string>;
}

/** Edges that tie a plain map into the story (a map holding a timer is passed in as `held`). */
const STORY_EDGES = new Set<GraphEdge['kind']>([
  'timer',
  'assoc',
  'assoc_weak',
  'priv',
  'registered',
]);

/**
 * The cast of a scenario: plain maps named by its steps (or by its `focus:` list), the maps
 * of the objects whose globals a step writes, and plain maps that an association, a timer or
 * deferred work reaches; with the owner (first fd holder) of every plain map.
 */
export function storyCast({ graphs, steps, focus, held }: CastInput): Cast {
  const names = new Set<string>(focus ?? steps.flatMap(stepNames));
  const objects = new Set<string>();
  if (!focus) for (const s of steps) if (s.op === 'write_global' && s.object) objects.add(s.object);
  const maps = new Set<string>(held ?? []);
  const owner = new Map<string, string>();
  for (const g of graphs) {
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    for (const n of g.nodes) {
      if (n.kind !== 'map' || n.slots.length > 0 || isStructOpsMap(n)) continue;
      if (names.has(n.name)) maps.add(n.id);
      const internal = internalMapName(n.name);
      if (internal && [...objects].some((o) => isObjectInstance(internal.object, o)))
        maps.add(n.id);
    }
    for (const e of g.edges) {
      const to = byId.get(e.to);
      if (to?.kind !== 'map') continue;
      if (STORY_EDGES.has(e.kind)) maps.add(to.id);
      if (e.kind === 'fd' && !owner.has(to.id)) {
        const from = byId.get(e.from);
        if (from?.parent) owner.set(to.id, byId.get(from.parent)?.name ?? from.parent);
      }
    }
  }
  return { maps, owner };
}

/** struct_ops maps carry their struct's name as subtitle and are never folded. */
function isStructOpsMap(n: GraphNode): boolean {
  return n.slots.length > 0 || /_ops$/.test(n.subtitle);
}

function foldable(n: GraphNode, cast: Cast): boolean {
  return n.kind === 'map' && !isStructOpsMap(n) && !cast.maps.has(n.id);
}

/** The process an fd node id belongs to (`fd.loader:5` → `process.loader`), else null. */
export function hostOf(id: string): string | null {
  const m = /^fd\.(.+):\d+$/.exec(id);
  return m?.[1] ? `process.${m[1]}` : null;
}

/** The chip node id of an owner's folded maps. */
export function foldId(owner: string): string {
  return `fold.${owner}`;
}

/**
 * The Story projection of `graph`: fds folded into their process card's rows, plain maps
 * outside the cast folded into one chip per owner (open when it, or one of its maps, is
 * selected), and only the edges whose ends are drawn (fd edges only for touched or selected
 * fds). With `step` null (the layout pass), nothing is unfolded for a step.
 */
export function storyGraph(
  graph: Graph,
  cast: Cast,
  step: StepMarks | null,
  selection: string | null,
): Graph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const change = step?.change;
  const subject = new Set(step?.subject ?? []);
  const touchedFds = new Set<string>();
  if (change) {
    for (const e of graph.edges) if (change.addedEdges.has(e.id)) touchedFds.add(e.from);
    for (const e of change.removedEdges) touchedFds.add(e.from);
  }
  const ownerOf = (id: string) => cast.owner.get(id) ?? 'kernel';
  const selectedNode = selection === null ? undefined : byId.get(selection);
  const openChip =
    selection === null
      ? null
      : selection.startsWith('fold.')
        ? selection
        : selectedNode && foldable(selectedNode, cast)
          ? foldId(ownerOf(selectedNode.id))
          : null;
  const stepChanged = (n: GraphNode) =>
    change !== undefined &&
    !n.ghost &&
    !change.addedNodes.has(n.id) &&
    (change.changedNodes.has(n.id) || change.refDelta.has(n.id));
  const folded = new Map<string, string[]>();
  const drawn = new Set<string>();
  for (const n of graph.nodes) {
    if (n.kind === 'fd') continue;
    if (
      foldable(n, cast) &&
      !stepChanged(n) &&
      !subject.has(n.id) &&
      openChip !== foldId(ownerOf(n.id))
    ) {
      const chip = foldId(ownerOf(n.id));
      folded.set(chip, [...(folded.get(chip) ?? []), n.id]);
      continue;
    }
    drawn.add(n.id);
  }
  const fdTarget = new Map<string, string>();
  for (const e of graph.edges) if (e.kind === 'fd' && e.counted) fdTarget.set(e.from, e.to);
  const showFd = (fd: GraphNode, target: string | null) =>
    touchedFds.has(fd.id) ||
    (target !== null && subject.has(target)) ||
    selection === fd.id ||
    selection === fd.parent ||
    (target !== null && selection === target);
  const rowsOf = new Map<string, FdRow[]>();
  const shownFds = new Set<string>();
  for (const n of graph.nodes) {
    if (n.kind !== 'fd' || !n.parent) continue;
    const target = fdTarget.get(n.id) ?? null;
    const t = target === null ? undefined : byId.get(target);
    const show = showFd(n, target) && target !== null && drawn.has(target);
    if (show) shownFds.add(n.id);
    const row: FdRow = {
      id: n.id,
      fd: Number(n.name.split(':').pop()),
      target,
      name: t ? t.name : n.subtitle.replace(/^fd \d+ → /, ''),
      drawn: show,
    };
    rowsOf.set(n.parent, [...(rowsOf.get(n.parent) ?? []), row]);
  }
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    if (!drawn.has(n.id)) continue;
    nodes.push(n.kind === 'process' ? { ...n, rows: rowsOf.get(n.id) ?? [] } : n);
  }
  const chips = new Set<string>(folded.keys());
  if (openChip !== null && [...cast.owner.values(), 'kernel'].some((o) => foldId(o) === openChip))
    chips.add(openChip);
  for (const chip of [...chips].sort()) {
    const maps = folded.get(chip) ?? [];
    const open = chip === openChip;
    const openMaps = open
      ? graph.nodes
          .filter((n) => foldable(n, cast) && foldId(ownerOf(n.id)) === chip)
          .map((n) => n.id)
      : [];
    if (!open && maps.length === 0) continue;
    if (open && openMaps.length === 0) continue;
    const owner = chip.slice('fold.'.length);
    nodes.push({
      id: chip,
      kind: 'fold',
      name: owner,
      lane: 'maps',
      ref: null,
      refcnt: null,
      usercnt: null,
      state: open ? 'OPEN' : 'FOLDED',
      assoc: null,
      subtitle: open ? `${openMaps.length} maps shown` : `+${maps.length} maps`,
      badges: [],
      slots: [],
      ghost: false,
      parent: null,
      folds: { maps: open ? openMaps : maps, open },
    });
  }
  const edges = graph.edges.filter((e) => {
    if (e.kind === 'owns') return false;
    if (e.kind === 'fd') return shownFds.has(e.from);
    return drawn.has(e.from) && drawn.has(e.to);
  });
  return { nodes, edges };
}

/**
 * The layout as the Story view draws it: boxes for the fd rows of process cards (so an fd's
 * edge starts at its row), and boxes below the last box of the maps lane for maps a chip
 * opened or a step unfolded (the layout itself is computed with them folded).
 */
export function storyLayout(layout: Layout, graph: Graph): Layout {
  const boxes = new Map<string, Box>(layout.boxes);
  let height = layout.height;
  const laneBottom = new Map<number, number>();
  for (const b of layout.boxes.values())
    laneBottom.set(b.x, Math.max(laneBottom.get(b.x) ?? 0, b.y + b.h));
  for (const n of graph.nodes) {
    const box = layout.boxes.get(n.id);
    if (box && n.rows) {
      // The card is as tall as its table now (the layout keeps room for its longest).
      boxes.set(n.id, { ...box, h: Math.min(box.h, processCardHeight(n.rows.length)) });
      n.rows.forEach((r, i) =>
        boxes.set(r.id, {
          x: box.x + 6,
          y: box.y + FD_ROWS_TOP + i * FD_ROW_H,
          w: box.w - 12,
          h: FD_ROW_H,
        }),
      );
    }
  }
  const mapsLane = layout.lanes.find((l) => l.lane === 'maps');
  for (const n of graph.nodes) {
    if (boxes.has(n.id) || !mapsLane || n.kind !== 'map') continue;
    const y = (laneBottom.get(mapsLane.x) ?? 40) + 14;
    const h = 64 + n.slots.length * 20;
    boxes.set(n.id, { x: mapsLane.x, y, w: mapsLane.w, h });
    laneBottom.set(mapsLane.x, y + h);
    height = Math.max(height, y + h + 20);
  }
  return { ...layout, boxes, height };
}
