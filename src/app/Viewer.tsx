/**
 * One scenario in the viewer, in one of three layouts:
 * - `full`: graph, narration, kernel pane, inspector, controls, timeline, console, state text;
 * - `embed` (`?embed=1`): graph, stepping controls and the step's caption, read-only, sized to
 *   its frame (the graph scaled to fit both its width and height);
 * - `present` (`?present=1`, P): the graph large, the step's short caption, chapters, clicker
 *   keys, a blank screen and auto-advance with a dwell per step.
 * Reads the store; computes only projections (graph, layout) of what the core made.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import type { StoreApi } from 'zustand';
import { describeState } from '../core/describe';
import type { Graph } from '../graph/toGraph';
import type { KernelState } from '../core/types';
import type { SimState } from '../store/createSimStore';
import { Console } from '../components/Console';
import { Controls } from '../components/Controls';
import { GraphView } from '../components/GraphView';
import { Inspector } from '../components/Inspector';
import { KernelPane } from '../components/KernelPane';
import { Legend } from '../components/Legend';
import { LiveAnnouncer, Narration } from '../components/Narration';
import { KernelReportsPanel } from '../components/KernelReportsPanel';
import { PresentBar } from '../components/PresentBar';
import { StartHint, StepCaption } from '../components/StepCaption';
import { Timeline } from '../components/Timeline';
import { chapterIndexAt, chaptersOf, nextChapterStart, prevChapterStart } from '../view/chapters';
import { FittedGraph } from '../components/FittedGraph';
import { GraphToolbar } from '../components/GraphToolbar';
import { stepSubject, storyGraph, storyLayout, type Detail } from '../graph/story';
import {
  useDwell,
  usePresentationKeys,
  useStickyCover,
  type StepFocus,
} from '../view/presentation';
import {
  changeBounds,
  drawnBounds,
  focusBounds,
  subjectBounds,
  graphAt,
  timelineLayout,
  timelineStory,
  useGraphChange,
} from '../view/stepGraph';
import { stepMarksAt } from '../view/stepMarks';
import type { SpeakerLink } from '../speaker/useSpeakerHost';
import { SimProvider, useSim } from '../store/storeContext';
import { useKeyboard } from './useKeyboard';
import { BASE_EVENT_MS, usePlayback } from '../store/usePlayback';
import { useUrlSync } from './useUrlSync';
import { useLaneOrders } from './lanes/useLaneOrders';
import { DEFAULT_DWELL_S } from '../view/viewOptions';

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
  /** The detail level: the Story (folded) or every object; `onDetail` switches it. */
  readonly detail?: Detail;
  readonly onDetail?: (d: Detail) => void;
}

/** Node titles are 13.5 px in the drawing: the scale that keeps them ≥ 11 px on screen. */
const LEGIBLE_MAIN = 11.2 / 13.5;
/** Presenting: ≥ 16 px. */
const LEGIBLE_PRESENT = 16.3 / 13.5;
/**
 * The main view's graph toolbar band: the room the camera leaves it at the pane's top, and
 * where the start hint begins (App.css `.start-hint-full`, through `--toolbar-band`).
 */
