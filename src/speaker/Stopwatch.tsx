/**
 * The speaker view's timer (elapsed since it started, with pause / resume and reset) and the
 * wall clock. The timer starts when the speaker window opens and survives a reload of that
 * window (sessionStorage, per presentation channel).
 */
import { useCallback, useEffect, useState } from 'react';
import {
  elapsed,
  formatClock,
  formatElapsed,
  isRunning,
  pause,
  readStopwatch,
  reset,
  resume,
  spokenElapsed,
  startedAt,
  type Stopwatch as Watch,
} from './stopwatch';

/** The current time (ms), refreshed every `ms`. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

function storageKey(id: string): string {
  return `structops-lab.speaker-timer.${id}`;
}

function loadWatch(id: string): Watch {
  const now = Date.now();
  try {
    const text = window.sessionStorage.getItem(storageKey(id));
    const saved = text === null ? null : readStopwatch(JSON.parse(text), now);
    if (saved) return saved;
  } catch {
    // No storage, or not JSON: a fresh timer.
  }
  return startedAt(now);
}

function saveWatch(id: string, w: Watch): void {
  try {
    window.sessionStorage.setItem(storageKey(id), JSON.stringify(w));
  } catch {
    // No storage: the timer lasts as long as this window.
  }
}

export function Stopwatch({ id }: { id: string }) {
  const [watch, setWatch] = useState<Watch>(() => loadWatch(id));
  const now = useNow(250);
  const update = useCallback(
    (f: (w: Watch, now: number) => Watch) =>
      setWatch((w) => {
        const next = f(w, Date.now());
        saveWatch(id, next);
        return next;
      }),
    [id],
  );
  const running = isRunning(watch);
  const ms = elapsed(watch, now);
  return (
    <div className="speaker-clocks">
      <section
        className={running ? 'speaker-timer' : 'speaker-timer speaker-timer-paused'}
        aria-labelledby="speaker-timer-title"
      >
        <h2 id="speaker-timer-title" className="speaker-label">
          {running ? 'Elapsed' : 'Elapsed (paused)'}
        </h2>
        <p
          className="speaker-time"
          role="timer"
          aria-label={`Elapsed: ${spokenElapsed(ms)}`}
          data-testid="speaker-timer"
        >
          {formatElapsed(ms)}
        </p>
        <div className="speaker-timer-buttons">
          <button
            type="button"
            onClick={() => update(running ? pause : resume)}
            aria-label={running ? 'Pause timer' : 'Resume timer'}
          >
            {running ? 'Pause' : 'Resume'}
          </button>
          <button type="button" onClick={() => update(reset)} aria-label="Reset timer">
            Reset
          </button>
        </div>
      </section>
      <section className="speaker-wallclock" aria-labelledby="speaker-clock-title">
        <h2 id="speaker-clock-title" className="speaker-label">
          Clock
        </h2>
        <p className="speaker-time" data-testid="speaker-clock">
          {formatClock(new Date(now))}
        </p>
      </section>
    </div>
  );
}
