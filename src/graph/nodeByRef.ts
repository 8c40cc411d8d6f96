/** Graph nodes by the kernel object behind them (`kind:id`). */
import type { ObjRef } from '../core/types';
import type { Graph, GraphNode } from './toGraph';

export function nodeByRef(graph: Graph): (r: ObjRef | null | undefined) => GraphNode | undefined {
  const byRef = new Map<string, GraphNode>();
  for (const n of graph.nodes) if (n.ref) byRef.set(`${n.ref.kind}:${n.ref.id}`, n);
  return (r) => (r ? byRef.get(`${r.kind}:${r.id}`) : undefined);
}
