/**
 * The URL follows the view (`?scenario=<id>&step=<n>`), replacing history entries as it steps.
 * Stepping writes it once the steps pause (`URL_SETTLE_MS`, and at least every `URL_MAX_WAIT_MS`
 * while they go on, as in playback): a history write per step costs a step's frame. A new
 * scenario or timeline is written at once, and a pending write is made before the page goes.
 */
import { useEffect, useRef } from 'react';
import { stepNumberAt, type Timeline } from '../store/timeline';

/** Quiet time after a step before the URL is written. */
export const URL_SETTLE_MS = 150;
/** The longest the URL lags while steps keep coming. */
export const URL_MAX_WAIT_MS = 1000;

export function readUrl(): { scenario: string | null; step: number } {
  const q = new URLSearchParams(window.location.search);
  const step = Number(q.get('step') ?? '0');
  return { scenario: q.get('scenario'), step: Number.isInteger(step) && step >= 0 ? step : 0 };
}

/** Writes `?scenario=&step=` into the current URL (its other parameters kept), if different. */
function writeUrl(scenarioId: string, step: number): void {
  const q = new URLSearchParams(window.location.search);
  q.set('scenario', scenarioId);
  q.set('step', String(step));
  const next = `${window.location.pathname}?${q.toString()}${window.location.hash}`;
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, '', next);
  }
}

export function useUrlSync(
  scenarioId: string,
  timeline: Timeline,
  cursor: number,
  enabled: boolean,
): void {
  const pending = useRef<{
    timer: ReturnType<typeof setTimeout> | null;
    since: number;
    write: (() => void) | null;
  }>({ timer: null, since: 0, write: null });
  const written = useRef<{ scenarioId: string; timeline: Timeline } | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const p = timeline.points[cursor];
    // Only step boundaries are addressable; mid-step positions keep the step's number.
    const step = p && p.step >= 0 ? stepNumberAt(timeline, cursor) : 0;
    const job = pending.current;
    const write = () => {
      if (job.timer !== null) clearTimeout(job.timer);
      job.timer = null;
      job.write = null;
      writeUrl(scenarioId, step);
    };
    const last = written.current;
    written.current = { scenarioId, timeline };
    if (!last || last.scenarioId !== scenarioId || last.timeline !== timeline) {
      write();
      return;
    }
    const now = Date.now();
    if (job.write === null) job.since = now;
    job.write = write;
    if (job.timer !== null) clearTimeout(job.timer);
    job.timer = setTimeout(write, now - job.since >= URL_MAX_WAIT_MS ? 0 : URL_SETTLE_MS);
  }, [scenarioId, timeline, cursor, enabled]);

  // A pending write is made before the page goes (or the viewer with it).
  useEffect(() => {
    const job = pending.current;
    const flush = () => job.write?.();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);
}
