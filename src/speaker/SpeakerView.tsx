/**
 * The speaker view's console for one scenario: the current step (counter, chapter, graph and
 * narration), the speaker notes in large type, the next step (its narration and a smaller
 * preview of the graph it leads to, with its changes marked) or the end of the scenario, and
 * the stepping buttons. It reads its own store, whose cursor follows the presentation; every
 * move is asked of the presenting window (`send`), which moves and tells back.
 */
import { useMemo } from 'react';
import { FittedGraph } from '../components/FittedGraph';
import { chapterIndexAt, chaptersOf, nextChapterStart, prevChapterStart } from '../view/chapters';
import { usePresentationKeys, exitFullscreen, requestFullscreen } from '../view/presentation';
import { focusBounds, graphAt, timelineLayout, useGraphChange } from '../view/stepGraph';
import { useSim } from '../store/storeContext';
import { BASE_EVENT_MS } from '../store/usePlayback';
import type { KernelState } from '../core/types';
import { GraphView } from '../components/GraphView';
import { Icon } from '../components/Icon';
import { LiveAnnouncer, Narration } from '../components/Narration';
import { Prose } from '../components/Prose';
import { diffGraph } from '../graph/toGraph';
import { nextStepPoint, stepNumberAt } from '../store/timeline';
import type { NavAction, SpeakerMessage } from './protocol';

const noop = () => {};

export interface SpeakerViewProps {
  /** Names the scenario run (graph keys restart with it). */
  readonly rev: string;
  /** Moves are possible (the presenting window is there). */
  readonly connected: boolean;
  readonly blank: boolean;
  readonly presenting: boolean;
  readonly send: (m: SpeakerMessage) => void;
}

