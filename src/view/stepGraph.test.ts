/** The graph of a timeline point, the one layout, and what the camera shows. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssues, parseScenario } from '../scenario/parse';
import { runScenario } from '../scenario/run';
import { buildTimeline, pointForStep } from '../store/timeline';
import { diffGraph } from '../graph/toGraph';
import { changeBounds, focusBounds, graphAt, timelineLayout } from './stepGraph';

const file = fileURLToPath(new URL('../scenario/library/teach-ebusy.yaml', import.meta.url));
const parsed = parseScenario(readFileSync(file, 'utf8'));
if (!parsed.ok) throw new Error(formatIssues(parsed.issues, file));
const timeline = buildTimeline(runScenario(parsed.scenario));
const layout = timelineLayout(timeline);

describe('stepGraph', () => {
  it('lays out every object of the timeline once, wherever the cursor is', () => {
    for (const p of [0, pointForStep(timeline, 3), timeline.points.length - 1])
      for (const n of graphAt(timeline, p).nodes) expect(layout.boxes.has(n.id), n.id).toBe(true);
  });

  it('draws the state at a point, and the first point when out of range', () => {
    const at2 = graphAt(timeline, pointForStep(timeline, 2));
    expect(at2.nodes.find((n) => n.id === 'prog.helper')?.assoc).toBe('map_a');
    expect(graphAt(timeline, 10_000)).toEqual(graphAt(timeline, 0));
  });

  it('frames the objects on screen, not a process with no fd', () => {
    const start = graphAt(timeline, 0);
    expect(start.nodes.map((n) => n.kind)).toEqual(['process']);
    // Only the loader, with no fd: the camera shows the top of the layout.
    expect(focusBounds(start, layout)).toEqual({
      x: 0,
      y: 0,
      w: layout.width,
      h: Math.min(layout.height, layout.width / 2),
    });
    const later = graphAt(timeline, pointForStep(timeline, 2));
    const b = focusBounds(later, layout);
    const helper = layout.boxes.get('prog.helper');
    if (!helper) throw new Error('no box for helper');
    expect(b.x).toBeLessThanOrEqual(helper.x);
    expect(b.x + b.w).toBeGreaterThanOrEqual(helper.x + helper.w);
    expect(b.y + b.h).toBeGreaterThanOrEqual(helper.y + helper.h);
  });
});

describe('changeBounds', () => {
  const around = (step: number) => {
    const before = graphAt(timeline, pointForStep(timeline, step - 1));
    const after = graphAt(timeline, pointForStep(timeline, step));
    return { after, bounds: changeBounds(after, diffGraph(before, after), layout) };
  };

  it('covers what the step changed: the association of helper to map_a', () => {
    const { bounds } = around(2);
    if (!bounds) throw new Error('step 2 changed nothing?');
    for (const id of ['prog.helper', 'map.map_a']) {
      const b = layout.boxes.get(id);
      if (!b) throw new Error(`no box for ${id}`);
      expect(b.x).toBeGreaterThanOrEqual(bounds.x);
      expect(b.x + b.w).toBeLessThanOrEqual(bounds.x + bounds.w);
      expect(b.y).toBeGreaterThanOrEqual(bounds.y);
    }
    // Smaller than the whole graph: map_b did not take part.
    const whole = focusBounds(graphAt(timeline, pointForStep(timeline, 2)), layout);
    expect(bounds.w * bounds.h).toBeLessThan(whole.w * whole.h);
  });

  it('is null for a step that changes nothing on screen (the same map again)', () => {
    expect(around(3).bounds).toBeNull();
  });
});
