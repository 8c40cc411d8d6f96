/**
 * React Flow (DOM nodes, SVG edges): controlled nodes and edges at the app's boxes, with their
 * sizes and handles given so nothing waits for a measurement; no fitView after the first
 * graph, no animation. Each next graph replaces the nodes and edges (setNodes / setEdges).
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { PeerGraph } from './graphs';
import type { Peer } from './main';

const toNodes = (g: PeerGraph): Node[] =>
  g.nodes.map((n) => ({
    id: n.id,
    position: { x: n.x, y: n.y },
    data: { label: n.label },
    width: n.w,
    height: n.h,
    style: { width: n.w, height: n.h, padding: 4, fontSize: 10, whiteSpace: 'pre-line' },
    handles: [
      { id: null, type: 'target', position: Position.Left, x: 0, y: n.h / 2, width: 1, height: 1 },
      {
        id: null,
        type: 'source',
        position: Position.Right,
        x: n.w,
        y: n.h / 2,
        width: 1,
        height: 1,
      },
    ],
    draggable: false,
    selectable: false,
    connectable: false,
  }));

const toEdges = (g: PeerGraph): Edge[] =>
  g.edges.map((e) => ({ id: e.id, source: e.from, target: e.to, label: e.label }));

interface Shown {
  readonly nodes: Node[];
  readonly edges: Edge[];
  readonly step: string;
}

let setShown: ((s: Shown) => void) | null = null;

function Flow({ first, counter }: { first: Shown; counter: Element }) {
  const [shown, set] = useState(first);
  useEffect(() => {
    setShown = set;
  }, []);
  useEffect(() => {
    counter.textContent = shown.step;
  }, [shown, counter]);
  return (
    <ReactFlow
      nodes={shown.nodes}
      edges={shown.edges}
      fitView
      minZoom={0.05}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={{ hideAttribution: true }}
    />
  );
}

export function reactFlowPeer(stage: HTMLElement, counter: Element): Peer {
  const root = createRoot(stage);
  return {
    show(g: PeerGraph, step: string) {
      const next = { nodes: toNodes(g), edges: toEdges(g), step };
      if (setShown) setShown(next);
      else flushSync(() => root.render(<Flow first={next} counter={counter} />));
    },
  };
}
