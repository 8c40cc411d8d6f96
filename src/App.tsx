/**
 * structops-lab's main page: pick a scenario from the library and step through it.
 * `?scenario=<id>&step=<n>` opens a library scenario at a step; `?src=<url>` loads a scenario
 * file (untrusted: size-limited, validated, errors shown with line and column, never run as code).
 * `?embed=1` shows only the graph, controls and narration (for iframes), `?present=1` (or P)
 * presentation mode, `?theme=` picks the theme: see src/view/viewOptions.ts. S opens the speaker
 * view in a second window (src/speaker/).
 *
 * The page is one session (src/app/useAppSession.tsx) shown in one of three modes
 * (src/app/modes/): embed, presentation or the main page.
 */
import { useAppSession } from './app/useAppSession';
import { EmbedMode } from './app/modes/EmbedMode';
import { PresentMode } from './app/modes/PresentMode';
import { MainMode } from './app/modes/MainMode';

export function App() {
  const session = useAppSession();
  if (session.view.embed) return <EmbedMode session={session} />;
  if (session.presentation.present) return <PresentMode session={session} />;
  return <MainMode session={session} />;
}
