/**
 * What a step did that leaves no object behind, drawn over the graph: the edge a refused
 * operation tried to make (dashed, a cross, the errno on it), and the lookup path of each kfunc
 * that resolved its struct_ops instance, hop by hop, ending on what it acted on or stopping
 * at a NULL or BPF_PTR_POISON association. DOM contract: `edge.refused.<from>.<to>` with
 * `data-errno`; `lookup-path` groups with `data-stop`, hops with `data-hop="<n>"`.
 */
import { edgeMidpoint } from '../graph/edgeMidpoint';
import type { Box, Layout } from '../graph/layout';
import type { LookupHop, LookupPath } from '../graph/lookupPath';
import type { RefusedEdge } from '../graph/refused';
import type { StepMarksData } from '../view/stepMarks';
import { LENGTH_ATTRIBUTE } from '../d3/usePulse';

type Pt = readonly [number, number];

/** The kdata row of a struct_ops map's card: just under the rule above its member slots. */
const KDATA_Y = 51;

/**
 * Where a hop sits on its node's card (programs lane left of maps, schedulers right): down the
 * program's right edge to its st_ops_assoc row, into the map at its title, down to its kdata
 * row, across the kdata row to ops->priv on the way out, into the scheduler.
 */
function hopPoint(h: LookupHop, box: Box, prev: Box | undefined): Pt {
  switch (h.what) {
    case 'program':
      return [box.x + box.w, box.y + 20];
    case 'st_ops_assoc':
      return [box.x + box.w, box.y + box.h - 20];
    case 'map':
      return [box.x, box.y + 20];
    case 'kdata':
      return [box.x, box.y + KDATA_Y];
    case 'ops->priv': {
      const map = prev && prev !== box ? prev : box;
      return [map.x + map.w, map.y + KDATA_Y];
    }
    case 'scx_root':
      return [box.x, box.y + 14];
    case 'instance':
      return [box.x, box.y + box.h / 2];
    case 'slot':
      return [box.x + box.w, box.y + box.h / 2];
  }
}

/**
 * Where the result goes: beside the instance; beside the slot program it ran; under the
 * program whose association stopped the path; beside the map whose ops->priv was NULL.
 */
function resultPoint(h: LookupHop | undefined, box: Box | undefined, at: Pt): Pt {
  if (!h || !box) return [at[0] + 10, at[1] - 10];
  if (h.what === 'instance') return [box.x + box.w + 8, box.y + 16];
  if (h.what === 'slot') return [box.x + box.w + 10, box.y + box.h / 2 + 18];
  if (h.what === 'st_ops_assoc') return [box.x + 8, box.y + box.h + 13];
  return [at[0] + 12, at[1] + 20];
}

/** Hops named on the path; the others are cards whose title (or assoc row) already names them. */
/** A segment's length, written on it for the draw-in (useLookupPath), which never measures. */
function segmentLength(a: Pt, b: Pt): string {
  return Math.hypot(b[0] - a[0], b[1] - a[1]).toFixed(1);
}

const SHOWS_LABEL = new Set(['kdata', 'ops->priv', 'scx_root', 'slot']);
/** Labels that sit left of their hop (the right is the card they point into). */
const LABEL_LEFT = new Set(['kdata', 'scx_root']);

