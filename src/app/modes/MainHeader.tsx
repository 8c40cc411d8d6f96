/**
 * The main page's header: the scenario picker with the revision selector and Compare, the
 * summary of a scenario from outside the library, and the tools (transcript, Edit, Present,
 * share and export, theme).
 */
import type { RefObject } from 'react';
import { LIBRARY } from '../../view/library';
import type { Loaded } from '../loadScenario';
import { setParam } from '../setParam';
import { Prose } from '../../components/Prose';
import { ScenarioPicker } from '../../components/ScenarioPicker';
import { RevisionSelect } from '../../components/RevisionSelect';
import { ThemeSwitch } from '../../components/ThemeSwitch';
import { Transcript } from '../../components/Transcript';
import type { AppSession } from '../useAppSession';

/** What the picker says when the scenario shown is not one of the library's. */
function externalName(loaded: Loaded): string | null {
  switch (loaded.kind) {
    case 'library':
      return null;
    case 'edited':
      return `Edited: ${loaded.scenario.title}`;
    case 'shared':
    case 'loading-share':
      return 'File: shared link';
    case 'awaiting-host':
      return 'File: from the page around this frame';
    default:
      return `File: ${loaded.src}`;
  }
}

export function MainHeader({
  session: s,
  editing,
  presentButton,
}: {
  readonly session: AppSession;
  readonly editing: boolean;
  readonly presentButton: RefObject<HTMLButtonElement | null>;
}) {
  const { loaded, scenario, store } = s;
  return (
    <header className="app-head">
      <h1>structops-lab</h1>
      <ScenarioPicker
        entries={LIBRARY}
        current={loaded.kind === 'library' ? loaded.id : ''}
        external={externalName(loaded)}
        revision={s.shownRev}
        revisionControl={
          scenario && loaded.kind !== 'edited' ? (
            <span className="revision-tools">
              <RevisionSelect value={s.shownRev} own={s.ownRev} onChange={s.chooseRev} />
              <button
                type="button"
                className="head-button"
                onClick={() => s.openCompare(s.shownRev === 'v8' ? 'mainline' : 'v8')}
                title="Run this scenario on two revisions side by side"
                aria-pressed={s.compare !== null}
              >
                Compare
              </button>
            </span>
          ) : undefined
        }
        onPick={s.pick}
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
          ref={s.editor.button}
          onClick={s.editor.toggle}
          aria-expanded={editing}
          aria-controls={editing ? 'scenario-editor' : undefined}
          disabled={!s.editorSource}
          title="Edit the scenario's text and run it"
        >
          Edit
        </button>
        <button
          type="button"
          className="head-button"
          ref={presentButton}
          onClick={s.presentation.enter}
          title="Presentation mode (P); S opens the speaker view"
          disabled={!store}
        >
          Present
        </button>
        {s.tools}
        <ThemeSwitch
          value={s.theme}
          onChange={(t) => {
            s.setTheme(t);
            setParam('theme', null);
          }}
        />
      </div>
    </header>
  );
}
