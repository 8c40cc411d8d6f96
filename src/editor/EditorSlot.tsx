/**
 * Where the scenario editor goes in the page: the panel loads on first use (CodeMirror, the
 * parser and the schema are not in the first bundle); until it is there, a line says so.
 */
import { lazy, Suspense } from 'react';
import type { EditorPanelProps } from './EditorPanel';
import './editor.css';

function Unavailable({ onClose }: { readonly onClose: () => void }) {
  return (
    <section className="editor-panel" aria-labelledby="scenario-editor-title">
      <div className="editor-head">
        <h2 id="scenario-editor-title">Edit scenario</h2>
        <div className="editor-tools">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <p className="editor-load-error" role="alert">
        The editor could not be loaded. Check the connection and open it again.
      </p>
    </section>
  );
}

const EditorPanel = lazy(() =>
  import('./EditorPanel').catch(() => ({
    default: ({ onClose }: EditorPanelProps) => <Unavailable onClose={onClose} />,
  })),
);

/** The editor panel for `source`, loaded on demand. */
export function EditorSlot(props: EditorPanelProps) {
  return (
    <Suspense
      fallback={
        <section className="editor-panel" aria-label="Edit scenario">
          <p className="editor-loading" role="status">
            Loading the editor…
          </p>
        </section>
      }
    >
      <EditorPanel {...props} />
    </Suspense>
  );
}
