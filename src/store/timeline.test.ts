/**
 * The timeline: the initial state, one point per kernel event, one point for a step that made
 * no event; each step's first and last point; `?step=n` and the `N / M` counter.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario, type ScenarioRun, type StepFrame } from '../scenario/run';
import {
  buildTimeline,
  kernelPanePoint,
  nextStepPoint,
  pointForStep,
  stepNumberAt,
  type Timeline,
} from './timeline';

function libraryRun(id: string): ScenarioRun {
  const file = fileURLToPath(new URL(`../scenario/library/${id}.yaml`, import.meta.url));
  const r = parseScenario(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(formatIssues(r.issues, file));
  return runScenario(r.scenario);
}

// Step 2 of this scenario (libbpf refuses a struct_ops program) makes no kernel event.
const run = libraryRun('selftest-st-ops-assoc');
const t = buildTimeline(run);

function frame(i: number): StepFrame {
  const f = run.frames[i];
  if (!f) throw new Error(`no frame ${i}`);
  return f;
}

/** A run with chosen event counts per step, cut from the real frames. */
function synthetic(counts: readonly number[]): Timeline {
  const source = frame(0);
  expect(source.events.length).toBeGreaterThanOrEqual(Math.max(...counts));
  return buildTimeline({
    initial: run.initial,
    frames: counts.map((n, i) => ({ ...source, index: i, events: source.events.slice(0, n) })),
  });
}

describe('buildTimeline', () => {
  it('starts with the initial state', () => {
    expect(t.points[0]).toEqual({
      step: -1,
      event: -1,
      state: run.initial,
      prev: run.initial,
      ev: null,
    });
    expect(t.frames).toBe(run.frames);
  });

  it('has one point per event and one for each event-less step', () => {
    expect(frame(1).events).toHaveLength(0);
    const expected = 1 + run.frames.reduce((n, f) => n + Math.max(1, f.events.length), 0);
    expect(t.points).toHaveLength(expected);
    run.frames.forEach((f, i) => {
      const mine = t.points.filter((p) => p.step === i);
      if (f.events.length === 0) {
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ event: -1, ev: null, state: f.state });
      } else {
        expect(mine.map((p) => p.event)).toEqual(f.events.map((_, j) => j));
        mine.forEach((p, j) => {
          expect(p.ev).toBe(f.events[j]);
          expect(p.state).toBe(f.events[j]?.state);
        });
      }
    });
  });

  it('gives each point the state before it', () => {
    for (let k = 1; k < t.points.length; k++)
      expect(t.points[k]?.prev, `point ${k}`).toBe(t.points[k - 1]?.state);
    // The step after an event-less step starts from that step's state.
    expect(t.points[t.stepStart[2] ?? -1]?.prev).toBe(frame(1).state);
  });

  it('points are in step order, events in order within a step', () => {
    const order = t.points.map((p) => [p.step, p.event] as const);
    for (let k = 1; k < order.length; k++) {
      const [s0, e0] = order[k - 1] ?? [0, 0];
      const [s1, e1] = order[k] ?? [0, 0];
      expect(s1 > s0 || (s1 === s0 && e1 === e0 + 1), `point ${k}`).toBe(true);
    }
  });

  it('stepStart and stepEnd bracket each step', () => {
    expect(t.stepStart).toHaveLength(run.frames.length);
    expect(t.stepEnd).toHaveLength(run.frames.length);
    expect(t.stepStart[0]).toBe(1);
    expect(t.stepEnd.at(-1)).toBe(t.points.length - 1);
    run.frames.forEach((f, i) => {
      const start = t.stepStart[i] ?? -1;
      const end = t.stepEnd[i] ?? -1;
      expect(end - start + 1).toBe(Math.max(1, f.events.length));
      expect(t.points[start]?.step).toBe(i);
      expect(t.points[end]?.step).toBe(i);
      expect(t.points[end]?.state).toBe(f.state);
      if (i > 0) expect(start).toBe((t.stepEnd[i - 1] ?? -1) + 1);
    });
  });

  it('handles hand-picked event counts exactly', () => {
    const s = synthetic([3, 0, 2, 0, 0]);
    expect(s.points.map((p) => `${p.step}:${p.event}`)).toEqual([
      '-1:-1',
      '0:0',
      '0:1',
      '0:2',
      '1:-1',
      '2:0',
      '2:1',
      '3:-1',
      '4:-1',
    ]);
    expect(s.stepStart).toEqual([1, 4, 5, 7, 8]);
    expect(s.stepEnd).toEqual([3, 4, 6, 7, 8]);
  });

  it('a run with no steps is just the initial point', () => {
    const empty = buildTimeline({ initial: run.initial, frames: [] });
    expect(empty.points).toHaveLength(1);
    expect(empty.stepEnd).toEqual([]);
    expect(empty.stepStart).toEqual([]);
    expect(pointForStep(empty, 3)).toBe(0);
    expect(stepNumberAt(empty, 0)).toBe(0);
  });
});

