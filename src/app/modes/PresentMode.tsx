/**
 * Presentation mode (`?present=1` or P): the graph large, the step's caption, clicker keys,
 * fullscreen and the speaker view's link (S).
 */
import { Viewer } from '../Viewer';
import type { AppSession } from '../useAppSession';

export function PresentMode({ session: s }: { readonly session: AppSession }) {
  return (
    <main className="app app-present">
      {s.notices}
      {s.store && s.scenario ? (
        <Viewer
          key={s.viewerKey}
          store={s.store}
          mode="present"
          detail={s.detail}
          onDetail={s.setDetail}
          autoplay={s.view.autoplay}
          dwell={s.view.dwell}
          fullscreen={s.presentation.fullscreen}
          onFullscreen={s.presentation.toggleFullscreen}
          onExitPresent={s.presentation.exit}
          speaker={s.speaker}
        />
      ) : null}
    </main>
  );
}
