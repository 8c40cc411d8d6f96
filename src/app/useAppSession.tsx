/**
 * What every mode of the main page shares: the view options from the URL, the theme, the
 * scenario being shown (library, file, shared link, edited text or one a host page sent) and
 * its simulation store, the revision it runs on, the compare view's other revision, the editor,
 * the host page's API, the speaker view's link and the load notices. The modes
 * (src/app/modes/) only lay it out.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { findScenario } from '../view/library';
import { initialTheme, useTheme } from '../view/theme';
import { useHostApi, type HostLoadResult } from './useHostApi';
import { useLibraryScenario } from './useLibraryScenario';
import { useScenarioRun } from './useScenarioRun';
import type { LoadResult } from './loader/loadInWorker';
import type { Scenario } from '../scenario/schema';
import { readUrl } from './useUrlSync';
import { useLoadJob } from './loader/useLoadJob';
import { readStepParam, stepProblem, type StepParam } from './urlProblems';
import { readViewOptions } from '../view/viewOptions';
import type { Detail } from '../graph/story';
import { LoadNotices } from './LoadNotices';
import {
  decodeLink,
  editorSourceOf,
  fetchScenario,
  initialLoad,
  loadedFrom,
  parseText,
  type Loaded,
} from './loadScenario';
import { setParam } from './setParam';
import { quoteInput } from './urlProblems';
import { usePresentation } from './usePresentation';
import { ShareTools } from './ShareTools';
import { readRevision, withRevision } from '../view/revisionParam';
import type { Revision } from '../core/types';
import { useScenarioEditor, type RunOutcome } from '../editor/editorSource';
import { hasInlineShare, type ShareScenario } from '../share/encode';
import { simStoreFromRun } from '../store/simStore';
import { stepNumberAt } from '../store/timeline';
import { useSpeakerHost } from '../speaker/useSpeakerHost';

/** The main page's state and actions, shared by its modes. */
export function useAppSession() {
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
  const onRev = useMemo(() => scenario && withRevision(scenario, rev), [scenario, rev]);
  // The loader ran a file or link on its own revision, within its time budget; a library
  // scenario, or another revision, runs in the loader's worker too.
  const ran =
    (loaded.kind === 'file' || loaded.kind === 'shared') && onRev === scenario
      ? loaded.run
      : undefined;
  const runError = useCallback((s: Scenario, r: LoadResult) => {
    setLoaded(
      loadedFrom(r, `The scenario ${quoteInput(s.title)}`, s.id, undefined, () => ({
        kind: 'library',
        id: s.id,
      })),
    );
  }, []);
  const run = useScenarioRun(editedStore ? undefined : scenario, rev, ran, runError);
  const store = useMemo(() => {
    if (editedStore) return editedStore;
    return onRev && run ? simStoreFromRun(onRev, run, startStep) : null;
  }, [editedStore, onRev, run, startStep]);
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
      const next = simStoreFromRun(r.scenario, r.run, step);
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
  const viewerKey =
    loaded.kind === 'edited'
      ? `edited:${loaded.run}`
      : `${scenario?.id ?? ''}:${startStep}:${rev ?? ''}`;

  const pick = (next: string) => {
    setStartStep(0);
    setStepParam({ kind: 'none' });
    setLoaded({ kind: 'library', id: next });
  };
  const openCompare = (other: Revision | null) => {
    setCompare(other);
    setParam('compare', other);
  };
  const notices: ReactNode = (
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
  return {
    view,
    theme,
    setTheme,
    presentation,
    presentButton,
    loaded,
    scenario,
    store,
    ownRev,
    shownRev,
    chooseRev,
    compare,
    openCompare,
    startStep,
    pick,
    editor,
    editorSource,
    runEdited,
    detail,
    setDetail,
    tools,
    speaker,
    notices,
    viewerKey,
  };
}

/** The main page's state and actions, as the modes receive them. */
export type AppSession = ReturnType<typeof useAppSession>;
