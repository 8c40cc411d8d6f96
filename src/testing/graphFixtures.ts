/** Hand-made graph nodes and edges for the graph and layout tests. */
import type { Graph, GraphEdge, GraphNode, Lane } from '../graph/toGraph';

/** A plain live node; `extra` sets its fd parent or struct_ops slots. */
export function mk(
  id: string,
  kind: GraphNode['kind'],
  lane: Lane,
  extra: Partial<Pick<GraphNode, 'parent' | 'slots'>> = {},
): GraphNode {
  return {
    id,
    kind,
    name: id,
    lane,
    ref: null,
    refcnt: null,
    usercnt: null,
    state: 'LIVE',
    assoc: null,
    subtitle: '',
    badges: [],
    slots: [],
    ghost: false,
    parent: null,
    ...extra,
  };
}

/** A counted reference edge from `from` to `to`. */
export function ref(from: string, to: string): GraphEdge {
  return { id: `edge.fd.${from}.${to}`, kind: 'fd', from, to, counted: true, label: '' };
}

/** A graph of `nodes` and no edges. */
export const graph = (...nodes: GraphNode[]): Graph => ({ nodes, edges: [] });
