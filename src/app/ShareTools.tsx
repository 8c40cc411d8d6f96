/**
 * Share and Export (src/components/ShareMenu.tsx, ExportMenu.tsx, by their own docs) for one
 * viewer's store: both follow the step on screen, and Export records videos of this viewer.
 * Used in the header and in the embed's dock.
 */
import { useMemo } from 'react';
import { useStore, type StoreApi } from 'zustand';
import { ExportMenu } from '../components/ExportMenu';
import { ShareMenu } from '../components/ShareMenu';
import type { ShareScenario } from '../share/encode';
import type { SimState } from '../store/createSimStore';
import { stepNumberAt } from '../store/timeline';
import type { ThemeChoice } from '../view/viewOptions';
import { viewerVideoSource } from './viewerVideoSource';

export interface ShareToolsProps {
  readonly store: StoreApi<SimState>;
  readonly share: ShareScenario;
  /** Written into embed links when the reader chose a theme (not "system"). */
  readonly theme: ThemeChoice;
}

export function ShareTools({ store, share, theme }: ShareToolsProps) {
  const step = useStore(store, (s) => stepNumberAt(s.timeline, s.cursor));
  const scenario = useStore(store, (s) => s.scenario);
  const video = useMemo(() => viewerVideoSource(store), [store]);
  return (
    <>
      <ShareMenu
        scenario={share}
        step={step}
        title={scenario.title}
        {...(theme !== 'system' ? { theme } : {})}
      />
      <ExportMenu scenarioId={scenario.id} step={step} title={scenario.title} video={video} />
    </>
  );
}
