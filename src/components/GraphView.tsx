/**
 * The graph: lanes of kernel objects and the references between them, drawn as SVG by React
 * at positions that hold still across the whole timeline. d3 adds pan/zoom and transitions.
 * Implements the DOM contract (reference/architecture.md): node.<kind>.<name> with
 * data-refcnt / data-state / data-assoc, and edge.<kind>.<from>.<to> with data-counted.
 */
import { memo, useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useZoom } from '../d3/useZoom';
import { LENGTH_ATTRIBUTE, usePulse } from '../d3/usePulse';
import { useLookupPath } from '../d3/useLookupPath';
import { adjacency, arrowDirection, nextNode } from '../graph/keyboardNav';
import { edgeMidpoint } from '../graph/edgeMidpoint';
import { FD_ROW_H, FD_ROWS_TOP, LANE_HEAD, type Box, type Layout } from '../graph/layout';
import { hostOf, internalMapName, type Detail } from '../graph/story';
import {
  LANE_TITLES,
  type Graph,
  type GraphChange,
  type GraphEdge,
  type GraphNode,
} from '../graph/toGraph';
import { edgeLength, edgePath, laneChannels, type Channels } from '../graph/edgeGeometry';
import { NO_MARKS, type StepMarksData } from '../view/stepMarks';
import { StepMarks } from './StepMarks';

/** Associations are the edges the product is about: drawn boldest, and labelled. */
const ASSOC_KINDS: ReadonlySet<string> = new Set(['assoc', 'assoc_weak']);

/** The arrowhead marker of an edge (the legend's swatches use the same). */
export function arrowOf(kind: string, counted: boolean): string {
  if (ASSOC_KINDS.has(kind)) return 'arrow-assoc';
  return counted ? 'arrow-counted' : 'arrow-weak';
}

interface NodeProps {
  readonly node: GraphNode;
  readonly box: Box;
  readonly changed: boolean;
  readonly added: boolean;
  readonly delta: number | undefined;
  readonly selected: boolean;
  /** The current step's primary subject (the first object it names): `data-subject`. */
  readonly subject: boolean;
  /** The graph's one Tab stop (roving tabindex); the other nodes are reached with arrows. */
  readonly tabbable: boolean;
  readonly onSelect: (id: string | null) => void;
  readonly onKey: (e: KeyboardEvent<SVGGElement>, id: string) => void;
  readonly onFocusNode: (id: string) => void;
}

/**
 * Fits text to the room it has (monospace, `charW` px a character). A name too long is cut in
 * the middle, never at its end: the end is what tells `refresh_layer_cpumasks_2` from `_3`.
 */