const MAIN_TOOLBAR_BAND_PX = 44;

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
  detail,
  onDetail,
}: Required<Omit<ViewerProps, 'extras' | 'speaker'>> & {
  extras: ReactNode;
  speaker: SpeakerLink | null;
}) {
  const focusList = useSim((s) => s.scenario.focus);
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
  // A phone's dock of controls sticks over the foot of the graph pane: the camera frames above.
  const dock = useRef<HTMLDivElement>(null);
  const dockCover = useStickyCover(dock, mode === 'full');
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

  const scenarioNow = useSim((s) => s.scenario);
  const baseRun = useSim((s) => s.base);
  const laneOrders = useLaneOrders(scenarioNow, baseRun);
  const story = useMemo(
    () => (detail === 'story' ? timelineStory(timeline, focusList, laneOrders?.story) : null),
    [timeline, detail, focusList, laneOrders],
  );
  const allLayout = useMemo(
    () => (detail === 'story' ? null : timelineLayout(timeline, laneOrders?.all)),
    [timeline, detail, laneOrders],
  );
  const point = timeline.points[cursor] ?? timeline.points[0];
  const state = point?.state as KernelState;
  const fullGraph: Graph = useMemo(() => graphAt(timeline, cursor), [timeline, cursor]);
  const change = useGraphChange(fullGraph, state);
  const step = timeline.frames[stepIndex]?.step;
  const subject = useMemo(() => stepSubject(step, fullGraph), [step, fullGraph]);
  const graph: Graph = useMemo(
    () => (story ? storyGraph(fullGraph, story.cast, { change, subject }, selected) : fullGraph),
    [story, fullGraph, change, subject, selected],
  );
  const layout = useMemo(
    () =>
      story
        ? storyLayout(story.layout, graph)
        : (allLayout ?? timelineLayout(timeline, laneOrders?.all)),
    [story, allLayout, graph, timeline, laneOrders],
  );
  const marks = useMemo(() => stepMarksAt(timeline, cursor, graph), [timeline, cursor, graph]);
  // While a lookup path plays, the kernel pane shows the event of the hop being drawn.
  const stepKey = `${scenarioId}:${cursor}`;
  const [hop, setHop] = useState<{ readonly key: string; readonly event: number } | null>(null);
  const onLookupHop = useCallback(
    (event: number | null, key: string) => setHop(event === null ? null : { key, event }),
    [],
  );
  // A hop of a step that is no longer on screen says nothing about this one.
  const hopPoint =
    hop !== null && hop.key === stepKey && stepIndex >= 0
      ? (timeline.stepStart[stepIndex] ?? 0) + hop.event
      : null;
  const bounds = useMemo(() => focusBounds(graph, layout), [graph, layout]);
  // The camera follows what each step names and changes (kept over steps that show nothing
  // new; before the first step, it shows the objects already there), unless the viewer asks
  // for the whole graph ("Whole graph", or Z / "Follow changes" presenting).
  const stepFocus: StepFocus | null = useMemo(() => {
    if (stepIndex < 0) return { subject: null, change: null, drawn: drawnBounds(graph, layout) };
    const s = subjectBounds(subject, layout);
    const primary = subjectBounds(subject.slice(0, 1), layout);
    const c = changeBounds(graph, change, layout);
    return s || c ? { subject: s, primary, change: c } : null;
  }, [stepIndex, subject, graph, change, layout]);
  const lastFocus = useRef<StepFocus | null>(null);
  if (stepIndex < 0 || stepFocus) lastFocus.current = stepFocus;
  const focus = follow ? lastFocus.current : undefined;
  const subjectSet = useMemo(() => new Set(subject.slice(0, 1)), [subject]);
  const toolbar = (
    <GraphToolbar
      detail={detail}
      onDetail={onDetail}
      whole={!follow}
      onWhole={(w) => setFollow(!w)}
    />
  );

  const graphView = (
    <GraphView
      graph={graph}
      layout={layout}
      change={change}
      selected={selected}
      onSelect={select}
      stepKey={stepKey}
      animationMs={BASE_EVENT_MS / speed / 1.5}
      scenarioKey={`${scenarioId}:${detail}:${follow ? cursor : 'whole'}`}
      subject={subjectSet}
      detail={detail}
      laneOrder={laneOrders ? 'ordered' : 'appearance'}
      marks={marks}
      onLookupHop={onLookupHop}
    />
  );

  if (mode === 'embed') {
    return (
      <div className="viewer viewer-embed">
        <LiveAnnouncer />
        <FittedGraph
          layout={layout}
          bounds={bounds}
          maxScale={2}
          legible={LEGIBLE_MAIN}
          focus={focus}
          toolbar={toolbar}
          inset={36}
        >
          {graphView}
        </FittedGraph>
        <div className="embed-narration">
          <StepCaption mode="embed" />
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
          <Controls compact />
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
        <FittedGraph
          layout={layout}
          bounds={bounds}
          maxScale={2.5}
          legible={LEGIBLE_PRESENT}
          focus={focus}
          toolbar={toolbar}
          inset={44}
        >
          {graphView}
        </FittedGraph>
        <div className="present-caption">
          <StepCaption mode="present" />
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
        <div
          className="stage-graph"
          style={{ '--toolbar-band': `${MAIN_TOOLBAR_BAND_PX}px` } as CSSProperties}
        >
          {stepIndex < 0 ? <StartHint mode="full" /> : null}
          <FittedGraph
            layout={layout}
            bounds={bounds}
            maxScale={1.6}
            legible={LEGIBLE_MAIN}
            focus={focus}
            toolbar={toolbar}
            inset={MAIN_TOOLBAR_BAND_PX}
            cover={dockCover}
          >
            {graphView}
          </FittedGraph>
        </div>
        <aside className="side">
          <Narration />
          <KernelReportsPanel />
          <KernelPane point={hopPoint} />
          <Inspector state={state} graph={fullGraph} selected={selected} onSelect={select} />
        </aside>
      </div>
      <div className="dock" ref={dock}>
        <Controls />
        <Timeline />
        <Legend />
      </div>
      <div className="lower">
        <Console />
        <StateText state={state} />
      </div>
    </div>
  );
}

/**
 * The kernel state as text, in a disclosure: written only while open (a state of a thousand
 * objects is a long text, and stepping with it closed should not build it).
 */
function StateText({ state }: { state: KernelState }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="state-text" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Kernel state as text</summary>
      <pre className="kernel-state" data-testid="kernel-state" tabIndex={0}>
        {open ? describeState(state).join('\n') : null}
      </pre>
    </details>
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
  detail = 'story',
  onDetail = noop,
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
        detail={detail}
        onDetail={onDetail}
      />
    </SimProvider>
  );
}
