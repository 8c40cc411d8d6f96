/**
 * structops-lab's main page: pick a scenario from the library and step through it.
 * `?scenario=<id>&step=<n>` opens a library scenario at a step; `?src=<url>` loads a scenario
 * file (untrusted: size-limited, validated, errors shown with line and column, never run as code).
 * `?embed=1` shows only the graph, controls and narration (for iframes), `?present=1` (or P)
 * presentation mode, `?theme=` picks the theme: see src/app/viewOptions.ts. S opens the speaker
 * view in a second window (src/speaker/).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { findScenario, LIBRARY } from './app/library';
import { exitFullscreen, requestFullscreen, useLetterKey } from './app/presentation';
import { initialTheme, useTheme } from './app/theme';
import { isFramed, useHostApi, type HostLoadResult } from './app/useHostApi';
import { readUrl } from './app/useUrlSync';
import { useLoadJob } from './app/loader/useLoadJob';
import { UrlNotice } from './app/UrlNotice';
import {
  quoteInput,
  readStepParam,
  scenarioProblem,
  srcProblem,
  stepProblem,
  type StepParam,
} from './app/urlProblems';
import { LoadNotice } from './app/loader/LoadNotice';
import { readViewOptions } from './app/viewOptions';
import type { Detail } from './graph/story';
import { Viewer } from './app/Viewer';
import { ShareTools } from './app/ShareTools';
import { OpenLink } from './components/OpenLink';
import { Prose } from './components/Prose';
import { ScenarioPicker } from './components/ScenarioPicker';
import { RevisionSelect } from './components/RevisionSelect';
import { CompareView } from './components/CompareView';
import { readRevision, withRevision } from './app/revisionParam';
import type { Revision } from './core/types';
import { ThemeSwitch } from './components/ThemeSwitch';
import { Transcript } from './components/Transcript';
import { EditorSlot } from './editor/EditorSlot';
import { useScenarioEditor, type EditorSource, type RunOutcome } from './editor/editorSource';
import { LOAD_BUDGET_MS, MAX_SCENARIO_BYTES } from './scenario/limits';
import { hasInlineShare, type ShareScenario } from './share/encode';
import type { ScenarioIssue } from './scenario/parse';
import type { Scenario } from './scenario/schema';
import type { ScenarioRun } from './scenario/run';
import type { LoadRequest } from './scenario/worker/loadJob';
import type { LoadResult } from './app/loader/loadInWorker';
import { createSimStore, type SimState } from './store/createSimStore';
import { stepNumberAt } from './store/timeline';
import { useSpeakerHost } from './speaker/useSpeakerHost';
import type { StoreApi } from 'zustand';

type Loaded =
  | { readonly kind: 'library'; readonly id: string }
  | { readonly kind: 'loading'; readonly src: string }
  /** `?load=host`: the page around this frame sends the scenario (postMessage `load`). */
  | { readonly kind: 'awaiting-host' }
  /** A share link's `?s=` (an inline scenario): decoded on demand (the parser loads with it). */
  | { readonly kind: 'loading-share'; readonly search: string }
  /** Untrusted text (a host page's `load`) being read and simulated. */
  | { readonly kind: 'simulating'; readonly src: string }
  | {
      readonly kind: 'file';
      readonly src: string;
      readonly scenario: Scenario;
      readonly run: ScenarioRun;
      readonly text: string;
    }
  | { readonly kind: 'shared'; readonly scenario: Scenario; readonly run: ScenarioRun }
  /** Run from the editor (`run` counts the runs); `source` is what was edited. */
  | {
      readonly kind: 'edited';
      readonly scenario: Scenario;
      readonly store: StoreApi<SimState>;
      readonly source: EditorSource;
      readonly run: number;
    }
  | {
      readonly kind: 'error';
      /** What was not loaded, as the start of a sentence ("The scenario at <url>"). */
      readonly what: string;
      readonly src: string;
      readonly message: string;
      readonly issues: readonly ScenarioIssue[];
      /** The text of a scenario file that was fetched but refused (the editor can open it). */
      readonly text?: string;
    };