export function fit(text: string, room: number, charW: number): string {
  const max = Math.max(6, Math.floor(room / charW));
  if (text.length <= max) return text;
  const tail = Math.max(4, Math.ceil((max - 1) * 0.45));
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** What a card says in its title and subtitle: internal maps read as their object's name. */
function cardText(n: GraphNode): { title: string; subtitle: string } {
  const internal = n.kind === 'map' ? internalMapName(n.name) : null;
  if (internal) return { title: internal.object, subtitle: `${internal.section} · ${n.subtitle}` };
  return { title: n.name, subtitle: n.subtitle };
}

/** Objects whose card carries a state badge (INIT, READY, LIVE, FREED, …). */
function hasStateBadge(n: GraphNode): boolean {
  return (
    n.kind === 'map' ||
    n.kind === 'prog' ||
    n.kind === 'link' ||
    n.kind === 'sched' ||
    n.kind === 'timer'
  );
}

/** Room for a card's title: the card less its left margin and the refcount badge (and usercnt). */
function titleRoom(n: GraphNode, w: number): number {
  return w - 10 - (n.refcnt === null ? 10 : n.usercnt === null ? 32 : 54);
}

function label(n: GraphNode): string {
  if (n.kind === 'fold' && n.folds)
    return `${n.folds.open ? `− ${n.folds.maps.length} maps` : `+${n.folds.maps.length} maps`} of ${n.name} (${n.folds.open ? 'hide' : 'show'}): ${n.folds.maps.map((id) => id.replace(/^map\./, '')).join(', ')}`;
  const parts = [`${n.kind} ${n.name}`, n.subtitle];
  if (n.rows) parts.push(...n.rows.map((r) => `fd ${r.fd} → ${r.name}`));
  if (n.refcnt !== null) parts.push(`refcnt ${n.refcnt}`);
  if (n.usercnt !== null) parts.push(`usercnt ${n.usercnt}`);
  if (hasStateBadge(n)) parts.push(`state ${n.state}`);
  if (n.assoc !== null)
    parts.push(
      n.assoc === 'POISON'
        ? 'st_ops_assoc BPF_PTR_POISON'
        : `st_ops_assoc ${n.assoc === 'none' ? 'NULL' : n.assoc}`,
    );
  if (n.ghost) parts.push('freed in this step');
  return parts.join(', ');
}

function rowsKey(n: GraphNode): string {
  return `${(n.rows ?? []).map((r) => `${r.fd}:${r.target ?? ''}:${r.name}:${r.drawn}`).join()}|${n.folds?.open ?? ''}:${n.folds?.maps.join() ?? ''}`;
}

/** The same place on the drawing (a layout may hand out a new box for an unmoved card). */
function sameBox(a: Box, b: Box): boolean {
  return a === b || (a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);
}

/** The same gaps in every lane (a new layout often leaves them as they were). */
function sameChannels(a: Channels, b: Channels): boolean {
  return (
    a === b ||
    (a.length === b.length &&
      a.every((c, i) => {
        const d = b[i];
        return (
          d !== undefined &&
          c.x === d.x &&
          c.w === d.w &&
          c.gaps.length === d.gaps.length &&
          c.gaps.every((g, j) => g[0] === d.gaps[j]?.[0] && g[1] === d.gaps[j]?.[1])
        );
      }))
  );
}

function sameNode(a: NodeProps, b: NodeProps): boolean {
  const x = a.node;
  const y = b.node;
  return (
    sameBox(a.box, b.box) &&
    a.changed === b.changed &&
    a.added === b.added &&
    a.delta === b.delta &&
    a.selected === b.selected &&
    a.subject === b.subject &&
    a.tabbable === b.tabbable &&
    a.onSelect === b.onSelect &&
    a.onKey === b.onKey &&
    a.onFocusNode === b.onFocusNode &&
    x.id === y.id &&
    x.refcnt === y.refcnt &&
    x.usercnt === y.usercnt &&
    x.state === y.state &&
    x.assoc === y.assoc &&
    x.subtitle === y.subtitle &&
    x.ghost === y.ghost &&
    rowsKey(x) === rowsKey(y) &&
    x.slots.map((s) => `${s.member}=${s.prog ?? ''}`).join() ===
      y.slots.map((s) => `${s.member}=${s.prog ?? ''}`).join()
  );
}

const NodeView = memo(function NodeView({
  node: n,
  box,
  changed,
  added,
  delta,
  selected,
  subject,
  tabbable,
  onSelect,
  onKey,
  onFocusNode,
}: NodeProps) {
  const text = cardText(n);
  const cls = [
    'node',
    `node-${n.kind}`,
    changed ? 'node-changed' : '',
    added ? 'node-added' : '',
    n.ghost ? 'node-ghost' : '',
    selected ? 'node-selected' : '',
    n.assoc === 'POISON' ? 'node-poison' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <g
      className={cls}
      transform={`translate(${box.x},${box.y})`}
      data-testid={`node.${n.kind}.${n.name}`}
      data-kind={n.kind}
      data-state={n.state}
      {...(n.refcnt !== null ? { 'data-refcnt': String(n.refcnt) } : {})}
      {...(n.usercnt !== null ? { 'data-usercnt': String(n.usercnt) } : {})}
      {...(n.assoc !== null ? { 'data-assoc': n.assoc } : {})}
      {...(n.rows
        ? {
            'data-fds': n.rows
              .filter((r) => !r.drawn)
              .map((r) => `${r.fd}:${r.target ?? '-'}`)
              .join(' '),
          }
        : {})}
      {...(subject ? { 'data-subject': 'true' } : {})}
      tabIndex={tabbable ? 0 : -1}
      role="button"
      aria-label={label(n)}
      {...(n.folds ? { 'aria-expanded': n.folds.open } : { 'aria-pressed': selected })}
      onClick={() => onSelect(n.folds?.open ? null : n.id)}
      onKeyDown={(e) => onKey(e, n.id)}
      onFocus={() => onFocusNode(n.id)}
    >
      <rect className="node-frame" width={box.w} height={box.h} rx={n.kind === 'fd' ? 4 : 8} />
      {changed ? (
        // The pulse: a wide ring over the frame that fades out (usePulse), by opacity only.
        <rect
          className="node-pulse"
          width={box.w}
          height={box.h}
          rx={n.kind === 'fd' ? 4 : 8}
          aria-hidden="true"
        />
      ) : null}
      {n.kind === 'map' && n.slots.length > 0 ? (
        <line className="node-rule" x1={0} x2={box.w} y1={46} y2={46} />
      ) : null}
      <title>{label(n)}</title>
      <text className="node-title" x={10} y={n.kind === 'fd' ? 19 : 20}>
        {n.kind === 'fd'
          ? `fd ${n.name.split(':').pop() ?? ''}`
          : n.kind === 'fold' && n.folds
            ? n.folds.open
              ? `− ${n.folds.maps.length} maps`
              : `+${n.folds.maps.length} maps`
            : fit(text.title, titleRoom(n, box.w), 8.2)}
      </text>
      {n.kind === 'fold' ? (
        <text className="node-sub" x={10} y={37}>
          {fit(`of ${n.name} · ${n.folds?.open ? 'hide' : 'show'}`, box.w - 20, 6.6)}
        </text>
      ) : n.kind !== 'fd' ? (
        <text className="node-sub" x={10} y={37}>
          {fit(text.subtitle, box.w - 20 - (hasStateBadge(n) ? n.state.length * 6.5 + 8 : 0), 6.6)}
        </text>
      ) : (
        <text className="node-sub" x={52} y={19}>
          {n.subtitle.replace(/^fd \d+ /, '')}
        </text>
      )}
      {n.rows && n.rows.length > 0 ? (
        <g className="fd-table">
          <line className="node-rule" x1={0} x2={box.w} y1={FD_ROWS_TOP - 3} y2={FD_ROWS_TOP - 3} />
          {n.rows.map((r, i) => (
            <text
              key={r.id}
              className={`fd-row${r.drawn ? ' fd-row-drawn' : ''}`}
              x={10}
              y={FD_ROWS_TOP + i * FD_ROW_H + 14}
            >
              {fit(`fd ${r.fd} → ${r.name}`, box.w - 20, 6.95)}
            </text>
          ))}
        </g>
      ) : null}
      {n.kind === 'map' && n.slots.length > 0
        ? n.slots.map((s, i) => (
            <text
              key={s.member}
              className={`slot ${s.prog ? 'slot-filled' : 'slot-empty'}`}
              x={12}
              y={64 + i * 20}
            >
              {`.${s.member} = ${s.prog ?? 'NULL'}`}
            </text>
          ))
        : null}
      {n.kind === 'prog' && n.assoc !== null ? (
        <g
          className={`assoc-slot assoc-${n.assoc === 'POISON' ? 'poison' : n.assoc === 'none' ? 'none' : 'map'}`}
          transform={`translate(10,${box.h - 20})`}
        >
          {n.assoc === 'POISON' ? (
            <path className="poison-mark" d="M0,-6 L6,4 L-6,4 Z" transform="translate(6,0)" />
          ) : null}
          <text x={n.assoc === 'POISON' ? 16 : 0} y={4}>
            {`st_ops_assoc = ${n.assoc === 'POISON' ? 'BPF_PTR_POISON' : n.assoc === 'none' ? 'NULL' : n.assoc}`}
          </text>
        </g>
      ) : null}
      {hasStateBadge(n) ? (
        <text
          className={`state-badge state-${n.state.toLowerCase()}`}
          x={box.w - 8}
          y={39}
          textAnchor="end"
        >
          {n.state}
        </text>
      ) : null}
      {n.refcnt !== null ? (
        <g className="refcnt-badge" transform={`translate(${box.w - 17},14)`}>
          <circle r={10.5} />
          <text textAnchor="middle" y={4}>
            {n.refcnt}
          </text>
          {n.usercnt !== null ? (
            <text className="usercnt" textAnchor="end" x={-16} y={4}>
              {`u${n.usercnt}`}
            </text>
          ) : null}
        </g>
      ) : null}
      {delta !== undefined ? (
        <text className={`delta ${delta > 0 ? 'delta-up' : 'delta-down'}`} x={box.w + 4} y={8}>
          {delta > 0 ? `+${delta}` : `−${-delta}`}
        </text>
      ) : null}
      {n.ghost && !hasStateBadge(n) ? (
        <text className="ghost-mark" x={box.w - 8} y={box.h - 8} textAnchor="end">
          freed
        </text>
      ) : null}
    </g>
  );
}, sameNode);

interface EdgeProps {
  readonly edge: GraphEdge;
  readonly a: Box;
  readonly b: Box;
  readonly added: boolean;
  readonly removed: boolean;
  /** The gaps between cards an edge passing lanes goes through (edgeGeometry.ts). */
  readonly channels: Channels;
}

/** An edge is drawn again only when what it shows changed (each step makes new edge objects). */
function sameEdge(p: EdgeProps, q: EdgeProps): boolean {
  const x = p.edge;
  const y = q.edge;
  return (
    p.added === q.added &&
    p.removed === q.removed &&
    sameBox(p.a, q.a) &&
    sameBox(p.b, q.b) &&
    p.channels === q.channels &&
    (x === y ||
      (x.id === y.id &&
        x.kind === y.kind &&
        x.counted === y.counted &&
        x.label === y.label &&
        x.from === y.from &&
        x.to === y.to))
  );
}

const EdgeView = memo(function EdgeView({ edge, a, b, added, removed, channels }: EdgeProps) {
  const d = edgePath(a, b, edge.kind, channels);
  // The explicit associations (a non-struct_ops program's, the ones this API makes) carry
  // their name on the line; struct_ops programs' own name their map on the card.
  const mid = edge.kind === 'assoc' ? edgeMidpoint(a, b) : null;
  return (
    <g
      className={`edge edge-${edge.kind} ${edge.counted ? 'edge-counted' : 'edge-uncounted'} ${added ? 'edge-added' : ''} ${removed ? 'edge-removed' : ''}`}
      data-testid={removed ? undefined : edge.id}
      data-counted={String(edge.counted)}
      data-kind={edge.kind}
      data-from={edge.from}
      data-to={edge.to}
    >
      <path
        className="edge-line"
        d={d}
        {...(added ? { [LENGTH_ATTRIBUTE]: edgeLength(a, b, edge.kind, channels).toFixed(1) } : {})}
        markerEnd={edge.kind === 'owns' ? undefined : `url(#${arrowOf(edge.kind, edge.counted)})`}
      />
      {mid ? (
        <text className="edge-label" x={mid[0]} y={mid[1] - 6} textAnchor="middle">
          {edge.label}
        </text>
      ) : null}
      <title>{`${edge.label}${edge.counted ? ' (holds a reference)' : ' (no reference)'}`}</title>
    </g>
  );
}, sameEdge);

export interface GraphViewProps {
  readonly graph: Graph;
  readonly layout: Layout;
  readonly change: GraphChange;
  readonly selected: string | null;
  readonly onSelect: (id: string | null) => void;
  /** Changes when the cursor moves: restarts the change animations. */
  readonly stepKey: string;
  readonly animationMs: number;
  readonly scenarioKey: string;
  /** What the step did beyond its objects: a refused attempt, kfunc lookup paths. */
  readonly marks?: StepMarksData;
  /** The lookup path's hop being drawn (its event index in the step), null when done. */
  readonly onLookupHop?: (event: number | null, stepKey: string) => void;
  /** The step's primary subject (`data-subject="true"`), kept in view by the camera. */
  readonly subject?: ReadonlySet<string>;
  /** The detail level on screen (`data-detail` on the graph root). */
  readonly detail?: Detail;
  /**
   * `data-lane-order` on the graph root: `ordered` once the lanes are in their fewest-crossings
   * order (at once for library scenarios), `appearance` while a user scenario's is computed.
   */
  readonly laneOrder?: 'ordered' | 'appearance';
}

const NO_SUBJECT: ReadonlySet<string> = new Set();

/**
 * The graph, drawn again only when one of its props changes: state of the viewer's that it does
 * not take (the lookup hop the kernel pane shows, told on each hop; the presenter's auto-advance
 * or blank screen) does not redraw it.
 */
export const GraphView = memo(function GraphView({
  graph,
  layout,
  change,
  selected,
  onSelect,
  stepKey,
  animationMs,
  scenarioKey,
  marks = NO_MARKS,
  onLookupHop,
  subject = NO_SUBJECT,
  detail = 'all',
  laneOrder = 'ordered',
}: GraphViewProps) {
  const svg = useRef<SVGSVGElement>(null);
  // Kept while the gaps are the same, so that edges whose ends did not move are not drawn again.
  const kept = useRef<Channels | null>(null);
  const fresh = laneChannels(layout);
  const channels = kept.current && sameChannels(kept.current, fresh) ? kept.current : fresh;
  kept.current = channels;
  const pathOf = useCallback(
    (a: Box, b: Box, kind: string) => edgePath(a, b, kind, channels),
    [channels],
  );
  const content = useRef<SVGGElement>(null);
  useZoom(svg, content, scenarioKey);
  usePulse(content, stepKey, animationMs);
  useLookupPath(content, stepKey, animationMs * 1.5, onLookupHop);
  const neighbours = useMemo(() => adjacency(graph.edges), [graph]);
  const geometry = useRef({ neighbours, layout, graph });
  geometry.current = { neighbours, layout, graph };
  // The node that takes the graph's one Tab stop: the last focused, else the selected one,
  // else the first; the arrow keys move from there (src/graph/keyboardNav.ts).
  const [focusId, setFocusId] = useState<string | null>(null);
  const has = (id: string | null): id is string =>
    id !== null && graph.nodes.some((n) => n.id === id && layout.boxes.has(n.id));
  const tabStop = has(focusId) ? focusId : has(selected) ? selected : (graph.nodes[0]?.id ?? null);
  const focusNode = useCallback((id: string) => {
    svg.current?.querySelector<SVGGElement>(`[data-testid="${CSS.escape(`node.${id}`)}"]`)?.focus();
  }, []);
  const onKey = useCallback(
    (e: KeyboardEvent<SVGGElement>, id: string) => {
      const { neighbours, layout, graph } = geometry.current;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        onSelect(id);
        return;
      }
      if (e.key === 'Home' || e.key === 'End') {
        const ids = graph.nodes.filter((n) => layout.boxes.has(n.id)).map((n) => n.id);
        const to = e.key === 'Home' ? ids[0] : ids[ids.length - 1];
        if (to) {
          e.preventDefault();
          e.stopPropagation();
          focusNode(to);
        }
        return;
      }
      const dir = arrowDirection(e.key);
      if (!dir) return;
      // Inside the graph the arrows move the focus, never the timeline.
      e.preventDefault();
      e.stopPropagation();
      const boxes = new Map(
        graph.nodes.flatMap((n) => {
          const b = layout.boxes.get(n.id);
          return b ? [[n.id, b] as const] : [];
        }),
      );
      const to = nextNode(id, dir, neighbours, boxes);
      if (to) focusNode(to);
    },
    [onSelect, focusNode],
  );
  // An fd folded into its process card's table (Story view) with no row of its own: the card.
  const boxOf = (id: string) => {
    const b = layout.boxes.get(id);
    if (b) return b;
    const host = hostOf(id);
    return host === null ? undefined : layout.boxes.get(host);
  };
  // Edges are drawn only between objects on screen (or fds folded into a card on screen).
  const onScreenIds = new Set(graph.nodes.map((n) => n.id));
  const onScreen = {
    has: (id: string) => {
      if (onScreenIds.has(id)) return true;
      const host = hostOf(id);
      return host !== null && onScreenIds.has(host);
    },
  };
  return (
    <div className="graph-wrap">
      <svg
        ref={svg}
        className="graph"
        data-testid="graph"
        data-detail={detail}
        data-lane-order={laneOrder}
        role="group"
        aria-label="Kernel objects and the references between them"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        preserveAspectRatio="xMinYMin meet"
        onClick={(e) => {
          if (e.target === svg.current) onSelect(null);
        }}
      >
        <defs>
          {(['counted', 'weak', 'assoc'] as const).map((k) => (
            // Sized in user space, so the thick association edges keep a modest arrowhead.
            <marker
              key={k}
              id={`arrow-${k}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerUnits="userSpaceOnUse"
              markerWidth={k === 'assoc' ? 13 : 10}
              markerHeight={k === 'assoc' ? 13 : 10}
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className={`arrow-${k}`} />
            </marker>
          ))}
        </defs>
        <g ref={content}>
          {layout.lanes.map((l) => (
            <g key={l.lane} className="lane" data-lane={l.lane}>
              <rect
                className="lane-bg"
                x={l.x - 10}
                y={LANE_HEAD.top}
                width={l.w + 20}
                height={layout.height - 12}
                rx={10}
              />
            </g>
          ))}
          <g className="edges">
            {change.removedEdges.map((e) => {
              // A line that went in this step lingers briefly, and only between objects still
              // on screen: never into a lane the object has left.
              const a = onScreen.has(e.from) ? boxOf(e.from) : undefined;
              const b = onScreen.has(e.to) ? boxOf(e.to) : undefined;
              return a && b ? (
                <EdgeView
                  key={`gone-${e.id}`}
                  edge={e}
                  a={a}
                  b={b}
                  added={false}
                  removed
                  channels={channels}
                />
              ) : null;
            })}
            {graph.edges.map((e) => {
              const a = boxOf(e.from);
              const b = boxOf(e.to);
              return a && b ? (
                <EdgeView
                  key={e.id}
                  edge={e}
                  a={a}
                  b={b}
                  added={change.addedEdges.has(e.id)}
                  removed={false}
                  channels={channels}
                />
              ) : null;
            })}
          </g>
          <g className="nodes">
            {graph.nodes.map((n) => {
              const box = boxOf(n.id);
              return box ? (
                <NodeView
                  key={n.id}
                  node={n}
                  box={box}
                  changed={change.changedNodes.has(n.id)}
                  added={change.addedNodes.has(n.id)}
                  delta={change.refDelta.get(n.id)}
                  selected={selected === n.id}
                  subject={subject.has(n.id)}
                  tabbable={tabStop === n.id}
                  onSelect={onSelect}
                  onKey={onKey}
                  onFocusNode={setFocusId}
                />
              ) : null;
            })}
          </g>
          <StepMarks marks={marks} layout={layout} pathOf={pathOf} />
          {/* The lanes' titles, over the objects: while the view shows the lanes' middle, they
              sit at its top (moved by `--lane-head-y`, FittedGraph), each on its lane's tint;
              a lane that starts left of the view has its title at the view's left edge
              (`--lane-title-dx`). */}
          <g className="lane-heads">
            {layout.lanes.map((l) => (
              <g key={l.lane} className="lane-head" data-lane-head={l.lane}>
                {/* Moved down: the tint also covers the room above it, to the view's edge. */}
                <rect
                  className="lane-head-cover"
                  x={l.x - 10}
                  y={LANE_HEAD.top - 48}
                  width={l.w + 20}
                  height={60}
                />
                <rect
                  className="lane-head-bg"
                  x={l.x - 10}
                  y={LANE_HEAD.top}
                  width={l.w + 20}
                  height={LANE_HEAD.height}
                  rx={10}
                />
                <line
                  className="lane-head-rule"
                  x1={l.x - 10}
                  x2={l.x + l.w + 10}
                  y1={LANE_HEAD.top + LANE_HEAD.height}
                  y2={LANE_HEAD.top + LANE_HEAD.height}
                />
                <text className="lane-title" x={l.x} y={LANE_HEAD.baseline}>
                  {LANE_TITLES[l.lane]}
                </text>
              </g>
            ))}
          </g>
        </g>
      </svg>
    </div>
  );
});
