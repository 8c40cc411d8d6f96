/** The URL follows the view (`?scenario=<id>&step=<n>`), replacing history entries as it steps. */
import { useEffect } from 'react';
import { stepNumberAt, type Timeline } from '../store/timeline';

export function readUrl(): { scenario: string | null; step: number } {
  const q = new URLSearchParams(window.location.search);
  const step = Number(q.get('step') ?? '0');
  return { scenario: q.get('scenario'), step: Number.isInteger(step) && step >= 0 ? step : 0 };
}

export function useUrlSync(
  scenarioId: string,
  timeline: Timeline,
  cursor: number,
  enabled: boolean,
): void {
  useEffect(() => {
    if (!enabled) return;
    const p = timeline.points[cursor];
    // Only step boundaries are addressable; mid-step positions keep the step's number.
    const step = p && p.step >= 0 ? stepNumberAt(timeline, cursor) : 0;
    const q = new URLSearchParams(window.location.search);
    q.set('scenario', scenarioId);
    q.set('step', String(step));
    const next = `${window.location.pathname}?${q.toString()}${window.location.hash}`;
    if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      window.history.replaceState(null, '', next);
    }
  }, [scenarioId, timeline, cursor, enabled]);
}