function LookupView({ path, layout, index }: { path: LookupPath; layout: Layout; index: number }) {
  const pts: Pt[] = [];
  let prevBox: Box | undefined;
  for (const h of path.hops) {
    const box = layout.boxes.get(h.node);
    if (!box) return null;
    pts.push(hopPoint(h, box, prevBox));
    prevBox = box;
  }
  const last = pts[pts.length - 1];
  if (!last) return null;
  const lastHop = path.hops[path.hops.length - 1];
  const [rx, ry] = resultPoint(lastHop, lastHop ? layout.boxes.get(lastHop.node) : undefined, last);
  const stopText =
    path.stop === 'POISON'
      ? `BPF_PTR_POISON → ${path.result}`
      : path.stop === 'NULL'
        ? `NULL → ${path.result}`
        : null;
  return (
    <g
      className={`lookup ${path.stop ? 'lookup-stopped' : 'lookup-reached'}`}
      data-testid="lookup-path"
      data-kfunc={path.kfunc}
      data-stop={path.stop ?? 'none'}
      data-result={path.result}
      data-hops={path.hops.length}
      data-order={index}
    >
      <title>{`${path.kfunc}: ${path.hops.map((h) => h.label).join(' → ')} → ${path.result}`}</title>
      {path.hops.map((h, i) => {
        const p = pts[i] as Pt;
        const q = i > 0 ? (pts[i - 1] as Pt) : null;
        return (
          <g
            key={i}
            className={`lookup-hop lookup-${h.what.replace(/\W+/g, '_')}`}
            data-hop={h.n}
            data-what={h.what}
            data-node={h.node}
            data-label={h.label}
            data-event={h.event}
          >
            {q ? (
              <>
                <path
                  className="lookup-glow"
                  d={`M${q[0]},${q[1]} L${p[0]},${p[1]}`}
                  {...{ [LENGTH_ATTRIBUTE]: segmentLength(q, p) }}
                />
                <path
                  className="lookup-seg"
                  d={`M${q[0]},${q[1]} L${p[0]},${p[1]}`}
                  {...{ [LENGTH_ATTRIBUTE]: segmentLength(q, p) }}
                />
              </>
            ) : null}
            <circle className="lookup-dot" cx={p[0]} cy={p[1]} r={6} />
            {SHOWS_LABEL.has(h.what) ? (
              <text
                className="lookup-label"
                x={LABEL_LEFT.has(h.what) ? p[0] - 9 : p[0] + 9}
                y={p[1] - 9}
                textAnchor={LABEL_LEFT.has(h.what) ? 'end' : 'start'}
              >
                {h.label}
              </text>
            ) : null}
          </g>
        );
      })}
      {stopText ? (
        <g className="lookup-stop" data-testid="lookup-stop" data-at-hop={path.hops.length - 1}>
          <path
            className="lookup-cross"
            d={`M${last[0] - 8},${last[1] - 8} L${last[0] + 8},${last[1] + 8} M${last[0] + 8},${last[1] - 8} L${last[0] - 8},${last[1] + 8}`}
          />
          <text className="lookup-result" x={rx} y={ry}>
            {stopText}
          </text>
        </g>
      ) : (
        <text className="lookup-result lookup-end" data-testid="lookup-end" x={rx} y={ry}>
          {path.result}
        </text>
      )}
    </g>
  );
}

/** The graph's edge geometry (GraphView's), so the attempt is routed like a real edge. */
export type EdgePathOf = (a: Box, b: Box, kind: string) => string;

function RefusedView({
  edge,
  layout,
  pathOf,
}: {
  edge: RefusedEdge;
  layout: Layout;
  pathOf: EdgePathOf;
}) {
  const a = layout.boxes.get(edge.from);
  const b = layout.boxes.get(edge.to);
  if (!a || !b) return null;
  // The middle of the attempt, where the cross and the errno sit.
  const [mx, my] = edgeMidpoint(a, b);
  return (
    <g
      className="edge edge-refused"
      data-testid={edge.id}
      data-errno={edge.errno}
      data-kind="refused"
      data-counted="false"
    >
      <title>{`${edge.label}: refused with -${edge.errno}`}</title>
      <path className="edge-line refused-line" d={pathOf(a, b, 'refused')} />
      <g className="refused-mark" transform={`translate(${mx},${my})`}>
        <circle r={13} />
        <path d="M-6,-6 L6,6 M6,-6 L-6,6" />
        <text className="refused-errno" x={18} y={6}>
          {`-${edge.errno}`}
        </text>
      </g>
    </g>
  );
}

/** Draws the step's marks; `useLookupPath` (src/d3) animates the lookup hops. */
export function StepMarks({
  marks,
  layout,
  pathOf,
}: {
  marks: StepMarksData;
  layout: Layout;
  pathOf: EdgePathOf;
}) {
  if (!marks.refused && marks.lookups.length === 0) return null;
  return (
    <g className="step-marks">
      {marks.refused ? <RefusedView edge={marks.refused} layout={layout} pathOf={pathOf} /> : null}
      {marks.lookups.map((p, i) => (
        <LookupView key={p.key} path={p} layout={layout} index={i} />
      ))}
    </g>
  );
}
