import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { buildTimeline } from './timeline';
import {
  BASE_EVENT_MS,
  nextPlayMove,
  readingMs,
  STEP_LEAD_MS,
  STEP_MAX_MS,
  STEP_MIN_MS,
} from './playSchedule';

function timelineOf(id: string) {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return buildTimeline(runScenario(r.scenario));
}

describe('readingMs', () => {
  it('grows with the text, between a floor and a ceiling', () => {
    expect(readingMs('')).toBe(STEP_MIN_MS);
    expect(readingMs('x'.repeat(60))).toBeGreaterThan(readingMs('x'.repeat(40)));
    expect(readingMs('x'.repeat(5000))).toBe(STEP_MAX_MS);
  });
});

describe('nextPlayMove', () => {
  const t = timelineOf('teach-ebusy');
  const end = (i: number) => t.stepEnd[i] ?? -1;

  it('by step: from the start to the end of step 1, quickly', () => {
    expect(nextPlayMove(t, 0, 'step', 1)).toEqual({ to: end(0), delay: STEP_LEAD_MS });
  });

  it("by step: holds a step's end for its caption's reading time, then the next step's end", () => {
    const caption = t.frames[3]?.step.caption ?? '';
    expect(caption).not.toBe('');
    expect(nextPlayMove(t, end(3), 'step', 1)).toEqual({
      to: end(4),
      delay: readingMs(caption),
    });
    expect(nextPlayMove(t, end(3), 'step', 2)?.delay).toBe(readingMs(caption) / 2);
  });

  it('by step: from the middle of a step to its end', () => {
    const mid = end(1) + 1;
    expect(t.points[mid]?.step).toBe(2);
    expect(nextPlayMove(t, mid, 'step', 1)).toEqual({ to: end(2), delay: STEP_LEAD_MS });
  });

  it('by event: one point every BASE_EVENT_MS / speed', () => {
    expect(nextPlayMove(t, 0, 'event', 1)).toEqual({ to: 1, delay: BASE_EVENT_MS });
    expect(nextPlayMove(t, 3, 'event', 4)).toEqual({ to: 4, delay: BASE_EVENT_MS / 4 });
  });

  it('stops at the end', () => {
    expect(nextPlayMove(t, t.points.length - 1, 'step', 1)).toBeNull();
    expect(nextPlayMove(t, t.points.length - 1, 'event', 1)).toBeNull();
  });
});
