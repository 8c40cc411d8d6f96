/**
 * One scenario in the viewer: graph, stepping controls, narration, kernel pane, inspector,
 * console. Reads the store; computes only projections (graph, layout) of what the core made.
 */
import { useMemo, useRef } from 'react';
import type { StoreApi } from 'zustand';
import { describeState } from '../core/describe';
import { layoutTimeline } from '../graph/layout';
import { diffGraph, toGraph, type Graph } from '../graph/toGraph';
import type { KernelState } from '../core/types';
import type { SimState } from '../store/createSimStore';
import { stepBase } from '../store/timeline';
import { Console } from '../components/Console';
import { Controls } from '../components/Controls';
import { GraphView } from '../components/GraphView';
import { Inspector } from '../components/Inspector';
import { KernelPane } from '../components/KernelPane';
import { Legend } from '../components/Legend';
import { LiveAnnouncer, Narration } from '../components/Narration';
import { Timeline } from '../components/Timeline';
import { SimProvider, useSim } from './storeContext';
import { useKeyboard } from './useKeyboard';
import { BASE_EVENT_MS, usePlayback } from './usePlayback';
import { useUrlSync } from './useUrlSync';

function Body({ store, urlSync }: { store: StoreApi<SimState>; urlSync: boolean }) {
  const timeline = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const selected = useSim((s) => s.selected);
  const select = useSim((s) => s.select);
  const playing = useSim((s) => s.playing);
  const speed = useSim((s) => s.speed);
  const scenarioId = useSim((s) => s.scenario.id);
  useKeyboard(store);
  usePlayback(store, playing, speed);
  useUrlSync(scenarioId, timeline, cursor, urlSync);

  const layout = useMemo(
    () =>
      layoutTimeline(
        timeline.points.map((p, i) => toGraph(p.state, stepBase(timeline, i), { nodesOnly: true })),
      ),
    [timeline],
  );
  const point = timeline.points[cursor] ?? timeline.points[0];
  const state = point?.state as KernelState;
  const base = stepBase(timeline, cursor);
  const graph: Graph = useMemo(() => toGraph(state, base), [state, base]);
  // Change marks compare with what was on screen before, so a whole-step jump shows the step's changes.
  const shown = useRef<{ state: KernelState | null; graph: Graph | null }>({
    state: null,
    graph: null,
  });
  const change = useMemo(() => {
    const before = shown.current.graph;
    const c = diffGraph(before && shown.current.state !== state ? before : null, graph);
    return c;
  }, [graph, state]);
  shown.current = { state, graph };

  return (
    <div className="viewer">
      <LiveAnnouncer />
      <div className="stage">
        <GraphView
          graph={graph}
          layout={layout}
          change={change}
          selected={selected}
          onSelect={select}
          stepKey={`${scenarioId}:${cursor}`}
          animationMs={BASE_EVENT_MS / speed / 1.5}
          scenarioKey={scenarioId}
        />
        <aside className="side">
          <Narration />
          <KernelPane />
          <Inspector state={state} graph={graph} selected={selected} onSelect={select} />
        </aside>
      </div>
      <div className="dock">
        <Controls />
        <Timeline />
        <Legend />
      </div>
      <div className="lower">
        <Console />
        <details className="state-text">
          <summary>Kernel state as text</summary>
          <pre className="kernel-state" data-testid="kernel-state" tabIndex={0}>
            {describeState(state).join('\n')}
          </pre>
        </details>
      </div>
    </div>
  );
}

export function Viewer({
  store,
  urlSync = true,
}: {
  store: StoreApi<SimState>;
  urlSync?: boolean;
}) {
  return (
    <SimProvider store={store}>
      <Body store={store} urlSync={urlSync} />
    </SimProvider>
  );
}