export function SpeakerView({ rev, connected, blank, presenting, send }: SpeakerViewProps) {
  const timeline = useSim((s) => s.timeline);
  const cursor = useSim((s) => s.cursor);
  const selected = useSim((s) => s.selected);
  const select = useSim((s) => s.select);

  const layout = useMemo(() => timelineLayout(timeline), [timeline]);
  const graph = useMemo(() => graphAt(timeline, cursor), [timeline, cursor]);
  const state = (timeline.points[cursor] ?? timeline.points[0])?.state as KernelState;
  const change = useGraphChange(graph, state);
  const bounds = useMemo(() => focusBounds(graph, layout), [graph, layout]);

  const next = nextStepPoint(timeline, cursor);
  const nextGraph = useMemo(
    () => (next === null ? null : graphAt(timeline, next)),
    [timeline, next],
  );
  const nextChange = useMemo(
    () => (nextGraph ? diffGraph(graph, nextGraph) : null),
    [graph, nextGraph],
  );
  const nextBounds = useMemo(
    () => (nextGraph ? focusBounds(nextGraph, layout) : null),
    [nextGraph, layout],
  );

  const total = timeline.stepEnd.length;
  const here = timeline.points[cursor]?.step ?? -1;
  const frame = here >= 0 ? timeline.frames[here] : undefined;
  const nextStep = next === null ? null : (timeline.points[next]?.step ?? null);
  const nextFrame = nextStep === null ? undefined : timeline.frames[nextStep];
  const chapters = useMemo(() => chaptersOf(timeline.frames.map((f) => f.step)), [timeline]);
  const chapter = chapterIndexAt(chapters, here);
  const notes = frame?.step.notes?.trim() ?? '';

  const nav = (action: NavAction) => send({ v: 1, type: 'nav', action });
  const toggleBlank = () => send({ v: 1, type: 'blank', on: !blank });
  usePresentationKeys(true, {
    next: () => nav('next'),
    prev: () => nav('prev'),
    nextChapter: () => nav('nextChapter'),
    prevChapter: () => nav('prevChapter'),
    blank: toggleBlank,
    fullscreen: () => (document.fullscreenElement ? exitFullscreen() : requestFullscreen()),
  });

  const animationMs = BASE_EVENT_MS / 1.5;
  const number = stepNumberAt(timeline, cursor);

  return (
    <div className="speaker-grid">
      <LiveAnnouncer />
      <section
        className="speaker-current"
        aria-labelledby="speaker-current-title"
        data-testid="speaker-current"
        data-step={number}
      >
        <header className="speaker-section-head">
          <h2 id="speaker-current-title" className="speaker-label">
            Now
          </h2>
          <p className="speaker-counter" data-testid="speaker-step">
            {`${number} / ${total}`}
          </p>
          <p className="speaker-chapter" data-testid="speaker-chapter">
            {chapter >= 0
              ? `Chapter ${chapter + 1} of ${chapters.length}: ${chapters[chapter]?.title ?? ''}`
              : here < 0
                ? 'Before the first step'
                : ''}
          </p>
        </header>
        <FittedGraph layout={layout} bounds={bounds} maxScale={1.6}>
          <GraphView
            graph={graph}
            layout={layout}
            change={change}
            selected={selected}
            onSelect={select}
            stepKey={`${rev}:${cursor}`}
            animationMs={animationMs}
            scenarioKey={rev}
          />
        </FittedGraph>
        <div className="speaker-narration" tabIndex={0}>
          <Narration />
        </div>
      </section>

      <section
        className="speaker-notes"
        aria-labelledby="speaker-notes-title"
        data-testid="speaker-notes"
      >
        <h2 id="speaker-notes-title" className="speaker-label">
          Notes
        </h2>
        {/* Focusable: long notes scroll, and the keyboard must reach them. */}
        <div className="speaker-notes-text" tabIndex={0}>
          {notes ? (
            <p>
              <Prose text={notes} />
            </p>
          ) : (
            <p className="speaker-no-notes">No notes for this step</p>
          )}
        </div>
      </section>

      <section
        className="speaker-next"
        aria-labelledby="speaker-next-title"
        data-testid="speaker-next"
      >
        <header className="speaker-section-head">
          <h2 id="speaker-next-title" className="speaker-label">
            Next
          </h2>
          {nextStep !== null ? (
            <p className="speaker-next-counter">
              {nextStep === here ? `rest of step ${here + 1}` : `${nextStep + 1} / ${total}`}
            </p>
          ) : null}
        </header>
        {nextFrame && nextGraph && nextChange && nextBounds ? (
          <>
            {nextFrame.step.chapter && nextStep !== here ? (
              <p className="speaker-next-chapter">{`New chapter: ${nextFrame.step.chapter}`}</p>
            ) : null}
            <p className="call">
              <code>{nextFrame.label}</code>
            </p>
            <p className="say" data-testid="speaker-next-say">
              <Prose text={nextFrame.step.say} />
            </p>
            {/* A picture of the next state: not for the keyboard (its text is above). */}
            <div className="speaker-preview" inert>
              <FittedGraph layout={layout} bounds={nextBounds} maxScale={1}>
                <GraphView
                  graph={nextGraph}
                  layout={layout}
                  change={nextChange}
                  selected={null}
                  onSelect={noop}
                  stepKey={`${rev}:next:${next}`}
                  animationMs={animationMs}
                  scenarioKey={`${rev}:next`}
                />
              </FittedGraph>
            </div>
          </>
        ) : (
          <p className="speaker-end">End of scenario</p>
        )}
      </section>

      <nav className="speaker-nav" aria-label="Presentation">
        <button
          type="button"
          onClick={() => nav('prev')}
          disabled={!connected || cursor === 0}
          title="Previous step (PageUp, ←)"
        >
          <Icon name="prevStep" /> Previous step
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => nav('next')}
          disabled={!connected || next === null}
          title="Next step (PageDown, →)"
        >
          Next step <Icon name="nextStep" />
        </button>
        {chapters.length > 0 ? (
          <>
            <button
              type="button"
              onClick={() => nav('prevChapter')}
              disabled={!connected || prevChapterStart(chapters, here) === null}
              title="Previous chapter ([)"
            >
              Previous chapter
            </button>
            <button
              type="button"
              onClick={() => nav('nextChapter')}
              disabled={!connected || nextChapterStart(chapters, here) === null}
              title="Next chapter (])"
            >
              Next chapter
            </button>
          </>
        ) : null}
        <button
          type="button"
          onClick={toggleBlank}
          aria-pressed={blank}
          disabled={!connected || !presenting}
          title="Blank the audience's screen (B)"
        >
          Blank screen
        </button>
      </nav>
    </div>
  );
}
