/**
 * `?embed=1`: the graph, the controls and the narration only, for an iframe in a docs page or
 * for the `<structops-lab>` element; `controls=`, `autoplay=` and the host page's API apply.
 */
import { Viewer } from '../Viewer';
import { OpenLink } from '../../components/OpenLink';
import type { AppSession } from '../useAppSession';

export function EmbedMode({ session: s }: { readonly session: AppSession }) {
  return (
    <main className="app app-embed">
      {s.notices}
      {s.store && s.scenario ? (
        <Viewer
          key={s.viewerKey}
          store={s.store}
          urlSync={false}
          mode="embed"
          detail={s.detail}
          onDetail={s.setDetail}
          controls={s.view.controls}
          autoplay={s.view.autoplay}
          extras={
            <>
              {s.tools}
              <OpenLink />
            </>
          }
        />
      ) : null}
    </main>
  );
}