/** What the URL asks to open, and what is wrong with it (shown above the page, dismissable). */
function initialLoad(): { loaded: Loaded; problems: string[] } {
  const q = new URLSearchParams(window.location.search);
  if (hasInlineShare(window.location.search))
    return { loaded: { kind: 'loading-share', search: window.location.search }, problems: [] };
  if (q.get('load') === 'host' && isFramed())
    return { loaded: { kind: 'awaiting-host' }, problems: [] };
  const src = q.get('src');
  const problems: string[] = [];
  if (src !== null) {
    const refused = srcProblem(src, window.location.href);
    if (refused === null) return { loaded: { kind: 'loading', src }, problems };
    problems.push(refused);
  }
  const asked = readUrl().scenario;
  const entry = findScenario(asked);
  const opened = entry
    ? `the default scenario, ${quoteInput(entry.title)}`
    : 'the default scenario';
  const wrong = scenarioProblem(
    asked,
    LIBRARY.map((e) => e.id),
    opened,
  );
  if (wrong !== null) problems.push(wrong);
  else if (src !== null) problems.push(`Showing ${opened}.`);
  return { loaded: { kind: 'library', id: entry?.id ?? '' }, problems };
}

/**
 * What became of a load (src/app/loader) as what the page shows: the scenario, or why it
 * was not loaded (`text`: the refused text, which the editor can open).
 */
function loadedFrom(
  r: LoadResult,
  what: string,
  src: string,
  text: string | undefined,
  onLoad: (scenario: Scenario, run: ScenarioRun) => Loaded,
): Loaded {
  const error = (message: string, issues: readonly ScenarioIssue[] = []): Loaded => ({
    kind: 'error',
    what,
    src,
    message,
    issues,
    ...(text !== undefined ? { text } : {}),
  });
  switch (r.kind) {
    case 'ok':
      return onLoad(r.scenario, r.run);
    case 'library':
      return { kind: 'library', id: findScenario(r.id)?.id ?? '' };
    case 'invalid':
      return error(r.message, r.issues);
    case 'too-slow':
      return error(
        `simulating it took too long, so it was stopped at step ${r.done + 1} of ${r.total} after ${LOAD_BUDGET_MS / 1000} s`,
      );
    case 'stalled':
      return error(
        `reading it took too long, so it was stopped after ${Math.round(r.afterMs / 1000)} s`,
      );
    case 'cancelled':
      return error('loading was cancelled');
    case 'failed':
      return error(`the simulation failed: ${r.message}`);
  }
}

/** How many of a refused scenario's problems the page lists (the editor shows them all). */
const LISTED_ISSUES = 12;

type StartLoad = (request: LoadRequest) => Promise<LoadResult>;

async function decodeLink(search: string, start: StartLoad): Promise<Loaded> {
  const r = await start({ kind: 'share', search });
  return loadedFrom(r, 'The scenario in this link', 'link', undefined, (scenario, run) => ({
    kind: 'shared',
    scenario,
    run,
  }));
}

