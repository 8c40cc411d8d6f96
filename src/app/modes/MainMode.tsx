/**
 * The main page: the header, the load notices, the scenario editor when it is open, and the
 * viewer, or the compare view (`?compare=`) that runs the scenario on two revisions.
 */
import { lazy, Suspense } from 'react';
import { Viewer } from '../Viewer';
import { EditorSlot } from '../../editor/EditorSlot';
import type { AppSession } from '../useAppSession';
import { MainHeader } from './MainHeader';

// The compare view runs the scenario on two revisions here: it loads (with the simulated
// kernel) when it is first opened.
const CompareView = lazy(() =>
  import('../../components/CompareView').then((m) => ({ default: m.CompareView })),
);

export function MainMode({ session: s }: { readonly session: AppSession }) {
  const { editorSource, scenario, store, compare } = s;
  const editing = s.editor.open && editorSource !== null;
  return (
    <main className={editing ? 'app app-editing' : 'app'}>
      <MainHeader session={s} editing={editing} presentButton={s.presentButton} />
      {s.notices}
      {editing && editorSource ? (
        <EditorSlot
          key={editorSource.key}
          source={editorSource}
          drafts={s.editor.drafts}
          onRun={s.runEdited}
          onClose={s.editor.close}
          takeFocus={s.editor.takeFocus}
        />
      ) : null}
      {compare && scenario && s.loaded.kind !== 'edited' ? (
        <Suspense fallback={null}>
          <CompareView
            key={`${scenario.id}:${s.shownRev}:${compare}`}
            scenario={scenario}
            left={s.shownRev}
            right={compare}
            initialStep={Math.max(0, s.startStep - 1)}
            onChange={(l, r) => {
              s.chooseRev(l);
              s.openCompare(r);
            }}
            onClose={() => s.openCompare(null)}
          />
        </Suspense>
      ) : store && scenario ? (
        <Viewer
          key={s.viewerKey}
          store={store}
          autoplay={s.view.autoplay}
          fullscreen={s.presentation.fullscreen}
          detail={s.detail}
          onDetail={s.setDetail}
        />
      ) : null}
    </main>
  );
}
