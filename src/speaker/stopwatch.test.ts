/** The speaker view's timer: pause, resume, reset, storage, and how it reads. */
import { describe, expect, it } from 'vitest';
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
} from './stopwatch';

describe('stopwatch', () => {
  it('runs from its start', () => {
    const w = startedAt(1000);
    expect(isRunning(w)).toBe(true);
    expect(elapsed(w, 1000)).toBe(0);
    expect(elapsed(w, 61_000)).toBe(60_000);
  });

  it('stands still while paused and goes on from there when resumed', () => {
    const paused = pause(startedAt(0), 5000);
    expect(isRunning(paused)).toBe(false);
    expect(elapsed(paused, 5000)).toBe(5000);
    expect(elapsed(paused, 99_000)).toBe(5000);
    const again = resume(paused, 100_000);
    expect(elapsed(again, 103_000)).toBe(8000);
    // Pausing a paused watch, or resuming a running one, changes nothing.
    expect(pause(paused, 200_000)).toBe(paused);
    expect(resume(again, 200_000)).toBe(again);
  });

  it('reset goes back to zero, running or not', () => {
    const running = reset(startedAt(0), 50_000);
    expect(isRunning(running)).toBe(true);
    expect(elapsed(running, 50_000)).toBe(0);
    expect(elapsed(running, 52_000)).toBe(2000);
    const paused = reset(pause(startedAt(0), 9000), 50_000);
    expect(isRunning(paused)).toBe(false);
    expect(elapsed(paused, 90_000)).toBe(0);
  });

  it('never counts backwards when the clock goes back', () => {
    expect(elapsed(startedAt(10_000), 4000)).toBe(0);
    expect(elapsed({ gathered: 3000, since: 10_000 }, 4000)).toBe(3000);
  });

  it('reads back what it saved, and refuses anything else', () => {
    const w = pause(startedAt(0), 7000);
    expect(readStopwatch(JSON.parse(JSON.stringify(w)), 10_000)).toEqual(w);
    expect(readStopwatch({ gathered: 0, since: 5000 }, 10_000)).toEqual({
      gathered: 0,
      since: 5000,
    });
    for (const bad of [
      null,
      'x',
      {},
      { gathered: -1, since: null },
      { gathered: Number.NaN, since: null },
      { gathered: '5', since: null },
      { gathered: 0, since: 20_000 },
      { gathered: 0, since: -5 },
      { gathered: 0, since: '5' },
      { gathered: 0 },
    ])
      expect(readStopwatch(bad, 10_000), JSON.stringify(bad)).toBeNull();
  });
});

describe('formatElapsed', () => {
  it('shows minutes and seconds under an hour, hours from then on', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(999)).toBe('00:00');
    expect(formatElapsed(1000)).toBe('00:01');
    expect(formatElapsed(65_000)).toBe('01:05');
    expect(formatElapsed(59 * 60_000 + 59_999)).toBe('59:59');
    expect(formatElapsed(3_600_000)).toBe('1:00:00');
    expect(formatElapsed(3_600_000 + 2 * 60_000 + 3000)).toBe('1:02:03');
    expect(formatElapsed(12 * 3_600_000)).toBe('12:00:00');
  });

  it('shows nothing odd for odd input', () => {
    expect(formatElapsed(-5000)).toBe('00:00');
    expect(formatElapsed(Number.NaN)).toBe('00:00');
    expect(formatElapsed(Infinity)).toBe('00:00');
  });
});

describe('spokenElapsed', () => {
  it('says hours, minutes and seconds in words', () => {
    expect(spokenElapsed(0)).toBe('0 seconds');
    expect(spokenElapsed(1000)).toBe('1 second');
    expect(spokenElapsed(62_000)).toBe('1 minute 2 seconds');
    expect(spokenElapsed(2 * 3_600_000 + 60_000)).toBe('2 hours 1 minute');
  });
});

describe('formatClock', () => {
  it('shows hours and minutes in the locale asked for', () => {
    const d = new Date(2026, 0, 2, 14, 5, 59);
    expect(formatClock(d, 'en-GB')).toBe('14:05');
    expect(formatClock(d, 'en-US')).toMatch(/^02:05\s?PM$/);
  });
});
