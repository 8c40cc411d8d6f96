/**
 * The peers page (bench only, never in the app's dist/): `?lib=cytoscape|reactflow&data=<url>`
 * loads the step graphs (graphs.ts) and draws the first; → (like the app's Next step) applies
 * the next step's graph as a data change and updates the step counter with it.
 */
import type { PeerGraph } from './graphs';

/** What a peer does: draw a graph first, then apply each next one as a change. */
export interface Peer {
  show(graph: PeerGraph, step: string): void;
}

async function start() {
  const q = new URLSearchParams(window.location.search);
  const stage = document.getElementById('stage');
  const counter = document.querySelector('[data-testid="step-counter"]');
  if (!stage || !counter) throw new Error('page is missing its stage');
  const graphs = (await (await fetch(q.get('data') ?? '')).json()) as PeerGraph[];
  const lib = q.get('lib');
  const peer: Peer =
    lib === 'cytoscape'
      ? (await import('./cytoscapePeer')).cytoscapePeer(stage, counter)
      : (await import('./reactFlowPeer')).reactFlowPeer(stage, counter);
  let at = 0;
  const label = () => `${at + 1} / ${graphs.length}`;
  const first = graphs[0];
  if (first) peer.show(first, label());
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight') return;
    const g = graphs[at + 1];
    if (!g) return;
    at++;
    peer.show(g, label());
  });
  document.body.dataset['ready'] = 'true';
}

void start();
