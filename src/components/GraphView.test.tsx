/**
 * What a step's change marks draw: a changed node's pulse ring (usePulse fades it by opacity),
 * and an added edge's line with its length (edgeGeometry.ts `edgeLength`), so the draw-in
 * never asks the browser to measure a path.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { edgeLength, laneChannels } from '../graph/edgeGeometry';
import type { Box, Layout } from '../graph/layout';
import { diffGraph, type Graph, type GraphNode } from '../graph/toGraph';
import { GraphView } from './GraphView';

function node(kind: 'prog' | 'map', name: string): GraphNode {
  return {
    id: `${kind}.${name}`,
    kind,
    name,
    lane: kind === 'prog' ? 'progs' : 'maps',
    ref: null,
    refcnt: 1,
    usercnt: null,
    state: 'LIVE',
    assoc: null,
    subtitle: kind,
    badges: [],
    slots: [],
    ghost: false,
    parent: null,
  };
}

const prog = node('prog', 'trigger');
const map = node('map', 'ops');
const boxes = new Map<string, Box>([
  [prog.id, { x: 20, y: 60, w: 240, h: 80 }],
  [map.id, { x: 320, y: 200, w: 220, h: 70 }],
]);
const layout: Layout = {
  boxes,
  lanes: [
    { lane: 'progs', x: 20, w: 240 },
    { lane: 'maps', x: 320, w: 220 },
  ],
  width: 560,
  height: 300,
};
const edge = {
  id: 'edge.assoc.trigger.ops',
  kind: 'assoc' as const,
  from: prog.id,
  to: map.id,
  counted: true,
  label: 'st_ops_assoc',
};
const before: Graph = { nodes: [prog, map], edges: [] };
const after: Graph = { nodes: [prog, map], edges: [edge] };

function draw(prev: Graph | null, next: Graph): string {
  return renderToStaticMarkup(
    <GraphView
      graph={next}
      layout={layout}
      change={diffGraph(prev, next)}
      selected={null}
      onSelect={() => {}}
      stepKey="s:1"
      animationMs={300}
      scenarioKey="s"
    />,
  );
}

/** The markup of node `id` (its <g> up to the next node or edge). */
function nodeMarkup(html: string, id: string): string {
  const start = html.indexOf(`data-testid="node.${id}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<g class="node', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

describe('change marks', () => {
  it('a changed node carries a pulse ring; a node that did not change carries none', () => {
    const grown: Graph = { nodes: [prog, { ...map, refcnt: 2 }], edges: [] };
    const html = draw(before, grown);
    expect(nodeMarkup(html, map.id)).toContain('class="node-pulse"');
    expect(nodeMarkup(html, prog.id)).not.toContain('node-pulse');
    expect(draw(grown, grown)).not.toContain('node-pulse');
  });

  it('an added edge carries the length of its line, as computed from its geometry', () => {
    const html = draw(before, after);
    const len = edgeLength(
      boxes.get(prog.id) as Box,
      boxes.get(map.id) as Box,
      'assoc',
      laneChannels(layout),
    );
    expect(len).toBeGreaterThan(0);
    expect(html).toMatch(/class="edge edge-assoc edge-counted edge-added/);
    expect(html).toContain(`data-length="${len.toFixed(1)}"`);
    // Only an added edge: one that was already there carries none.
    expect(draw(after, after)).not.toContain('data-length');
  });
});

describe('redraws', () => {
  it('is a memo component: the viewer drawn again with the same props leaves the graph as it is', () => {
    // A lookup path tells the kernel pane each hop it draws, which draws the viewer again; the
    // graph's props are the same then, and React skips it only if it is a memo component.
    expect((GraphView as unknown as { readonly $$typeof: symbol }).$$typeof).toBe(
      Symbol.for('react.memo'),
    );
  });
});
