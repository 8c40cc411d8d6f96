/**
 * The app's graph at each step of the benchmark's generated scenario, as plain data a peer
 * library can draw: the nodes (id, label, box) and edges the app draws with `?detail=all`
 * (src/view/stepGraph.ts `graphAt`, src/graph/layout.ts `layoutTimeline`).
 *
 * The layout is made from the graphs at the end of each step. The app's own layout also visits
 * every kernel event inside a step; on this scenario that is thousands of graphs of up to a
 * thousand nodes, too slow and too large for Node, and the boxes are the same lanes and sizes.
 */
import { scenarioSchema } from '../../../src/scenario/schema';
import { runScenario } from '../../../src/scenario/run';
import { buildTimeline, pointForStep } from '../../../src/store/timeline';
import { layoutTimeline } from '../../../src/graph/layout';
import { graphAt } from '../../../src/view/stepGraph';
import { benchScenarioData, benchScenarioYaml } from '../generated';

export interface PeerNode {
  readonly id: string;
  /** Two lines: the name, then the subtitle and the refcount. */
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PeerEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface PeerGraph {
  readonly nodes: readonly PeerNode[];
  readonly edges: readonly PeerEdge[];
}

export interface PeerScenario {
  /** The scenario as YAML, for the app (`?src=`). */
  readonly yaml: string;
  /** The step the measured run starts from. */
  readonly start: number;
  /** The graph at the end of step `start`, then after each of the `count` steps after it. */
  readonly graphs: readonly PeerGraph[];
}

/**
 * The scenario with `n` struct_ops maps (bench/generated.ts) and enough test runs for `count`
 * steps after the loading step; the graphs of steps 1 to 1 + `count`.
 */
export function peerScenario(n: number, count: number): PeerScenario {
  const runs = Math.max(20, count - n);
  const scenario = scenarioSchema.parse(benchScenarioData(n, runs));
  const timeline = buildTimeline(runScenario(scenario));
  const start = 1;
  const ends = Array.from({ length: timeline.stepEnd.length + 1 }, (_, k) =>
    graphAt(timeline, pointForStep(timeline, k)),
  );
  const layout = layoutTimeline(ends);
  const graphs = ends.slice(start, start + count + 1).map((g) => ({
    nodes: g.nodes.flatMap((n) => {
      const b = layout.boxes.get(n.id);
      if (!b) return [];
      const sub = [n.subtitle, n.refcnt === null ? '' : `refcnt ${n.refcnt}`]
        .filter((s) => s !== '')
        .join(' · ');
      return [{ id: n.id, label: `${n.name}\n${sub}`, x: b.x, y: b.y, w: b.w, h: b.h }];
    }),
    edges: g.edges.map((e) => ({ id: e.id, from: e.from, to: e.to, label: e.label })),
  }));
  return { yaml: benchScenarioYaml(n, runs), start, graphs };
}
