/**
 * Cytoscape.js (canvas): the nodes at the app's boxes (preset positions, no layout run), the
 * edges with their labels; each next graph in one batch: elements gone are removed, new ones
 * added, the rest get their position and data set.
 */
import cytoscape, { type ElementDefinition } from 'cytoscape';
import type { PeerEdge, PeerGraph, PeerNode } from './graphs';
import type { Peer } from './main';

const nodeDef = (n: PeerNode): ElementDefinition => ({
  group: 'nodes',
  data: { id: n.id, label: n.label, w: n.w, h: n.h },
  position: { x: n.x + n.w / 2, y: n.y + n.h / 2 },
});

const edgeDef = (e: PeerEdge): ElementDefinition => ({
  group: 'edges',
  data: { id: e.id, source: e.from, target: e.to, label: e.label },
});

export function cytoscapePeer(stage: HTMLElement, counter: Element): Peer {
  const cy = cytoscape({
    container: stage,
    layout: { name: 'preset' },
    autoungrabify: true,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 'data(w)',
          height: 'data(h)',
          label: 'data(label)',
          'text-wrap': 'wrap',
          'text-valign': 'center',
          'font-size': 10,
          'background-color': '#eef2f7',
          'border-width': 1,
          'border-color': '#5b6b80',
        },
      },
      {
        selector: 'edge',
        style: {
          width: 1,
          'curve-style': 'bezier',
          'target-arrow-shape': 'triangle',
          label: 'data(label)',
          'font-size': 8,
        },
      },
    ],
  });
  let first = true;
  return {
    show(g: PeerGraph, step: string) {
      cy.batch(() => {
        const nodes = new Map(g.nodes.map((n) => [n.id, n]));
        const edges = new Map(g.edges.map((e) => [e.id, e]));
        cy.nodes()
          .filter((el) => !nodes.has(el.id()))
          .remove();
        cy.edges()
          .filter((el) => !edges.has(el.id()))
          .remove();
        const add: ElementDefinition[] = [];
        for (const n of g.nodes) {
          const el = cy.getElementById(n.id);
          if (el.empty()) add.push(nodeDef(n));
          else {
            el.position({ x: n.x + n.w / 2, y: n.y + n.h / 2 });
            el.data({ label: n.label, w: n.w, h: n.h });
          }
        }
        for (const e of g.edges) {
          const el = cy.getElementById(e.id);
          if (el.empty()) add.push(edgeDef(e));
          else el.data({ label: e.label });
        }
        cy.add(add);
      });
      counter.textContent = step;
      if (first) {
        // One camera for the whole run, as the app keeps its lanes still.
        cy.fit(undefined, 20);
        first = false;
      }
    },
  };
}
