/**
 * What the page has loaded, or is loading: a library scenario, a file from `?src=`, a share
 * link's `?s=`, a host page's `load`, an edit, or an error with line:column issues. Untrusted
 * text is size-limited here and parsed, validated and simulated in a worker (./loader).
 */
import type { StoreApi } from 'zustand';
import type { EditorSource } from '../editor/editorSource';
import { LOAD_BUDGET_MS, MAX_SCENARIO_BYTES } from '../scenario/limits';
import type { ScenarioIssue } from '../scenario/parse';
import type { ScenarioRun } from '../scenario/run';
import type { Scenario } from '../scenario/schema';
import type { LoadRequest } from '../scenario/worker/loadJob';
import { hasInlineShare } from '../share/encode';
import type { SimState } from '../store/createSimStore';
import { findScenario, LIBRARY, loadLibraryScenario } from '../view/library';
import { readUrl } from './useUrlSync';
import type { LoadResult } from './loader/loadInWorker';
import { runInWorker } from './loader/runInWorker';
import { fetchSrc, takeEarlyFetch } from './loader/earlyFetch';
import { startEarly } from './loader/earlyStart';
import { listenEarly } from './useKeyboard';
import { readRevision } from '../view/revisionParam';
import { isFramed } from './useHostApi';
import { quoteInput, scenarioProblem, srcProblem } from './urlProblems';

export type Loaded =
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
export function initialLoad(): { loaded: Loaded; problems: string[] } {
  // What this URL loads first (the loader's worker, a `?src=` file's fetch) was started by
  // the entry before the page's other modules ran (./loader/earlyStart.ts); again, a no-op.
  startEarly(window.location.href);
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
  // The scenario's own module starts loading now, before the page first renders, and its run
  // in the loader's worker as soon as it is there.
  if (entry) {
    listenEarly();
    loadLibraryScenario(entry.id)
      .then((s) => runInWorker(s, readRevision(q, 'rev')))
      .catch(() => {});
  }
  return { loaded: { kind: 'library', id: entry?.id ?? '' }, problems };
}

/**
 * What became of a load (src/app/loader) as what the page shows: the scenario, or why it
 * was not loaded (`text`: the refused text, which the editor can open).
 */
export function loadedFrom(
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

export type StartLoad = (request: LoadRequest) => Promise<LoadResult>;

export async function decodeLink(search: string, start: StartLoad): Promise<Loaded> {
  const r = await start({ kind: 'share', search });
  return loadedFrom(r, 'The scenario in this link', 'link', undefined, (scenario, run) => ({
    kind: 'shared',
    scenario,
    run,
  }));
}

/** Untrusted scenario text (a file, or a host page's `load`): size-limited, then loaded. */
export async function parseText(
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

export async function fetchScenario(src: string, start: StartLoad): Promise<Loaded> {
  const what = `The scenario at ${quoteInput(src, 100)}`;
  try {
    const res = await (takeEarlyFetch(src) ?? fetchSrc(src));
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

/**
 * What the editor edits for what is loaded: a library scenario (`scenario`, once it has
 * loaded), a file, a link, or an edit.
 */
export function editorSourceOf(l: Loaded, scenario: Scenario | undefined): EditorSource | null {
  switch (l.kind) {
    case 'library': {
      const e = findScenario(l.id);
      return e && scenario?.id === e.id
        ? {
            key: `library:${e.id}`,
            name: `${e.id}.yaml`,
            origin: { kind: 'library', id: e.id, scenario },
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
