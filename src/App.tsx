/**
 * structops-lab's main page: pick a scenario from the library and step through it.
 * `?scenario=<id>&step=<n>` opens a library scenario at a step; `?src=<url>` loads a scenario
 * file (untrusted: size-limited, validated, errors shown with line and column, never run as code).
 * `?embed=1` shows only the graph, controls and narration (for iframes), `?present=1` (or P)
 * presentation mode, `?theme=` picks the theme: see src/view/viewOptions.ts. S opens the speaker
 * view in a second window (src/speaker/).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { findScenario, LIBRARY } from './view/library';
import { useLibraryScenario } from './app/useLibraryScenario';
import { initialTheme, useTheme } from './view/theme';
import { useHostApi, type HostLoadResult } from './app/useHostApi';
import { readUrl } from './app/useUrlSync';
import { useLoadJob } from './app/loader/useLoadJob';
import { readStepParam, stepProblem, type StepParam } from './app/urlProblems';
import { readViewOptions } from './view/viewOptions';
import type { Detail } from './graph/story';
import { Viewer } from './app/Viewer';
import { LoadNotices } from './app/LoadNotices';
import {
  decodeLink,
  editorSourceOf,
  fetchScenario,
  initialLoad,
  loadedFrom,
  parseText,
  type Loaded,
} from './app/loadScenario';
import { setParam } from './app/setParam';
import { quoteInput } from './app/urlProblems';
import { usePresentation } from './app/usePresentation';
import { ShareTools } from './app/ShareTools';
import { OpenLink } from './components/OpenLink';
import { Prose } from './components/Prose';
import { ScenarioPicker } from './components/ScenarioPicker';
import { RevisionSelect } from './components/RevisionSelect';
import { CompareView } from './components/CompareView';
import { readRevision, withRevision } from './view/revisionParam';
import type { Revision } from './core/types';
import { ThemeSwitch } from './components/ThemeSwitch';
import { Transcript } from './components/Transcript';
import { EditorSlot } from './editor/EditorSlot';
import { useScenarioEditor, type RunOutcome } from './editor/editorSource';
import { hasInlineShare, type ShareScenario } from './share/encode';
import { createSimStore } from './store/createSimStore';
import { stepNumberAt } from './store/timeline';
import { useSpeakerHost } from './speaker/useSpeakerHost';

export function App() {
  const view = useMemo(() => readViewOptions(new URLSearchParams(window.location.search)), []);
  const [theme, setTheme] = useTheme(
    initialTheme(view.theme),
    !view.embed,
    // Another tab's theme switch is followed, unless the URL pins the theme.
    !view.embed && view.theme === null,
  );
  const presentation = usePresentation(view.present, !view.embed);
  const presentButton = useRef<HTMLButtonElement>(null);
  const wasPresenting = useRef(presentation.present);
  useEffect(() => {
    // Back from presentation mode: focus returns to the button that starts it.
    if (wasPresenting.current && !presentation.present) presentButton.current?.focus();
    wasPresenting.current = presentation.present;
  }, [presentation.present]);
  const [first] = useState(initialLoad);
  const [loaded, setLoaded] = useState<Loaded>(first.loaded);
  const [urlProblems, setUrlProblems] = useState<readonly string[]>(first.problems);
  // The link's step= applies to what the link opens: a scenario picked later starts at 0.
  const [stepParam, setStepParam] = useState<StepParam>(() =>
    hasInlineShare(window.location.search)
      ? { kind: 'none' }
      : readStepParam(new URLSearchParams(window.location.search)),
  );
  const [startStep, setStartStep] = useState(() => readUrl().step);
  const job = useLoadJob();
  const startLoad = job.start;
  // ?rev= runs the scenario on another revision of the series; ?compare= opens the compare view.
  const [rev, setRev] = useState(() =>
    readRevision(new URLSearchParams(window.location.search), 'rev'),
  );
  const [compare, setCompare] = useState(() =>
    readRevision(new URLSearchParams(window.location.search), 'compare'),
  );
  useEffect(() => {
    if (loaded.kind !== 'loading' && loaded.kind !== 'loading-share') return;
    let live = true;
    const next =
      loaded.kind === 'loading'
        ? fetchScenario(loaded.src, startLoad)
        : decodeLink(loaded.search, startLoad);
    void next.then((l) => {
      if (live) setLoaded(l);
    });
    return () => {
      live = false;
    };
  }, [loaded, startLoad]);

  const libraryId = loaded.kind === 'library' ? loaded.id : null;
  const libraryLoadError = useCallback((id: string, message: string) => {
    const title = findScenario(id)?.title ?? id;
    setLoaded({
      kind: 'error',
      what: `The scenario ${quoteInput(title)}`,
      src: id,
      message: `could not load it: ${message}`,
      issues: [],
    });
  }, []);
  const libraryScenario = useLibraryScenario(libraryId, libraryLoadError);
  const scenario =
    loaded.kind === 'library'
      ? libraryScenario
      : loaded.kind === 'file' || loaded.kind === 'shared' || loaded.kind === 'edited'
        ? loaded.scenario
        : undefined;
  const share = useMemo<ShareScenario | null>(
    () =>
      libraryId !== null
        ? { kind: 'library', id: libraryId }
        : scenario
          ? { kind: 'inline', scenario }
          : null,
    [libraryId, scenario],
  );
  const editedStore = loaded.kind === 'edited' ? loaded.store : null;
  const ran = loaded.kind === 'file' || loaded.kind === 'shared' ? loaded.run : undefined;
  const store = useMemo(() => {
    if (editedStore) return editedStore;
    if (!scenario) return null;
    const onRev = withRevision(scenario, rev);
    // The loader ran a file or link on its own revision, within its time budget; another
    // revision runs the same steps again here.
    return createSimStore(onRev, startStep, onRev === scenario ? ran : undefined);
  }, [editedStore, scenario, startStep, ran, rev]);
  const ownRev = scenario?.kernel.revision ?? 'v8';
  const shownRev = rev ?? ownRev;
  const chooseRev = (r: Revision) => {
    const next = r === ownRev ? null : r;
    setRev(next);
    setParam('rev', next);
  };
  const editor = useScenarioEditor();
  const editorSource = useMemo(() => editorSourceOf(loaded, scenario), [loaded, scenario]);
  // Run from the editor: the edited scenario replaces what is shown, at the same step if it
  // still has it (else its last), and the editor stays open on it.
  const runEdited = useCallback(
    async (text: string): Promise<RunOutcome> => {
      if (!editorSource) return { ran: false, reason: 'there is nothing to edit here' };
      const now = store?.getState();
      const step = now ? stepNumberAt(now.timeline, now.cursor) : 0;
      const r = await startLoad({ kind: 'text', text });
      if (r.kind === 'invalid') return { ran: false, reason: r.message, issues: r.issues };
      if (r.kind !== 'ok') {
        const l = loadedFrom(r, '', '', undefined, () => ({ kind: 'library', id: '' }));
        return { ran: false, reason: l.kind === 'error' ? l.message : 'it did not load' };
      }
      const next = createSimStore(r.scenario, step, r.run);
      const s = next.getState();
      setLoaded((l) => ({
        kind: 'edited',
        scenario: r.scenario,
        store: next,
        source: editorSource,
        run: (l.kind === 'edited' ? l.run : 0) + 1,
      }));
      return {
        ran: true,
        step: stepNumberAt(s.timeline, s.cursor),
        steps: r.scenario.steps.length,
      };
    },
    [editorSource, store, startLoad],
  );
  const hostLoad = useCallback(
    async (text: string, name: string): Promise<HostLoadResult> => {
      setLoaded({ kind: 'simulating', src: name });
      const next = await parseText(text, name, `The scenario from ${name}`, startLoad);
      setLoaded(next);
      return next.kind === 'error'
        ? {
            ok: false,
            message: `${next.what} was not loaded: ${next.message}`,
            issues: next.issues,
          }
        : { ok: true };
    },
    [startLoad],
  );
  const hostLoadError = useCallback((name: string, message: string) => {
    setLoaded({ kind: 'error', what: `The scenario at ${name}`, src: name, message, issues: [] });
  }, []);
  const [detail, setDetail] = useState<Detail>(view.detail);
  useHostApi(
    { store, onLoad: hostLoad, onLoadError: hostLoadError, onTheme: setTheme, onDetail: setDetail },
    view.origin,
  );
  const tools = store && share ? <ShareTools store={store} share={share} theme={theme} /> : null;
  const speaker = useSpeakerHost(store, presentation.present, !view.embed);

  const stepNote =
    scenario && loaded.kind !== 'edited' ? stepProblem(stepParam, scenario.steps.length) : null;
  const shownUrlProblems = stepNote === null ? urlProblems : [...urlProblems, stepNote];
  const notices = (
    <LoadNotices
      problems={shownUrlProblems}
      onDismiss={() => {
        setUrlProblems([]);
        setStepParam({ kind: 'none' });
      }}
      loaded={loaded}
      job={job}
    />
  );
  const viewerKey =
    loaded.kind === 'edited'
      ? `edited:${loaded.run}`
      : `${scenario?.id ?? ''}:${startStep}:${rev ?? ''}`;

  if (view.embed) {
    return (
      <main className="app app-embed">
        {notices}
        {store && scenario ? (
          <Viewer
            key={viewerKey}
            store={store}
            urlSync={false}
            mode="embed"
            detail={detail}
            onDetail={setDetail}
            controls={view.controls}
            autoplay={view.autoplay}
            extras={
              <>
                {tools}
                <OpenLink />
              </>
            }
          />
        ) : null}
      </main>
    );
  }

  if (presentation.present) {
    return (
      <main className="app app-present">
        {notices}
        {store && scenario ? (
          <Viewer
            key={viewerKey}
            store={store}
            mode="present"
            detail={detail}
            onDetail={setDetail}
            autoplay={view.autoplay}
            dwell={view.dwell}
            fullscreen={presentation.fullscreen}
            onFullscreen={presentation.toggleFullscreen}
            onExitPresent={presentation.exit}
            speaker={speaker}
          />
        ) : null}
      </main>
    );
  }

  const editing = editor.open && editorSource !== null;
  return (
    <main className={editing ? 'app app-editing' : 'app'}>
      <header className="app-head">
        <h1>structops-lab</h1>
        <ScenarioPicker
          entries={LIBRARY}
          current={loaded.kind === 'library' ? loaded.id : ''}
          external={
            loaded.kind === 'library'
              ? null
              : loaded.kind === 'edited'
                ? `Edited: ${loaded.scenario.title}`
                : loaded.kind === 'shared' || loaded.kind === 'loading-share'
                  ? 'File: shared link'
                  : loaded.kind === 'awaiting-host'
                    ? 'File: from the page around this frame'
                    : `File: ${loaded.src}`
          }
          revision={shownRev}
          revisionControl={
            scenario && loaded.kind !== 'edited' ? (
              <span className="revision-tools">
                <RevisionSelect value={shownRev} own={ownRev} onChange={chooseRev} />
                <button
                  type="button"
                  className="head-button"
                  onClick={() => {
                    const other = shownRev === 'v8' ? 'mainline' : 'v8';
                    setCompare(other);
                    setParam('compare', other);
                  }}
                  title="Run this scenario on two revisions side by side"
                  aria-pressed={compare !== null}
                >
                  Compare
                </button>
              </span>
            ) : undefined
          }
          onPick={(next) => {
            setStartStep(0);
            setStepParam({ kind: 'none' });
            setLoaded({ kind: 'library', id: next });
          }}
        />
        {loaded.kind !== 'library' && scenario ? (
          <p className="summary external-summary">
            <strong>{scenario.title}</strong>
            {': '}
            <Prose text={scenario.summary} />
          </p>
        ) : null}
        <div className="head-tools">
          {store && scenario ? (
            <Transcript
              title={scenario.title}
              frames={store.getState().base.frames}
              onGo={(n) => store.getState().gotoStep(n)}
            />
          ) : null}
          <button
            type="button"
            className="head-button"
            ref={editor.button}
            onClick={editor.toggle}
            aria-expanded={editing}
            aria-controls={editing ? 'scenario-editor' : undefined}
            disabled={!editorSource}
            title="Edit the scenario's text and run it"
          >
            Edit
          </button>
          <button
            type="button"
            className="head-button"
            ref={presentButton}
            onClick={presentation.enter}
            title="Presentation mode (P); S opens the speaker view"
            disabled={!store}
          >
            Present
          </button>
          {tools}
          <ThemeSwitch
            value={theme}
            onChange={(t) => {
              setTheme(t);
              setParam('theme', null);
            }}
          />
        </div>
      </header>
      {notices}
      {editing ? (
        <EditorSlot
          key={editorSource.key}
          source={editorSource}
          drafts={editor.drafts}
          onRun={runEdited}
          onClose={editor.close}
          takeFocus={editor.takeFocus}
        />
      ) : null}
      {compare && scenario && loaded.kind !== 'edited' ? (
        <CompareView
          key={`${scenario.id}:${shownRev}:${compare}`}
          scenario={scenario}
          left={shownRev}
          right={compare}
          initialStep={Math.max(0, startStep - 1)}
          onChange={(l, r) => {
            chooseRev(l);
            setCompare(r);
            setParam('compare', r);
          }}
          onClose={() => {
            setCompare(null);
            setParam('compare', null);
          }}
        />
      ) : store && scenario ? (
        <Viewer
          key={viewerKey}
          store={store}
          autoplay={view.autoplay}
          fullscreen={presentation.fullscreen}
          detail={detail}
          onDetail={setDetail}
        />
      ) : null}
    </main>
  );
}
