/**
 * One scenario in the viewer, in one of three layouts:
 * - `full`: graph, narration, kernel pane, inspector, controls, timeline, console, state text;
 * - `embed` (`?embed=1`): graph, stepping controls and narration only, read-only, sized to
 *   its frame (the graph scaled to fit both its width and height);
 * - `present` (`?present=1`, P): the graph large, narration as a caption, chapters, clicker
 *   keys, a blank screen and auto-advance with a dwell per step.
 * Reads the store; computes only projections (graph, layout) of what the core made.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { StoreApi } from 'zustand';
import { describeState } from '../core/describe';
import { toGraph, type Graph } from '../graph/toGraph';
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
import { KernelReportsPanel } from '../components/KernelReportsPanel';
import { PresentBar } from '../components/PresentBar';
import { Timeline } from '../components/Timeline';
import { chapterIndexAt, chaptersOf, nextChapterStart, prevChapterStart } from './chapters';
import { FittedGraph } from './FittedGraph';
import { useDwell, usePresentationKeys, type Rect } from './presentation';
import { changeBounds, focusBounds, timelineLayout, useGraphChange } from './stepGraph';
import type { SpeakerLink } from '../speaker/useSpeakerHost';
import { SimProvider, useSim } from './storeContext';
import { useKeyboard } from './useKeyboard';
import { BASE_EVENT_MS, usePlayback } from './usePlayback';
import { useUrlSync } from './useUrlSync';
import { DEFAULT_DWELL_S } from './viewOptions';

export type ViewerMode = 'full' | 'embed' | 'present';

export interface ViewerProps {
  readonly store: StoreApi<SimState>;
  /** The URL follows the step (`?scenario=&step=`); off in embeds and tests. */
  readonly urlSync?: boolean;
  readonly mode?: ViewerMode;
  /** Embed only: show the stepping controls (`?controls=0` hides them). */
  readonly controls?: boolean;
  /** Start playing on load: event by event (embed, full), or auto-advance (present). */
  readonly autoplay?: boolean;
  /** Presentation: seconds each step stays on screen when advancing by itself. */
  readonly dwell?: number;
  readonly fullscreen?: boolean;
  readonly onFullscreen?: () => void;
  readonly onExitPresent?: () => void;
  /** Embed only: more tools for the controls row (share, export, open in a tab). */
  readonly extras?: ReactNode;
  /** Presentation: the speaker view (a button opens it) and the blank screen it shares. */
  readonly speaker?: SpeakerLink | null;
}

