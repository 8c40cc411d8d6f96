/**
 * The speaker view's timer as data: time gathered while it ran, plus when it last started
 * (null while paused). Pure: every function takes "now" (ms), so tests need no clock.
 */

export interface Stopwatch {
  /** Milliseconds gathered before the current run. */
  readonly gathered: number;
  /** When the current run started (ms, the same clock as `now`), or null when paused. */
  readonly since: number | null;
}

/** A stopwatch that starts at `now`. */
export function startedAt(now: number): Stopwatch {
  return { gathered: 0, since: now };
}

/** Milliseconds on the stopwatch at `now` (never negative, even if the clock went back). */
export function elapsed(w: Stopwatch, now: number): number {
  return Math.max(0, w.gathered + (w.since === null ? 0 : Math.max(0, now - w.since)));
}

export function isRunning(w: Stopwatch): boolean {
  return w.since !== null;
}

export function pause(w: Stopwatch, now: number): Stopwatch {
  return w.since === null ? w : { gathered: elapsed(w, now), since: null };
}

export function resume(w: Stopwatch, now: number): Stopwatch {
  return w.since === null ? { gathered: w.gathered, since: now } : w;
}

/** Back to zero; a running stopwatch keeps running from `now`, a paused one stays paused. */
export function reset(w: Stopwatch, now: number): Stopwatch {
  return { gathered: 0, since: w.since === null ? null : now };
}

/**
 * A stopwatch read back from storage, or null when `data` is not one (wrong shape, negative
 * or non-finite numbers, or a start in the future of `now`).
 */
export function readStopwatch(data: unknown, now: number): Stopwatch | null {
  if (typeof data !== 'object' || data === null) return null;
  const { gathered, since } = data as { gathered?: unknown; since?: unknown };
  if (typeof gathered !== 'number' || !Number.isFinite(gathered) || gathered < 0) return null;
  if (since === null) return { gathered, since: null };
  if (typeof since !== 'number' || !Number.isFinite(since) || since < 0 || since > now) return null;
  return { gathered, since };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Elapsed time as `MM:SS`, or `H:MM:SS` from one hour on (whole seconds, rounded down). */
export function formatElapsed(ms: number): string {
  const total = Math.floor(Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** Elapsed time for screen readers: "1 hour 2 minutes 5 seconds", "0 seconds". */
export function spokenElapsed(ms: number): string {
  const total = Math.floor(Math.max(0, Number.isFinite(ms) ? ms : 0) / 1000);
  const parts: [number, string][] = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, u]) => `${n} ${u}${n === 1 ? '' : 's'}`);
  return said.length > 0 ? said.join(' ') : '0 seconds';
}

/** The wall clock as hours and minutes, in the reader's locale (or `locale`). */
export function formatClock(date: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
}
