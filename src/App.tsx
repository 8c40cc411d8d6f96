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
import { readViewOptions } from './app/viewOptions';
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
import { MAX_SCENARIO_BYTES } from './scenario/limits';
import { hasInlineShare, type ShareScenario } from './share/encode';
import type { ScenarioIssue } from './scenario/parse';
import type { Scenario } from './scenario/schema';
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
  | {
      readonly kind: 'file';
      readonly src: string;
      readonly scenario: Scenario;
      readonly text: string;
    }
  | { readonly kind: 'shared'; readonly scenario: Scenario }
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

function initialLoad(): Loaded {
  const q = new URLSearchParams(window.location.search);
  if (hasInlineShare(window.location.search))
    return { kind: 'loading-share', search: window.location.search };
  if (q.get('load') === 'host' && isFramed()) return { kind: 'awaiting-host' };
  const src = q.get('src');
  if (src) return { kind: 'loading', src };
  return { kind: 'library', id: findScenario(readUrl().scenario)?.id ?? '' };
}

async function decodeLink(search: string): Promise<Loaded> {
  const what = 'The scenario in this link';
  try {
    const { decodeShare } = await import('./share/shareLink');
    const r = decodeShare(search);
    if (!r.ok) return { kind: 'error', what, src: 'link', message: r.message, issues: r.issues };
    if (r.scenario?.kind === 'inline') return { kind: 'shared', scenario: r.scenario.scenario };
    return { kind: 'library', id: findScenario(r.scenario?.id ?? null)?.id ?? '' };
  } catch (e) {
    return {
      kind: 'error',
      what,
      src: 'link',
      message: `it could not be read: ${e instanceof Error ? e.message : String(e)}`,
      issues: [],
    };
  }
}

/** Untrusted scenario text (a file, or a host page's `load`): size-limited, then validated. */
async function parseText(text: string, src: string, what: string): Promise<Loaded> {
  if (text.length > MAX_SCENARIO_BYTES) {
    return {
      kind: 'error',
      what,
      src,
      message: `it is ${Math.ceil(text.length / 1024)} KiB; the limit is ${MAX_SCENARIO_BYTES / 1024} KiB`,
      issues: [],
    };
  }
  const { parseScenario } = await import('./scenario/parse');
  const r = parseScenario(text);
  return r.ok
    ? { kind: 'file', src, scenario: r.scenario, text }
    : { kind: 'error', what, src, message: 'it is not a valid scenario', issues: r.issues, text };
}

async function fetchScenario(src: string): Promise<Loaded> {
  const what = `The scenario at ${src}`;
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
    return await parseText(await res.text(), src, what);
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
  const [loaded, setLoaded] = useState<Loaded>(initialLoad);
  const [startStep, setStartStep] = useState(() => readUrl().step);
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
    const next = loaded.kind === 'loading' ? fetchScenario(loaded.src) : decodeLink(loaded.search);
    void next.then((l) => {
      if (live) setLoaded(l);
    });
    return () => {
      live = false;
    };
  }, [loaded]);

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
  const store = useMemo(
    () => editedStore ?? (scenario ? createSimStore(withRevision(scenario, rev), startStep) : null),
    [editedStore, scenario, startStep, rev],
  );
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
    (edited: Scenario): RunOutcome => {
      if (!editorSource) return { ran: false, reason: 'there is nothing to edit here' };
      const now = store?.getState();
      const step = now ? stepNumberAt(now.timeline, now.cursor) : 0;
      try {
        const next = createSimStore(edited, step);
        const s = next.getState();
        setLoaded((l) => ({
          kind: 'edited',
          scenario: edited,
          store: next,
          source: editorSource,
          run: (l.kind === 'edited' ? l.run : 0) + 1,
        }));
        return { ran: true, step: stepNumberAt(s.timeline, s.cursor), steps: edited.steps.length };
      } catch (e) {
        return {
          ran: false,
          reason: `the simulation failed: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    },
    [editorSource, store],
  );
  const hostLoad = useCallback(async (text: string, name: string): Promise<HostLoadResult> => {
    const next = await parseText(text, name, `The scenario from ${name}`);
    setLoaded(next);
    return next.kind === 'error'
      ? { ok: false, message: `${next.what} was not loaded: ${next.message}`, issues: next.issues }
      : { ok: true };
  }, []);
  const hostLoadError = useCallback((name: string, message: string) => {
    setLoaded({ kind: 'error', what: `The scenario at ${name}`, src: name, message, issues: [] });
  }, []);
  useHostApi(
    { store, onLoad: hostLoad, onLoadError: hostLoadError, onTheme: setTheme },
    view.origin,
  );
  const tools = store && share ? <ShareTools store={store} share={share} theme={theme} /> : null;
  const speaker = useSpeakerHost(store, presentation.present, !view.embed);

  const notices = (
    <>
      {loaded.kind === 'loading' ? <p className="notice">{`Loading ${loaded.src}…`}</p> : null}
      {loaded.kind === 'awaiting-host' ? (
        <p className="notice">Waiting for the page to send its scenario…</p>
      ) : null}
      {loaded.kind === 'loading-share' ? (
        <p className="notice">Opening the scenario in this link…</p>
      ) : null}
      {loaded.kind === 'error' ? (
        <section className="notice notice-error" aria-labelledby="load-error">
          <h2 id="load-error">{`${loaded.what} was not loaded: ${loaded.message}.`}</h2>
          {loaded.issues.length > 0 ? (
            <ul data-testid="scenario-errors">
              {loaded.issues.map((i, k) => (
                <li key={k}>
                  <code>{`${i.line}:${i.column}`}</code> {i.message}
                </li>
              ))}
            </ul>
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
        />
      ) : null}
    </main>
  );
}