function Body({
  store,
  urlSync,
  mode,
  controls,
  autoplay,
  dwell: initialDwell,
  fullscreen,
  onFullscreen,
  onExitPresent,
  extras,
  speaker,
}: Required<Omit<ViewerProps, 'extras' | 'speaker'>> & {
  extras: ReactNode;
  speaker: SpeakerLink | null;
}) {
  const timeline = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const selected = useSim((s) => s.selected);
  const select = useSim((s) => s.select);
  const playing = useSim((s) => s.playing);
  const speed = useSim((s) => s.speed);
  const scenarioId = useSim((s) => s.scenario.id);
  const gotoStep = useSim((s) => s.gotoStep);
  useKeyboard(store);
  usePlayback(store, playing, speed);
  useUrlSync(scenarioId, timeline, cursor, urlSync);

  const presenting = mode === 'present';
  const [auto, setAuto] = useState(false);
  const [dwell, setDwell] = useState(initialDwell);
  const [follow, setFollow] = useState(true);
  const [ownBlank, setOwnBlank] = useState(false);
  const blank = speaker ? speaker.blank : ownBlank;
  const setBlank = speaker ? speaker.setBlank : setOwnBlank;
  const stopAuto = useCallback(() => setAuto(false), []);
  useDwell(store, auto && presenting, dwell, stopAuto);

  // `autoplay=1` starts once, on load.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !autoplay) return;
    started.current = true;
    if (presenting) setAuto(true);
    else store.getState().setPlaying(true);
  }, [autoplay, presenting, store]);

  const chapters = useMemo(() => chaptersOf(timeline.frames.map((f) => f.step)), [timeline]);
  const stepIndex = timeline.points[cursor]?.step ?? -1;
  const goChapter = (start: number | null) => {
    if (start !== null) gotoStep(start + 1);
  };
  const hereStep = () => {
    const s = store.getState();
    return s.timeline.points[s.cursor]?.step ?? -1;
  };
  usePresentationKeys(presenting, {
    next: () => store.getState().nextStep(),
    prev: () => store.getState().prevStep(),
    nextChapter: () => goChapter(nextChapterStart(chapters, hereStep())),
    prevChapter: () => goChapter(prevChapterStart(chapters, hereStep())),
    blank: () => setBlank(!blank),
    exit: onExitPresent,
    fullscreen: onFullscreen,
    auto: () => setAuto((a) => !a),
    follow: () => setFollow((f) => !f),
  });

  const layout = useMemo(() => timelineLayout(timeline), [timeline]);
  const point = timeline.points[cursor] ?? timeline.points[0];
  const state = point?.state as KernelState;
  const base = stepBase(timeline, cursor);
  const graph: Graph = useMemo(() => toGraph(state, base), [state, base]);
  const change = useGraphChange(graph, state);
  const bounds = useMemo(() => focusBounds(graph, layout), [graph, layout]);
  // Presentation: the camera follows what each step changed (kept over steps that change
  // nothing on screen; the whole graph before the first step), unless the presenter turns it
  // off (Z, or "Follow changes").
  const stepFocus = useMemo(() => changeBounds(graph, change, layout), [graph, change, layout]);
  const lastFocus = useRef<Rect | null>(null);
  if (stepIndex < 0) lastFocus.current = null;
  else if (stepFocus) lastFocus.current = stepFocus;
  const focus = follow ? lastFocus.current : null;

  const graphView = (
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
  );

  if (mode === 'embed') {
    return (
      <div className="viewer viewer-embed">
        <LiveAnnouncer />
        <FittedGraph layout={layout} bounds={bounds} maxScale={2}>
          {graphView}
        </FittedGraph>
        {/* Focusable: a long narration scrolls, and keyboard users must be able to scroll it. */}
        <div className="embed-narration" tabIndex={0}>
          <Narration />
        </div>
        {controls ? (
          <div className="embed-dock">
            <Controls />
            {extras}
          </div>
        ) : null}
      </div>
    );
  }

  if (presenting) {
    return (
      <div className="viewer viewer-present" data-testid="presentation">
        <LiveAnnouncer />
        <h2 className="visually-hidden">Presentation</h2>
        <div className="present-bar">
          <Controls />
          <PresentBar
            chapters={chapters}
            chapter={chapterIndexAt(chapters, stepIndex)}
            onChapter={(i) => goChapter(chapters[i]?.start ?? null)}
            onPrevChapter={() => goChapter(prevChapterStart(chapters, stepIndex))}
            onNextChapter={() => goChapter(nextChapterStart(chapters, stepIndex))}
            auto={auto}
            onAuto={setAuto}
            dwell={dwell}
            onDwell={setDwell}
            fullscreen={fullscreen}
            onFullscreen={onFullscreen}
            onExit={onExitPresent}
            onSpeakerView={speaker?.open}
            follow={follow}
            onFollow={setFollow}
          />
        </div>
        <FittedGraph layout={layout} bounds={bounds} maxScale={2.5} focus={focus}>
          {graphView}
        </FittedGraph>
        <div className="present-caption" tabIndex={0}>
          <Narration />
        </div>
        {blank ? (
          <div className="blank-screen" data-testid="blank-screen" onClick={() => setBlank(false)}>
            <span className="visually-hidden">
              The screen is blank. Press B or full stop to show it again.
            </span>
          </div>
        ) : null}
      </div>
    );
  }

  return (
    <div className="viewer">
      <LiveAnnouncer />
      <div className="stage">
        {graphView}
        <aside className="side">
          <Narration />
          <KernelReportsPanel />
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

const noop = () => {};

export function Viewer({
  store,
  urlSync = true,
  mode = 'full',
  controls = true,
  autoplay = false,
  dwell = DEFAULT_DWELL_S,
  fullscreen = false,
  onFullscreen = noop,
  onExitPresent = noop,
  extras = null,
  speaker = null,
}: ViewerProps) {
  return (
    <SimProvider store={store}>
      <Body
        store={store}
        urlSync={urlSync}
        mode={mode}
        controls={controls}
        autoplay={autoplay}
        dwell={dwell}
        fullscreen={fullscreen}
        onFullscreen={onFullscreen}
        onExitPresent={onExitPresent}
        extras={extras}
        speaker={speaker}
      />
    </SimProvider>
  );
}
