/**
 * The scenario editor panel (loaded on demand with CodeMirror and the parser): the text, its
 * problems as you type (underlined, in the gutter, and listed with line:column), Run, Revert
 * and Close. Run shows the edited scenario in the page only when the parser accepts it; the
 * text is never run as code nor shown as HTML.
 */
import { forceLinting } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createEditor } from './createEditor';
import { countProblems, issuesToDiagnostics, type TextDiagnostic } from './diagnostics';
import type { EditorSource, RunOutcome } from './editorSource';
import { originalText } from './originalText';

export interface EditorPanelProps {
  readonly source: EditorSource;
  /** Unsaved text by source key; the panel reads it when it opens and writes it when it closes. */
  readonly drafts: Map<string, string>;
  readonly onRun: (text: string) => Promise<RunOutcome>;
  readonly onClose: () => void;
  /** Asked once the text is in: whether to put the focus there (when the panel was opened). */
  readonly takeFocus: () => boolean;
}

/** How many problems the list shows (the gutter and underlines show them all). */
const LISTED = 50;
const STATUS_ID = 'scenario-editor-status';

type Outcome = { readonly ok: boolean; readonly text: string; readonly n: number } | null;

const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.userAgent);

/** Why the text did not run: how many problems, and the first. */
function notRun(problems: readonly TextDiagnostic[]): string {
  const first = problems[0];
  const count = countProblems(problems.length).toLowerCase();
  return first
    ? `Not run: the text has ${count}. The first, at ${first.place}: ${first.message}.`
    : 'Not run: the text is not a valid scenario.';
}

export default function EditorPanel({
  source,
  drafts,
  onRun,
  onClose,
  takeFocus,
}: EditorPanelProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const refocus = useRef(false);
  const [original, setOriginal] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<readonly TextDiagnostic[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const { key, origin } = source;

  // The original text (for Revert, and to start from when there is no draft).
  useEffect(() => {
    let live = true;
    originalText(origin).then(
      (text) => {
        if (live) setOriginal(text);
      },
      (e: unknown) => {
        if (live) setLoadError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, [origin]);

  const run = useCallback(async () => {
    const v = view.current;
    if (!v) return;
    const text = v.state.doc.toString();
    const next = (ok: boolean, message: string) =>
      setOutcome((o) => ({ ok, text: message, n: (o?.n ?? 0) + 1 }));
    // Read, checked and simulated off the page's thread: a hostile text cannot freeze it.
    const out = await onRun(text);
    if (out.ran) {
      setProblems([]);
      next(true, `Ran the edited scenario: step ${out.step} of ${out.steps}.`);
    } else if (out.issues && out.issues.length > 0) {
      const found = issuesToDiagnostics(text, out.issues);
      setProblems(found);
      if (view.current === v) forceLinting(v);
      next(false, notRun(found));
    } else next(false, `Not run: ${out.reason}`);
  }, [onRun]);
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  }, [run]);

  // The editor, once the original text is known; the text is kept as a draft when it closes.
  useEffect(() => {
    const parent = host.current;
    if (original === null || !parent) return;
    const v = createEditor(parent, drafts.get(key) ?? original, {
      onProblems: setProblems,
      onRun: () => void runRef.current(),
      describedBy: STATUS_ID,
    });
    view.current = v;
    const take = takeFocus();
    if (take || refocus.current) v.focus();
    return () => {
      // An editor made again at once (React's strict mode) gets the focus back.
      refocus.current = v.hasFocus;
      const text = v.state.doc.toString();
      if (text === original) drafts.delete(key);
      else drafts.set(key, text);
      v.destroy();
      view.current = null;
    };
  }, [original, drafts, key, takeFocus]);

  const revert = () => {
    const v = view.current;
    if (!v || original === null) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: original } });
    drafts.delete(key);
    setOutcome((o) => ({
      ok: true,
      text: `Back to the original text. ${isMac() ? '⌘Z' : 'Ctrl+Z'} brings the edits back.`,
      n: (o?.n ?? 0) + 1,
    }));
    v.focus();
  };

  const goTo = (p: TextDiagnostic) => {
    const v = view.current;
    if (!v) return;
    const at = Math.min(p.from, v.state.doc.length);
    v.dispatch({
      selection: { anchor: at },
      effects: EditorView.scrollIntoView(at, { y: 'center' }),
    });
    v.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    // The editor's own Escape (closing completion or search) comes first.
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.preventDefault();
    onClose();
  };

  const ready = original !== null && loadError === null;
  const runKey = isMac() ? '⌘+Enter' : 'Ctrl+Enter';
  return (
    <section
      className="editor-panel"
      id="scenario-editor"
      aria-labelledby="scenario-editor-title"
      onKeyDown={onKeyDown}
    >
      <div className="editor-head">
        <h2 id="scenario-editor-title">
          Edit scenario <span className="editor-source">{source.name}</span>
        </h2>
        <div className="editor-tools">
          <button
            type="button"
            className="primary"
            onClick={() => void run()}
            disabled={!ready}
            title={`Run the edited scenario (${runKey})`}
            aria-keyshortcuts={isMac() ? 'Meta+Enter' : 'Control+Enter'}
          >
            Run
          </button>
          <button
            type="button"
            onClick={revert}
            disabled={!ready}
            title="Go back to the original text"
          >
            Revert
          </button>
          <button type="button" onClick={onClose} title="Close the editor (Escape)">
            Close
          </button>
        </div>
      </div>
      {loadError !== null ? (
        <p className="editor-load-error" role="alert">
          {`The text could not be loaded: ${loadError}`}
        </p>
      ) : original === null ? (
        <p className="editor-loading" role="status">
          Loading the text…
        </p>
      ) : null}
      <div className="editor-host" ref={host} data-testid="scenario-editor-text" />
      <p id={STATUS_ID} className="editor-status" role="status" data-testid="editor-status">
        {problems === null ? 'Checking…' : countProblems(problems.length)}
      </p>
      {outcome?.ok ? (
        <p className="editor-outcome" role="status" key={outcome.n} data-testid="editor-outcome">
          {outcome.text}
        </p>
      ) : outcome ? (
        <p
          className="editor-outcome editor-outcome-error"
          role="alert"
          key={outcome.n}
          data-testid="editor-outcome"
        >
          {outcome.text}
        </p>
      ) : null}
      {problems && problems.length > 0 ? (
        <div className="editor-problems">
          <ol aria-label="Problems">
            {problems.slice(0, LISTED).map((p, i) => (
              <li key={i}>
                <button type="button" onClick={() => goTo(p)}>
                  <span className="editor-place">{p.place}</span> {p.message}
                </button>
              </li>
            ))}
          </ol>
          {problems.length > LISTED ? (
            <p className="editor-more">{`… and ${problems.length - LISTED} more (in the gutter).`}</p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