/** Untrusted scenario text (a file, or a host page's `load`): size-limited, then loaded. */
async function parseText(
  text: string,
  src: string,
  what: string,
  start: StartLoad,
): Promise<Loaded> {
  if (text.length > MAX_SCENARIO_BYTES) {
    return {
      kind: 'error',
      what,
      src,
      message: `it is ${Math.ceil(text.length / 1024)} KiB; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
      issues: [],
    };
  }
  const r = await start({ kind: 'text', text });
  return loadedFrom(r, what, src, text, (scenario, run) => ({
    kind: 'file',
    src,
    scenario,
    run,
    text,
  }));
}

async function fetchScenario(src: string, start: StartLoad): Promise<Loaded> {
  const what = `The scenario at ${quoteInput(src, 100)}`;
  try {
    const res = await fetch(new URL(src, window.location.href), { credentials: 'omit' });
    if (!res.ok)
      return {
        kind: 'error',
        what,
        src,
        message: `could not fetch it: HTTP ${res.status}`,
        issues: [],
      };
    return await parseText(await res.text(), src, what, start);
  } catch (e) {
    return {
      kind: 'error',
      what,
      src,
      message: `could not fetch it: ${e instanceof Error ? e.message : String(e)}`,
      issues: [],
    };
  }
}

/** What the editor edits for what is loaded: a library scenario, a file, a link, or an edit. */
function editorSourceOf(l: Loaded): EditorSource | null {
  switch (l.kind) {
    case 'library': {
      const e = findScenario(l.id);
      return e
        ? {
            key: `library:${e.id}`,
            name: `${e.id}.yaml`,
            origin: { kind: 'library', id: e.id, scenario: e.scenario },
          }
        : null;
    }
    case 'file':
    case 'error':
      return l.text === undefined
        ? null
        : { key: `src:${l.src}`, name: l.src, origin: { kind: 'text', text: l.text } };
    case 'shared':
      return {
        key: 'shared',
        name: 'from the shared link',
        origin: { kind: 'scenario', scenario: l.scenario },
      };
    case 'edited':
      return l.source;
    default:
      return null;
  }
}

/** Sets or removes one query parameter without a new history entry. */
function setParam(name: string, value: string | null): void {
  const q = new URLSearchParams(window.location.search);
  if (value === null) q.delete(name);
  else q.set(name, value);
  const search = q.toString();
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`,
  );
}

/**
 * Presentation mode on and off: P toggles it (not while typing, nor under a dialog), the URL
 * keeps `present=1` while it is on, and full screen is asked for on the user's gesture.
 * Leaving full screen by the browser's own means (Escape) also leaves presentation mode.
 */
function usePresentation(initial: boolean, enabled: boolean) {
  const [present, setPresent] = useState(initial && enabled);
  const [fullscreen, setFullscreen] = useState(false);
  const ours = useRef(false);
  const presentRef = useRef(present);
  useEffect(() => {
    presentRef.current = present;
  }, [present]);

  const enter = useCallback(() => {
    setPresent(true);
    setParam('present', '1');
    requestFullscreen();
  }, []);
  const exit = useCallback(() => {
    setPresent(false);
    setParam('present', null);
    ours.current = true;
    exitFullscreen();
  }, []);
  const toggleFullscreen = useCallback(() => {
    if (document.fullscreenElement) {
      ours.current = true;
      exitFullscreen();
    } else requestFullscreen();
  }, []);

  useEffect(() => {
    const onChange = () => {
      const fs = document.fullscreenElement !== null;
      setFullscreen(fs);
      if (!fs && !ours.current && presentRef.current) {
        setPresent(false);
        setParam('present', null);
      }
      ours.current = false;
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  useLetterKey('p', enabled, () => {
    if (presentRef.current) exit();
    else enter();
  });

  return { present, fullscreen, enter, exit, toggleFullscreen };
}

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

  const scenario =
    loaded.kind === 'library'
      ? findScenario(loaded.id)?.scenario
      : loaded.kind === 'file' || loaded.kind === 'shared' || loaded.kind === 'edited'
        ? loaded.scenario
        : undefined;
  const libraryId = loaded.kind === 'library' ? loaded.id : null;
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
  const editorSource = useMemo(() => editorSourceOf(loaded), [loaded]);
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
    <>
      {shownUrlProblems.length > 0 ? (
        <UrlNotice
          problems={shownUrlProblems}
          onDismiss={() => {
            setUrlProblems([]);
            setStepParam({ kind: 'none' });
          }}
        />
      ) : null}
      {loaded.kind === 'loading' || loaded.kind === 'simulating' || job.progress ? (
        <LoadNotice
          what={
            loaded.kind === 'loading' || loaded.kind === 'simulating'
              ? loaded.src
              : loaded.kind === 'loading-share'
                ? 'the scenario in this link'
                : 'the edited scenario'
          }
          progress={job.progress}
          onCancel={job.cancel}
        />
      ) : null}
      {loaded.kind === 'awaiting-host' ? (
        <p className="notice">Waiting for the page to send its scenario…</p>
      ) : null}
      {loaded.kind === 'loading-share' && !job.progress ? (
        <p className="notice">Opening the scenario in this link…</p>
      ) : null}
      {loaded.kind === 'error' ? (
        <section className="notice notice-error" aria-labelledby="load-error">
          <h2 id="load-error">{`${loaded.what} was not loaded: ${loaded.message}.`}</h2>
          {loaded.issues.length > 0 ? (
            <ul data-testid="scenario-errors">
              {loaded.issues.slice(0, LISTED_ISSUES).map((i, k) => (
                <li key={k}>
                  <code>{`${i.line}:${i.column}`}</code> {i.message}
                </li>
              ))}
            </ul>
          ) : null}
          {loaded.issues.length > LISTED_ISSUES ? (
            <p>{`… and ${loaded.issues.length - LISTED_ISSUES} more: open it in the editor to see them all.`}</p>
          ) : null}
        </section>
      ) : null}
    </>
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