describe('pointForStep', () => {
  const s = synthetic([3, 0, 2]);

  it('0 is the initial state and n the end of step n', () => {
    expect(pointForStep(s, 0)).toBe(0);
    expect(pointForStep(s, 1)).toBe(3);
    expect(pointForStep(s, 2)).toBe(4);
    expect(pointForStep(s, 3)).toBe(6);
  });

  it('clamps', () => {
    expect(pointForStep(s, -5)).toBe(0);
    expect(pointForStep(s, 4)).toBe(6);
    expect(pointForStep(s, 1000)).toBe(6);
  });

  it('on a library run: step n ends where the step counter reads n', () => {
    for (let n = 0; n <= run.frames.length; n++) {
      const p = pointForStep(t, n);
      expect(p).toBe(n === 0 ? 0 : t.stepEnd[n - 1]);
      expect(stepNumberAt(t, p)).toBe(n);
    }
  });
});

describe('stepNumberAt', () => {
  const s = synthetic([3, 0, 2]);

  it('is 0 at the initial state and the step being shown elsewhere', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => stepNumberAt(s, p))).toEqual([0, 1, 1, 1, 2, 3, 3]);
  });

  it('is 0 for a point that does not exist', () => {
    expect(stepNumberAt(s, 99)).toBe(0);
    expect(stepNumberAt(s, -1)).toBe(0);
  });
});

describe('nextStepPoint', () => {
  const s = synthetic([3, 0, 2]);

  it('finishes the step mid-step, else goes to the end of the next step; null at the end', () => {
    // Points: 0 initial; 1-3 step 1; 4 step 2 (no event); 5-6 step 3.
    expect([0, 1, 2, 3, 4, 5, 6].map((p) => nextStepPoint(s, p))).toEqual([3, 3, 3, 4, 6, 6, null]);
  });

  it('is null past the end', () => {
    expect(nextStepPoint(s, 99)).toBeNull();
  });

  it('on a library run, walks step ends one by one', () => {
    const seen: number[] = [];
    for (let p: number | null = 0; p !== null; p = nextStepPoint(t, p)) seen.push(p);
    expect(seen).toEqual([0, ...t.stepEnd]);
  });
});

describe('kernelPanePoint', () => {
  const refresh = buildTimeline(libraryRun('scx-layered-refresh'));

  it('shows the key event at the end of a step: -EBUSY comes from the association function', () => {
    const end = pointForStep(refresh, 19);
    const shown = refresh.points[kernelPanePoint(refresh, end)];
    expect(refresh.points[end]?.ev?.fn).toBe('bpf_prog_put');
    expect(shown?.ev?.fn).toBe('bpf_prog_assoc_struct_ops');
    expect(shown?.step).toBe(18);
  });

  it('shows the point itself inside a step and before the first step', () => {
    const inside = (refresh.stepStart[18] ?? 0) + 1;
    expect(kernelPanePoint(refresh, inside)).toBe(inside);
    expect(kernelPanePoint(refresh, 0)).toBe(0);
  });

  it('keeps every key point inside its own step', () => {
    refresh.stepKey.forEach((k, i) => {
      expect(k).toBeGreaterThanOrEqual(refresh.stepStart[i] ?? Infinity);
      expect(k).toBeLessThanOrEqual(refresh.stepEnd[i] ?? -1);
    });
  });
});
